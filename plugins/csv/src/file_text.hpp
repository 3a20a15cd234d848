// How a file is named in items and messages: its locator and its date.
#pragma once

#include <cstdint>
#include <string>

namespace sseccoe::csv {

// "file:///srv/rh/plantilla%202021.csv" (a relative path is taken from the
// working directory): every byte outside
// [A-Za-z0-9-._~/] percent-encoded (the raw bytes, whatever their encoding).
std::string file_locator(const std::string& path);

// "2021-05-14": the calendar date of a time in the process's local time zone
// (TZ), the date a person at the institution would give the export.
std::string local_date(std::int64_t ns_since_epoch);

}  // namespace sseccoe::csv
