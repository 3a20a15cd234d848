#include "internal_date.hpp"

#include <cstdio>
#include <ctime>

namespace sseccoe::imap {

namespace {

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
long long days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + doe - 719468;
}

}  // namespace

std::string internal_date_local_day(std::string_view s) {
  // date-day-fixed "-" date-month "-" date-year SP time SP zone
  if (s.size() != 26) return {};
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0, zh = 0, zm = 0;
  if (s[0] == ' ') {
    if (!digits(s, 1, 1, day)) return {};
  } else if (!digits(s, 0, 2, day)) {
    return {};
  }
  if (s[2] != '-' || s[6] != '-' || s[11] != ' ' || s[14] != ':' || s[17] != ':' || s[20] != ' ') return {};
  int month = 0;
  for (int i = 0; i < 12; ++i)
    if (s.substr(3, 3) == kMonths[i]) month = i + 1;
  if (month == 0 || !digits(s, 7, 4, year) || !digits(s, 12, 2, hh) || !digits(s, 15, 2, mm) ||
      !digits(s, 18, 2, ss) || (s[21] != '+' && s[21] != '-') || !digits(s, 22, 2, zh) || !digits(s, 24, 2, zm))
    return {};
  if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || zm > 59) return {};
  const long long offset = (zh * 60LL + zm) * 60 * (s[21] == '-' ? -1 : 1);
  const long long utc = days_from_civil(year, month, day) * 86400 + hh * 3600LL + mm * 60LL + ss - offset;
  const std::time_t t = static_cast<std::time_t>(utc);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return {};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
  return buf;
}

}  // namespace sseccoe::imap
