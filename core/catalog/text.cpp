#include "catalog/text.hpp"

#include <array>
#include <cstdint>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::catalog::text {

namespace {

using sdk::utf8::sequence_length;

// Windows-1252 0x80..0x9F; 0 marks the five undefined bytes.
constexpr std::array<std::uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Accent-free lower-case form of U+00C0..U+00FF; nullptr keeps the letter.
constexpr std::array<const char*, 64> kFoldLatin1 = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", nullptr, "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", nullptr, "y"};

bool is_blank_at(std::string_view s, std::size_t i, std::size_t& len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
    len = 1;
    return true;
  }
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
    len = 2;
    return true;
  }
  return false;
}

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || (c >= '0' && c <= '9'); }

}  // namespace

bool is_valid_utf8(std::string_view s) { return sdk::utf8::is_valid(s); }

std::string cp1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char ch : bytes) {
    const unsigned char c = static_cast<unsigned char>(ch);
    std::uint32_t cp = c;
    if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] != 0) cp = kCp1252High[c - 0x80];
    sdk::utf8::append(out, static_cast<char32_t>(cp));
  }
  return out;
}

std::size_t code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (char ch : utf8)
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
  return n;
}

std::string fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t n = sequence_length(utf8, i);
    if (n == 0) n = 1;  // stray byte: copied as is, matching simply fails on it
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(utf8[i + 1]) == 0xA0) {
      out += ' ';
    } else if (n == 2 && c == 0xC3) {
      const unsigned cp = 0xC0 + (static_cast<unsigned char>(utf8[i + 1]) & 0x3F);
      const char* f = kFoldLatin1[cp - 0xC0];
      if (f != nullptr)
        out += f;
      else
        out.append(utf8.substr(i, n));
    } else {
      out.append(utf8.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  std::size_t len = 0;
  while (!s.empty() && is_blank_at(s, 0, len)) s.remove_prefix(len);
  while (!s.empty()) {
    const unsigned char last = static_cast<unsigned char>(s.back());
    if (last == ' ' || last == '\t' || last == '\r' || last == '\n' || last == '\v' || last == '\f') {
      s.remove_suffix(1);
    } else if (last == 0xA0 && s.size() >= 2 && static_cast<unsigned char>(s[s.size() - 2]) == 0xC2) {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

std::string squeeze_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 0;
    if (is_blank_at(s, i, len)) {
      pending_space = !out.empty();
      i += len;
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += s[i++];
  }
  return out;
}

std::string drop_controls(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) continue;
    out += ch;
  }
  return out;
}

std::string strip_tags(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kEntities = {{
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
      {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "},
  }};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '<') {
      // A tag: '<', optional '/', a short alphanumeric name starting with a
      // letter, then '>', '/' or a blank, and a '>' before any other '<'.
      std::size_t j = i + 1;
      if (j < s.size() && s[j] == '/') ++j;
      const std::size_t name_start = j;
      while (j < s.size() && is_ascii_alnum(s[j]) && j - name_start < 12) ++j;
      const bool has_name = j > name_start && is_ascii_alpha(s[name_start]);
      if (has_name && j < s.size() && (s[j] == '>' || s[j] == '/' || s[j] == ' ')) {
        const std::size_t close = s.find_first_of("<>", j);
        if (close != std::string_view::npos && s[close] == '>' && close - i < 256) {
          i = close + 1;
          continue;
        }
      }
    } else if (s[i] == '&') {
      bool replaced = false;
      for (const auto& [entity, value] : kEntities) {
        if (s.substr(i, entity.size()) == entity) {
          out += value;
          i += entity.size();
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += s[i++];
  }
  return out;
}

std::string strip_markdown(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == '*' || s[i] == '_') && i + 1 < s.size() && s[i + 1] == s[i]) {
      ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::vector<std::string> split_cells(std::string_view line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    const std::string_view raw =
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
    cells.push_back(squeeze_spaces(strip_tags(trim(raw))));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return cells;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 0;
    if (is_blank_at(s, i, len)) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
      i += len;
      continue;
    }
    current += s[i++];
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

bool contains_folded(std::string_view haystack, std::string_view needle) {
  return fold(haystack).find(fold(needle)) != std::string::npos;
}

}  // namespace sseccoe::catalog::text
