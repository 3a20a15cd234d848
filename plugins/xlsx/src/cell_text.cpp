#include "cell_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::xlsx {

namespace {

constexpr double kMaxExactInteger = 1e15;  // Excel keeps 15 significant digits
constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr double kMaxSerial = 2'958'465;  // 9999-12-31 in the 1900 system

// Days since 1970-01-01 -> civil date (H. Hinnant's algorithm).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

// Whole seconds of a serial, rounded, so that 44197.99999999 (float noise
// for midnight) is the next day's 00:00:00, as Excel shows it.
std::int64_t serial_seconds(double serial) { return std::llround(serial * kSecondsPerDay); }

std::string clock(std::int64_t hours, std::int64_t minutes, std::int64_t secs, bool seconds) {
  char buf[48];
  if (seconds)
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(hours),
                  static_cast<long long>(minutes), static_cast<long long>(secs));
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(hours), static_cast<long long>(minutes));
  return buf;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<double> parse_number(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\n' || v.front() == '\r'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\n' || v.back() == '\r'))
    v.remove_suffix(1);
  if (!v.empty() && v.front() == '+') v.remove_prefix(1);
  if (v.empty()) return std::nullopt;
  // from_chars also reads "inf" and "nan", which are no cell value.
  const char first = v.front() == '-' && v.size() > 1 ? v[1] : v.front();
  if (!((first >= '0' && first <= '9') || first == '.')) return std::nullopt;
  double d = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::string number_text(double v) {
  if (v == 0) return "0";  // also -0
  if (std::fabs(v) < kMaxExactInteger && v == std::trunc(v))
    return std::to_string(static_cast<std::int64_t>(v));
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::optional<std::string> serial_to_date(double serial, bool date1904) {
  if (!std::isfinite(serial) || serial < 0 || serial > kMaxSerial) return std::nullopt;
  std::int64_t day = serial_seconds(serial) / kSecondsPerDay;
  std::int64_t days_since_epoch = 0;  // since 1970-01-01
  if (date1904) {
    days_since_epoch = day - 24107;  // 1904-01-01 is 24,107 days before 1970-01-01
  } else {
    if (day < 1) return std::nullopt;  // Excel's "1900-01-00": a time without a date
    if (day == 60) day = 59;           // the 1900-02-29 Lotus 1-2-3 kept, which never was
    // Serials from 61 count from 1899-12-30 (the phantom leap day shifts
    // them); serials 1..59 count from 1899-12-31.
    days_since_epoch = day >= 61 ? day - 25569 : day - 25568;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days_since_epoch, y, m, d);
  if (y > 9999) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return std::string(buf);
}

std::string time_of_day(double serial, bool seconds) {
  std::int64_t s = serial_seconds(serial) % kSecondsPerDay;
  if (s < 0) s += kSecondsPerDay;
  return clock(s / 3600, s / 60 % 60, s % 60, seconds);
}

std::optional<std::string> elapsed_hours(double days, bool seconds) {
  if (!std::isfinite(days) || days < 0 || days > kMaxSerial) return std::nullopt;
  const std::int64_t s = serial_seconds(days);
  return clock(s / 3600, s / 60 % 60, s % 60, seconds);
}

std::optional<std::string> format_number(std::string_view v, const NumberFormat& format, bool date1904) {
  const auto d = parse_number(v);
  if (!d) return std::nullopt;
  switch (format.kind) {
    case FormatKind::Date:
      if (auto date = serial_to_date(*d, date1904)) return date;
      break;
    case FormatKind::Time:
      if (*d >= 0) return time_of_day(*d, format.seconds);
      break;
    case FormatKind::Elapsed:
      if (auto e = elapsed_hours(*d, format.seconds)) return e;
      break;
    case FormatKind::ZeroPadded:
      if (*d >= 0 && *d < kMaxExactInteger && *d == std::trunc(*d)) {
        std::string digits = std::to_string(static_cast<std::int64_t>(*d));
        if (digits.size() < static_cast<std::size_t>(format.width))
          digits.insert(0, static_cast<std::size_t>(format.width) - digits.size(), '0');
        return digits;
      }
      break;
    case FormatKind::General: break;
  }
  return number_text(*d);
}

void decode_escapes(std::string& s) {
  if (s.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      int cp = 0;
      bool hex = true;
      for (std::size_t k = 2; k < 6; ++k) {
        const int h = hex_digit(s[i + k]);
        if (h < 0) {
          hex = false;
          break;
        }
        cp = cp * 16 + h;
      }
      // A surrogate cannot stand alone in UTF-8: leave the text as written.
      if (hex && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        sdk::utf8::append(out, static_cast<char32_t>(cp));
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
  s = std::move(out);
}

}  // namespace sseccoe::xlsx
