// A cell's stored value turned into the text a row carries: numbers without
// a trailing ".0" (employee ids stay 12345), dates as ISO days, times as
// HH:MM, booleans as true/false, and OOXML's _xHHHH_ escapes decoded.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "number_format.hpp"

namespace sseccoe::xlsx {

// A number as stored in <v> ("12345", "0.1", "1.5E-7") parsed, or nothing
// when the text is not a finite number.
std::optional<double> parse_number(std::string_view v);

// Integers below 10^15 (Excel's 15 significant digits) as integers
// ("12345", "-3"); anything else in the shortest form that reads back as
// the same double ("0.1", "1.5e-07").
std::string number_text(double v);

// A serial day as an ISO date ("2021-05-14"), the time of day dropped.
// 1900 system: 1 is 1900-01-01, 60 is Excel's fictitious 1900-02-29 (read as
// 1900-02-28), 61 is 1900-03-01. 1904 system: 0 is 1904-01-01. Nothing for
// serials that are no date (negative, below 1 in the 1900 system, past
// 9999-12-31).
std::optional<std::string> serial_to_date(double serial, bool date1904);

// The time of day of a serial ("14:30" or "14:30:15"), rounded to the second.
std::string time_of_day(double serial, bool seconds);

// A duration in days as hours ("40:00" or "40:00:00"); nothing when negative
// or absurdly long.
std::optional<std::string> elapsed_hours(double days, bool seconds);

// The value of a numeric cell shown in `format`: a date, a time, a
// zero-padded code or the number; nothing when `v` is not a number.
std::optional<std::string> format_number(std::string_view v, const NumberFormat& format, bool date1904);

// Decodes the _xHHHH_ escapes Excel writes for characters XML cannot carry
// ("_x000D_" is a carriage return, "_x005F_" a literal underscore), in place.
void decode_escapes(std::string& s);

}  // namespace sseccoe::xlsx
