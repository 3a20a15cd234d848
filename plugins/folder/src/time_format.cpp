#include "time_format.hpp"

#include <cstdio>
#include <ctime>

namespace sseccoe::folder {

namespace {

// Whole seconds, rounding towards the past (mtimes before 1970 exist).
std::time_t seconds_of(std::int64_t ns) {
  std::int64_t s = ns / 1'000'000'000;
  if (ns % 1'000'000'000 < 0) --s;
  return static_cast<std::time_t>(s);
}

}  // namespace

std::string rfc3339_utc(std::int64_t ns_since_epoch) {
  const std::time_t t = seconds_of(ns_since_epoch);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr) return {};
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

std::string local_date(std::int64_t ns_since_epoch) {
  const std::time_t t = seconds_of(ns_since_epoch);
  std::tm tm{};
  if (::localtime_r(&t, &tm) == nullptr) return {};
  char buf[16];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return std::string(buf, n);
}

std::string human_size(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024.0 && unit < 5) {
    v /= 1024.0;
    ++unit;
  }
  char buf[32];
  // "8 GiB" rather than "8.0 GiB" for round values.
  if (v == static_cast<double>(static_cast<std::uint64_t>(v))) {
    std::snprintf(buf, sizeof buf, "%llu %s", static_cast<unsigned long long>(v), kUnits[unit]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
  }
  return buf;
}

}  // namespace sseccoe::folder
