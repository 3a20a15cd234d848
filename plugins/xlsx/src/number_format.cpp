#include "number_format.hpp"

namespace sseccoe::xlsx {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool only(std::string_view s, char c) {
  if (s.empty()) return false;
  for (char x : s)
    if (lower(x) != c) return false;
  return true;
}

}  // namespace

NumberFormat classify_format_code(std::string_view code) {
  // The first section decides; a ';' inside quotes or brackets does not end it.
  bool has_y = false, has_d = false, has_m = false, has_h = false, has_s = false;
  bool elapsed = false, elapsed_hours = false;
  bool other = false;       // something that is neither date/time nor a separator
  std::size_t zeros = 0;    // '0' digit placeholders outside "s.000"
  bool only_zeros = true;   // the code is a run of '0' and nothing else
  char prev_token = 0;      // last date/time letter seen ('s' allows ".000" fractions)

  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      const auto close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
      only_zeros = false;
      continue;
    }
    if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped character, the width of one, or a fill: all literal
      only_zeros = false;
      continue;
    }
    if (c == '[') {
      const auto close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      const std::string_view inner = code.substr(i + 1, close - i - 1);
      if (only(inner, 'h')) {
        elapsed = elapsed_hours = has_h = true;
      } else if (only(inner, 'm')) {
        elapsed = has_m = true;
      } else if (only(inner, 's')) {
        elapsed = has_s = true;
      }  // else a colour, a locale ([$-80A]) or a condition: not the value's kind
      i = close;
      only_zeros = false;
      continue;
    }
    const char l = lower(c);
    if (c == '0') {
      if (prev_token == 's') continue;  // fractions of a second: "ss.000"
      ++zeros;
      continue;
    }
    only_zeros = false;
    switch (l) {
      case 'y':
      case 'e':  // the era year some locales use
      case 'g':  // the era name (Japanese calendars); "General" still has 'n', a number
        has_y = true;
        prev_token = 'y';
        break;
      case 'd': has_d = true; prev_token = 'd'; break;
      case 'm': has_m = true; prev_token = 'm'; break;
      case 'h': has_h = true; prev_token = 'h'; break;
      case 's': has_s = true; prev_token = 's'; break;
      case 'a':
        // "AM/PM" or "A/P": a 12-hour clock marker.
        if (code.substr(i, 5) == "AM/PM" || code.substr(i, 5) == "am/pm") {
          i += 4;
        } else if (code.substr(i, 3) == "A/P" || code.substr(i, 3) == "a/p") {
          i += 2;
        } else {
          other = true;
        }
        break;
      case ' ': case '-': case '/': case '.': case ',': case ':': case '(': case ')': case '\'':
        break;
      default:
        // Digits placeholders (#, ?), '@', 'General', '%', 'E+': a number.
        other = true;
        break;
    }
  }

  NumberFormat f;
  if (only_zeros && zeros > 0 && zeros <= 18) {
    f.kind = FormatKind::ZeroPadded;
    f.width = static_cast<int>(zeros);
    return f;
  }
  if (other || zeros > 0) return f;
  if (elapsed) {
    // [mm]:ss and [ss] durations stay numbers (days); only hours read well.
    if (elapsed_hours) {
      f.kind = FormatKind::Elapsed;
      f.seconds = has_s;
    }
    return f;
  }
  if (has_y || has_d || (has_m && !has_h && !has_s)) {
    f.kind = FormatKind::Date;
  } else if (has_h || has_m || has_s) {
    f.kind = FormatKind::Time;
    f.seconds = has_s;
  }
  return f;
}

NumberFormat builtin_format(int id) {
  NumberFormat f;
  if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) {
    f.kind = FormatKind::Date;
  } else if (id >= 18 && id <= 21) {
    f.kind = FormatKind::Time;
    f.seconds = id == 19 || id == 21;
  } else if (id == 45 || id == 47) {
    f.kind = FormatKind::Time;
    f.seconds = true;
  } else if (id == 46) {
    f.kind = FormatKind::Elapsed;
    f.seconds = true;
  }
  return f;
}

}  // namespace sseccoe::xlsx
