// Path globs, shared by plugins (include/exclude) and the core (rule match),
// header-only so a plugin needs no SDK library.
//   **   any sequence of characters, '/' included ("**/" may match nothing,
//        so "**/*.pdf" matches "a.pdf" and "x/y/a.pdf")
//   *    any sequence without '/'
//   ?    one character (a UTF-8 code point) other than '/'
//   [..] one character of a class: [abc], [a-z], [!abc] or [^abc]
// Case folding, when asked for, covers ASCII letters and the accented Latin
// letters of Spanish (á é í ó ú ü ñ), which is what Windows shares differ by.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sseccoe::sdk {

namespace glob_detail {

// Decodes one UTF-8 code point at s[i], advancing i; invalid bytes are
// returned as themselves (0x80..0xFF) so that any byte string can be matched.
inline char32_t next_cp(std::string_view s, std::size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len <= 1 || i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return c;
  }
  char32_t cp = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += static_cast<std::size_t>(len);
  return cp;
}

inline char32_t fold(char32_t c, bool icase) {
  if (!icase) return c;
  if (c >= 'A' && c <= 'Z') return c + 32;
  // Latin-1 upper-case letters À..Þ (but not ×) fold to à..þ.
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  return c;
}

inline bool class_match(std::string_view p, std::size_t& pi, char32_t c, bool icase, bool& ok) {
  // p[pi] is just after '['. Returns whether c is in the class; pi ends after ']'.
  bool negate = pi < p.size() && (p[pi] == '!' || p[pi] == '^');
  if (negate) ++pi;
  bool in = false, first = true;
  while (pi < p.size() && (p[pi] != ']' || first)) {
    first = false;
    char32_t lo = fold(next_cp(p, pi), icase);
    char32_t hi = lo;
    if (pi + 1 < p.size() && p[pi] == '-' && p[pi + 1] != ']') {
      ++pi;
      hi = fold(next_cp(p, pi), icase);
    }
    if (c >= lo && c <= hi) in = true;
  }
  ok = pi < p.size();  // found the closing ']'
  if (ok) ++pi;
  return in != negate;
}

inline bool match(std::string_view p, std::size_t pi, std::string_view s, std::size_t si, bool icase, int depth) {
  if (depth > 64) return false;  // pathological patterns: refuse rather than recurse forever
  while (pi < p.size()) {
    if (p[pi] == '*') {
      bool dbl = pi + 1 < p.size() && p[pi + 1] == '*';
      if (dbl) {
        std::size_t rest = pi + 2;
        bool slash_after = rest < p.size() && p[rest] == '/';
        if (slash_after && match(p, rest + 1, s, si, icase, depth + 1)) return true;  // "**/" matches nothing
        for (std::size_t k = si; k <= s.size(); ++k)
          if (match(p, rest, s, k, icase, depth + 1)) return true;
        return false;
      }
      for (std::size_t k = si; k <= s.size(); ++k) {
        if (match(p, pi + 1, s, k, icase, depth + 1)) return true;
        if (k < s.size() && s[k] == '/') break;
      }
      return false;
    }
    if (si >= s.size()) return false;
    if (p[pi] == '?') {
      if (s[si] == '/') return false;
      ++pi;
      next_cp(s, si);
      continue;
    }
    if (p[pi] == '[') {
      std::size_t save = pi;
      ++pi;
      std::size_t sj = si;
      char32_t c = fold(next_cp(s, sj), icase);
      bool closed = false;
      bool in = class_match(p, pi, c, icase, closed);
      if (closed) {
        if (!in || c == '/') return false;
        si = sj;
        continue;
      }
      pi = save;  // no closing ']': a literal '['
    }
    std::size_t pj = pi, sj = si;
    if (fold(next_cp(p, pj), icase) != fold(next_cp(s, sj), icase)) return false;
    pi = pj;
    si = sj;
  }
  return si == s.size();
}

}  // namespace glob_detail

inline bool glob_match(std::string_view pattern, std::string_view path, bool case_insensitive = false) {
  return glob_detail::match(pattern, 0, path, 0, case_insensitive, 0);
}

// A syntax check for configuration: empty when fine, else what is wrong.
inline std::string glob_error(std::string_view pattern) {
  if (pattern.empty()) return "empty pattern";
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '[') {
      std::size_t j = i + 1;
      if (j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^')) ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      while (j < pattern.size() && pattern[j] != ']') ++j;
      if (j >= pattern.size()) return "unclosed '[' at position " + std::to_string(i + 1);
      i = j;
    }
  }
  if (pattern.find("***") != std::string_view::npos) return "'***' is not a pattern; use '**'";
  return {};
}

}  // namespace sseccoe::sdk
