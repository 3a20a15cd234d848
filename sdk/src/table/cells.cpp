#include "cells.hpp"

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk::table::detail {

namespace {

// Length of the blank sequence that `s` starts with (0 when none).
std::size_t blank_prefix(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.front();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (s.starts_with("\xC2\xA0")) return 2;          // U+00A0 no-break space
  if (s.starts_with("\xE2\x80\xAF")) return 3;      // U+202F narrow no-break space
  if (s.starts_with("\xEF\xBB\xBF")) return 3;      // U+FEFF byte-order mark
  return 0;
}

std::size_t blank_suffix(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.back();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
  if (s.ends_with("\xC2\xA0")) return 2;
  if (s.ends_with("\xE2\x80\xAF")) return 3;
  if (s.ends_with("\xEF\xBB\xBF")) return 3;
  return 0;
}

}  // namespace

std::string_view trim(std::string_view cell) {
  while (std::size_t n = blank_prefix(cell)) cell.remove_prefix(n);
  while (std::size_t n = blank_suffix(cell)) cell.remove_suffix(n);
  return cell;
}

bool is_blank_row(const std::vector<std::string>& cells) {
  for (const auto& c : cells)
    if (!trim(c).empty()) return false;
  return true;
}

std::string row_key(std::span<const std::string> parts) {
  std::string key = "row:";
  bool first = true;
  for (const auto& part : parts) {
    if (!first) key += '|';
    first = false;
    for (char c : part) {
      if (c == '|' || c == '\\') key += '\\';
      key += c;
    }
  }
  return key;
}

std::string for_message(std::string_view s, std::size_t max_chars) {
  std::string out;
  std::size_t i = 0, chars = 0;
  for (; i < s.size() && chars < max_chars; ++chars) {
    const std::size_t len = utf8::sequence_length(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (len == 1 && (c < 0x20 || c == 0x7F)) out += '?';
    else out.append(s.substr(i, len));
    i += len;
  }
  if (i < s.size()) out += "...";
  return out;
}

}  // namespace sseccoe::sdk::table::detail
