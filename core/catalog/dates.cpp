#include "catalog/dates.hpp"


namespace sseccoe::catalog {

namespace {

// Reads 1..max_digits digits at s[pos]; advances pos.
std::optional<int> read_int(std::string_view s, std::size_t& pos, std::size_t min_digits, std::size_t max_digits) {
  int value = 0;
  std::size_t n = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && n < max_digits) {
    value = value * 10 + (s[pos] - '0');
    ++pos;
    ++n;
  }
  if (n < min_digits) return std::nullopt;
  return value;
}

}  // namespace

bool is_real_date(int year, int month, int day) {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int max_day = month == 2 && leap ? 29 : kDays[month - 1];
  return day <= max_day;
}

std::optional<std::string> dmy_to_iso(std::string_view dmy) {
  std::size_t pos = 0;
  const auto day = read_int(dmy, pos, 1, 2);
  if (!day || pos >= dmy.size()) return std::nullopt;
  const char sep = dmy[pos];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  ++pos;
  const auto month = read_int(dmy, pos, 1, 2);
  if (!month || pos >= dmy.size() || dmy[pos] != sep) return std::nullopt;
  ++pos;
  const auto year = read_int(dmy, pos, 4, 4);
  if (!year || pos != dmy.size()) return std::nullopt;
  if (!is_real_date(*year, *month, *day)) return std::nullopt;
  auto two = [](int v) { return std::string(1, static_cast<char>('0' + v / 10)) + static_cast<char>('0' + v % 10); };
  return std::to_string(*year) + "-" + two(*month) + "-" + two(*day);
}

}  // namespace sseccoe::catalog
