#include "util/mask.hpp"

#include <cstddef>

namespace sseccoe::util {

namespace {

// Hand-written scanners rather than std::regex: masking runs on every log
// line, including text from outside (a registry's error message, a 100 KB
// mail subject), and libstdc++'s regex recurses once per character (a long
// line overflows the stack) and searches in quadratic time. These are
// linear and allocate only the output.

bool ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool ascii_digit(char c) { return c >= '0' && c <= '9'; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool ascii_alnum(char c) { return ascii_letter(c) || ascii_digit(c); }

// 'Ñ' or 'ñ' (two bytes in UTF-8) at s[i]: RFCs may contain it.
bool enye_at(std::string_view s, std::size_t i) {
  return s[i] == '\xC3' && i + 1 < s.size() && (s[i + 1] == '\x91' || s[i + 1] == '\xB1');
}

// An identifier stands alone: no ASCII letter or digit right before or
// after it. Anything else separates, '_' and '-' included, which file names
// use between words, and non-ASCII bytes ("Ñ" before a CURP).
// An 'Ñ' may start an RFC even right after a letter: it is not ASCII.
bool boundary_before(std::string_view s, std::size_t i) {
  return i == 0 || !ascii_alnum(s[i - 1]) || enye_at(s, i);
}
bool boundary_after(std::string_view s, std::size_t end) { return end == s.size() || !ascii_alnum(s[end]); }

// [A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d, any case, at s[i]:
// its length, or 0.
std::size_t curp_at(std::string_view s, std::size_t i) {
  if (s.size() - i < 18) return 0;
  const std::string_view w = s.substr(i, 18);
  auto letter = [&](std::size_t k) { return ascii_letter(w[k]); };
  auto digit = [&](std::size_t k) { return ascii_digit(w[k]); };
  auto one_of = [&](std::size_t k, std::string_view set) { return set.find(upper(w[k])) != std::string_view::npos; };
  if (!letter(0) || !one_of(1, "AEIOUX") || !letter(2) || !letter(3)) return 0;
  for (std::size_t k = 4; k < 10; ++k)
    if (!digit(k)) return 0;
  if (!one_of(10, "HMX")) return 0;
  for (std::size_t k = 11; k < 16; ++k)
    if (!letter(k)) return 0;
  return (letter(16) || digit(16)) && digit(17) ? 18 : 0;
}

// [A-Z&Ñ]{3,4}\d{6}[A-Z0-9]{3}, any case, at s[i] (12 characters for a
// company, 13 for a person): its length in bytes, or 0.
std::size_t rfc_at(std::string_view s, std::size_t i) {
  std::size_t j = i, letters = 0;
  while (j < s.size() && letters < 5) {
    if (ascii_letter(s[j]) || s[j] == '&')
      j += 1;
    else if (enye_at(s, j))
      j += 2;
    else
      break;
    ++letters;
  }
  if (letters < 3 || letters > 4) return 0;
  for (std::size_t k = 0; k < 6; ++k, ++j)
    if (j >= s.size() || !ascii_digit(s[j])) return 0;
  for (std::size_t k = 0; k < 3; ++k, ++j)
    if (j >= s.size() || !ascii_alnum(s[j])) return 0;
  return j - i;
}

// Keeps the first four characters of an identifier and replaces each of the
// others with '*'.
void append_masked(std::string& out, std::string_view id) {
  std::size_t i = 0, chars = 0;
  while (i < id.size()) {
    const std::size_t n = enye_at(id, i) ? 2 : 1;
    if (chars < 4)
      out.append(id.substr(i, n));
    else
      out += '*';
    i += n;
    ++chars;
  }
}

std::string mask_identifiers(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (boundary_before(s, i)) {
      std::size_t n = curp_at(s, i);
      if (n == 0 || !boundary_after(s, i + n)) n = rfc_at(s, i);
      if (n != 0 && boundary_after(s, i + n)) {
        append_masked(out, s.substr(i, n));
        i += n;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

bool local_char(char c) {
  return ascii_letter(c) || ascii_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool domain_char(char c) { return ascii_letter(c) || ascii_digit(c) || c == '.' || c == '-'; }

// local@domain, the domain ending in '.' and two or more letters; keeps two
// characters of the local part and the whole domain, which says which
// institution a message came from without saying who.
std::string mask_emails(const std::string& s) {
  std::string out;
  std::size_t copied = 0;  // s[copied..] is not in `out` yet
  for (std::size_t at = s.find('@'); at != std::string::npos; at = s.find('@', at + 1)) {
    std::size_t local = at;
    while (local > copied && local_char(s[local - 1])) --local;
    if (local == at) continue;
    // The longest prefix of the domain run that ends in ".xx..." with
    // something before the dot.
    std::size_t end = std::string::npos, letters = 0;
    for (std::size_t k = at + 1; k < s.size() && domain_char(s[k]); ++k) {
      letters = ascii_letter(s[k]) ? letters + 1 : 0;
      if (letters >= 2 && k - letters > at + 1 && s[k - letters] == '.') end = k + 1;
    }
    if (end == std::string::npos) continue;
    out.append(s, copied, local - copied);
    const std::size_t n = at - local;
    if (n <= 2)
      out.append(n, '*');
    else
      out.append(s, local, 2).append(n - 2, '*');
    out.append(s, at, end - at);
    copied = end;
  }
  out.append(s, copied, std::string::npos);
  return out;
}

// Byte length of the first n UTF-8 code points of s.
std::size_t utf8_prefix_bytes(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  while (i < s.size() && n > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --n;
  }
  return i;
}

std::string mask_segment(std::string_view seg) {
  std::string_view ext;
  if (auto dot = seg.rfind('.'); dot != std::string_view::npos && dot > 0 && seg.size() - dot <= 6) {
    ext = seg.substr(dot);
    seg = seg.substr(0, dot);
  }
  std::size_t keep = utf8_prefix_bytes(seg, 3);
  std::string out(seg.substr(0, keep));
  if (keep < seg.size()) out += "\xE2\x80\xA6";  // …
  out += ext;
  return out;
}

}  // namespace

std::string mask_personal(std::string_view text) { return mask_emails(mask_identifiers(text)); }

std::string mask_key(std::string_view key) {
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start <= key.size()) {
    auto slash = key.find('/', start);
    auto seg = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    out += first ? std::string(seg) : mask_segment(seg);
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
    first = false;
  }
  // A key that is one segment (a Message-ID, an HR row key) is masked whole.
  if (key.find('/') == std::string_view::npos) return mask_personal(mask_segment(key));
  return mask_personal(out);
}

}  // namespace sseccoe::util
