// A PostgreSQL value (text format, as the server prints it with
// DateStyle=ISO) as the cell a TableHarvest expects: dates and timestamps as
// ISO dates, booleans as true/false, everything else (numeric included) as
// the server printed it. NULL is the empty cell.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::sql {

// Type OIDs of the built-in types that get a conversion (pg_type.h; they are
// fixed across PostgreSQL versions). A domain's column reports its base type.
namespace pg_type {
constexpr unsigned kBool = 16;
constexpr unsigned kDate = 1082;
constexpr unsigned kTimestamp = 1114;
constexpr unsigned kTimestampTz = 1184;
}  // namespace pg_type

// `text` is the server's text output for a non-NULL value of type `type`.
// A date or timestamp the server printed in a form that is not a plain
// Gregorian YYYY-MM-DD (infinity, a BC date, a year past 9999) is kept as
// printed, so that the record is held with a reason rather than dated wrong.
std::string cell_text(unsigned type, std::string_view text);

}  // namespace sseccoe::sql
