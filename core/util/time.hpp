// Time formatting in one place: UTC RFC 3339 for machines, local ISO dates
// for evidence dates.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sseccoe::util {

std::string now_rfc3339();                                   // "2021-05-15T10:02:11Z"
std::string to_rfc3339(std::chrono::system_clock::time_point t);
std::string local_date(std::int64_t unix_seconds);          // "2021-05-14", the machine's time zone
std::int64_t unix_now();

}  // namespace sseccoe::util
