#include "dates.hpp"

#include <cstdio>

#include "sseccoe/sdk/identity.hpp"

namespace sseccoe::sdk::table::detail {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// Reads 1 to `max` digits at the front of `s` into `out`.
bool take_digits(std::string_view& s, std::size_t min, std::size_t max, int& out) {
  std::size_t n = 0;
  int v = 0;
  while (n < s.size() && n < max && digit(s[n])) v = v * 10 + (s[n++] - '0');
  if (n < min) return false;
  out = v;
  s.remove_prefix(n);
  return true;
}

bool take(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

// What may follow a date: nothing, or a separator and a time of day
// H:MM[:SS[.fraction]] with an optional zone (Z, +HH:MM, -HHMM).
bool time_suffix(std::string_view s) {
  if (s.empty()) return true;
  if (!take(s, ' ') && !take(s, 'T')) return false;
  int v = 0;
  if (!take_digits(s, 1, 2, v) || v > 23 || !take(s, ':') || !take_digits(s, 2, 2, v) || v > 59) return false;
  if (take(s, ':')) {
    if (!take_digits(s, 2, 2, v) || v > 60) return false;
    if (take(s, '.') && !take_digits(s, 1, 9, v)) return false;
  }
  if (s.empty() || s == "Z") return true;
  if (!take(s, '+') && !take(s, '-')) return false;
  if (!take_digits(s, 2, 2, v)) return false;
  take(s, ':');
  return s.empty() || (take_digits(s, 2, 2, v) && s.empty());
}

std::optional<std::string> iso(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  char buf[11];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  std::string out(buf, 10);
  if (!identity::is_iso_date(out)) return std::nullopt;  // 31 April, 29 February of 2021, ...
  return out;
}

}  // namespace

std::optional<std::string> to_iso_date(std::string_view cell) {
  int a = 0, b = 0, c = 0;
  std::string_view s = cell;
  // YYYY-MM-DD or YYYY/MM/DD (four-digit year first).
  if (s.size() >= 8 && digit(s[0]) && digit(s[1]) && digit(s[2]) && digit(s[3]) && (s[4] == '-' || s[4] == '/')) {
    const char sep = s[4];
    take_digits(s, 4, 4, a);
    s.remove_prefix(1);
    const std::size_t width = sep == '-' ? 2 : 1;  // ISO is strict; the slashed form allows 2021/5/4
    if (!take_digits(s, width, 2, b) || !take(s, sep) || !take_digits(s, width, 2, c)) return std::nullopt;
    if (!time_suffix(s)) return std::nullopt;
    return iso(a, b, c);
  }
  // DD/MM/YYYY or D/M/YYYY (day first).
  if (!take_digits(s, 1, 2, a) || !take(s, '/') || !take_digits(s, 1, 2, b) || !take(s, '/') ||
      !take_digits(s, 4, 4, c))
    return std::nullopt;
  if (!time_suffix(s)) return std::nullopt;
  return iso(c, b, a);
}

}  // namespace sseccoe::sdk::table::detail
