// What a cell's number format says about its number: a date (the value is
// a serial day), a time of day, an elapsed time, a zero-padded code, or a
// plain number. Only the kind matters to the reader: values are written in
// one canonical form whatever the format's separators or language.
#pragma once

#include <optional>
#include <string_view>

namespace sseccoe::xlsx {

enum class FormatKind {
  General,     // the number as stored: 12345, 0.25, 1.5e-07
  Date,        // a date, with or without a time of day: "2021-05-14" (the time is dropped)
  Time,        // a time of day only: "14:30" or "14:30:15"
  Elapsed,     // a duration in hours ([h]:mm): "40:00" or "40:00:00"
  ZeroPadded,  // a code shown with leading zeros ("000000"): "000123"
};

struct NumberFormat {
  FormatKind kind = FormatKind::General;
  bool seconds = false;  // Time and Elapsed: the format shows seconds
  int width = 0;         // ZeroPadded: the number of digits shown
};

// The format of a custom format code (styles.xml <numFmt formatCode=...>).
// Literals ("..."), escapes (\x), fills (*x, _x), colours and locales ([Red],
// [$-80A]) are skipped; a code is a date or a time only when nothing but date
// and time tokens and separators is left (so "0.00E+00" and "General" are
// numbers, like Apache POI and openpyxl decide). The first section (before
// ';') is the one for positive numbers and decides.
NumberFormat classify_format_code(std::string_view code);

// The format of a built-in id (no <numFmt> in styles.xml): 14-17, 22, 27-36
// and 50-58 are dates, 18-21, 45 and 47 times, 46 ([h]:mm:ss) elapsed;
// every other id is General.
NumberFormat builtin_format(int id);

}  // namespace sseccoe::xlsx
