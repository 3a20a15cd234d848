#include "cell_text.hpp"

namespace sseccoe::sql {

namespace {

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "YYYY-MM-DD" at the start of `text`, followed by the end or by a space and
// a time that is not a BC marker. Returns the date, or empty.
std::string_view iso_date_prefix(std::string_view text) {
  if (text.size() < 10) return {};
  const std::string_view date = text.substr(0, 10);
  if (!digits(date.substr(0, 4)) || date[4] != '-' || !digits(date.substr(5, 2)) || date[7] != '-' ||
      !digits(date.substr(8, 2)))
    return {};
  if (text.size() > 10 && text[10] != ' ') return {};
  if (text.ends_with(" BC")) return {};
  return date;
}

}  // namespace

std::string cell_text(unsigned type, std::string_view text) {
  switch (type) {
    case pg_type::kBool:
      if (text == "t") return "true";
      if (text == "f") return "false";
      break;
    case pg_type::kDate:
    case pg_type::kTimestamp:
    case pg_type::kTimestampTz:
      if (const auto date = iso_date_prefix(text); !date.empty()) return std::string(date);
      break;
    default: break;
  }
  return std::string(text);
}

}  // namespace sseccoe::sql
