// Dates as PAT documents write them (dd/mm/yyyy, Mexican order) and as the
// catalog stores them (ISO 8601, yyyy-mm-dd).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::catalog {

// "03/12/2021" -> "2021-12-03". Accepts one- or two-digit day and month and
// '/', '-' or '.' as separator; the year must have four digits. Returns
// nullopt for anything that is not a real calendar date (31/02/2021).
std::optional<std::string> dmy_to_iso(std::string_view dmy);

bool is_real_date(int year, int month, int day);

}  // namespace sseccoe::catalog
