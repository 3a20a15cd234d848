// CURP and RFC validators, masks, canonical forms and comparison folding
// (see sseccoe/sdk/identity.hpp). Part of sseccoe_sdk_text, which the
// plugins, the core and the registry all link.
#include "sseccoe/sdk/identity.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk::identity {

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
int digit(char c) { return c - '0'; }

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool valid_ymd(int y, int m, int d) {
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  int max = days[static_cast<std::size_t>(m - 1)] + (m == 2 && leap(y) ? 1 : 0);
  return d <= max;
}

// Two decimal digits at s[i], s[i+1]; callers have checked they are digits.
int two(std::string_view s, std::size_t i) { return digit(s[i]) * 10 + digit(s[i + 1]); }

// Words RENAPO and SAT never issue as initials (they replace the second
// letter with an X instead). Same lists as python-stdnum.
template <std::size_t N>
bool in_list(std::string_view word, const std::string_view (&list)[N]) {
  for (auto w : list)
    if (w == word) return true;
  return false;
}

constexpr std::string_view kCurpBadWords[] = {
    "BACA", "BAKA", "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE", "COGI", "COJA",
    "COJE", "COJI", "COJO", "COLA", "CULO", "FALO", "FETO", "GETA", "GUEI", "GUEY", "JETA", "JOTO", "KACA",
    "KACO", "KAGA", "KAGO", "KAKA", "KAKO", "KOGE", "KOGI", "KOJA", "KOJE", "KOJI", "KOJO", "KOLA", "KULO",
    "LILO", "LOCA", "LOCO", "LOKA", "LOKO", "MAME", "MAMO", "MEAR", "MEAS", "MEON", "MIAR", "MION", "MOCO",
    "MOKO", "MULA", "MULO", "NACA", "NACO", "PEDA", "PEDO", "PENE", "PIPI", "PITO", "POPO", "PUTA", "PUTO",
    "QULO", "RATA", "ROBA", "ROBE", "ROBO", "RUIN", "SENO", "TETA", "VACA", "VAGA", "VAGO", "VAKA", "VUEI",
    "VUEY", "WUEI", "WUEY"};

constexpr std::string_view kRfcBadWords[] = {
    "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE", "COJA", "COJE", "COJI", "COJO", "CULO",
    "FETO", "GUEY", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KOGE", "KOJO", "KULO", "MAME", "MAMO", "MEAR",
    "MEAS", "MEON", "MION", "MOCO", "MULA", "PEDA", "PEDO", "PENE", "PUTA", "PUTO", "QULO", "RATA", "RUIN"};

// The 32 federal entities plus NE (nacido en el extranjero), as RENAPO
// encodes them in the CURP.
constexpr std::string_view kCurpStates[] = {
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS",
    "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"};

bool is_consonant(char c) {
  return is_upper(c) && c != 'A' && c != 'E' && c != 'I' && c != 'O' && c != 'U';
}

// python-stdnum's CURP check alphabet: the index of a character is its value.
int curp_value(char c) {
  static constexpr std::string_view alphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ";
  auto pos = alphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// An RFC as a sequence of symbols: ASCII bytes, and Ñ (UTF-8 C3 91) as the
// single symbol kEnye. Anything else (lower case, other non-ASCII, broken
// UTF-8) makes the whole RFC malformed.
constexpr char kEnye = '\x01';

std::optional<std::string> rfc_symbols(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (!is_upper(static_cast<char>(c)) && !is_digit(static_cast<char>(c)) && c != '&') return std::nullopt;
      out.push_back(static_cast<char>(c));
    } else if (c == 0xC3 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x91) {
      out.push_back(kEnye);
      ++i;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool rfc_letter(char c) { return is_upper(c) || c == '&' || c == kEnye; }

// Number of leading initials (3 for a company, 4 for a person), or 0 when
// the length is neither 12 nor 13.
std::size_t rfc_initials(const std::string& sym) {
  if (sym.size() == 12) return 3;
  if (sym.size() == 13) return 4;
  return 0;
}

// Masks every code point of `s` but the first `keep_head` and the last
// `keep_tail` code points; the output has one '*' per masked code point so
// that a masked value never reveals a multi-byte character's bytes.
std::string mask_generic(std::string_view s, std::size_t keep_head, std::size_t keep_tail) {
  std::vector<std::string_view> cps;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = 1;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    if (i + n > s.size()) n = s.size() - i;
    cps.push_back(s.substr(i, n));
    i += n;
  }
  // A short value keeps at most a third of itself.
  if (keep_tail == 0) keep_head = std::min(keep_head, cps.size() / 3);
  if (keep_head + keep_tail > cps.size()) keep_head = keep_tail = 0;
  std::string out;
  for (std::size_t i = 0; i < cps.size(); ++i) {
    bool keep = i < keep_head || i >= cps.size() - keep_tail;
    // Only printable ASCII is ever kept: a kept byte of a broken sequence
    // would make the log line mis-encoded.
    if (keep && cps[i].size() == 1 && cps[i][0] > ' ' && cps[i][0] < 0x7f) out += cps[i];
    else if (keep && cps[i] == "\xC3\x91") out += cps[i];
    else out += '*';
  }
  return out;
}

}  // namespace

std::string curp_error(std::string_view c) {
  if (c.size() != 18) return "a CURP has 18 characters, this one has " + std::to_string(c.size()) + " bytes";
  for (std::size_t i = 0; i < 4; ++i)
    if (!is_upper(c[i])) return "characters 1-4 of a CURP must be upper-case letters A-Z";
  for (std::size_t i = 4; i < 10; ++i)
    if (!is_digit(c[i])) return "characters 5-10 of a CURP must be the birth date as digits YYMMDD";
  for (std::size_t i = 10; i < 16; ++i)
    if (!is_upper(c[i])) return "characters 11-16 of a CURP must be upper-case letters A-Z";
  if (!is_upper(c[16]) && !is_digit(c[16])) return "character 17 of a CURP must be a digit or a letter";
  if (!is_digit(c[17])) return "character 18 of a CURP (the check digit) must be a digit";
  if (in_list(c.substr(0, 4), kCurpBadWords)) return "the initials of a CURP are never one of RENAPO's excluded words";
  // The differentiator is a digit for people born before 2000, a letter after.
  int year = (is_digit(c[16]) ? 1900 : 2000) + two(c, 4);
  if (!valid_ymd(year, two(c, 6), two(c, 8))) return "characters 5-10 of the CURP are not a real birth date";
  if (c[10] != 'H' && c[10] != 'M' && c[10] != 'X') return "character 11 of a CURP (sex) must be H, M or X";
  if (!in_list(c.substr(11, 2), kCurpStates)) return "characters 12-13 of the CURP are not a state code";
  for (std::size_t i = 13; i < 16; ++i)
    if (!is_consonant(c[i])) return "characters 14-16 of a CURP must be consonants";
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += curp_value(c[i]) * static_cast<int>(18 - i);
  if (digit(c[17]) != (10 - sum % 10) % 10) return "the check digit of the CURP is wrong (a typo?)";
  return {};
}

std::string rfc_error(std::string_view rfc) {
  auto sym = rfc_symbols(rfc);
  if (!sym) return "an RFC contains only upper-case letters A-Z, '&', 'Ñ' and digits";
  std::size_t k = rfc_initials(*sym);
  if (k == 0)
    return "an RFC has 12 characters (a company) or 13 (a person), this one has " + std::to_string(sym->size());
  for (std::size_t i = 0; i < k; ++i)
    if (!rfc_letter((*sym)[i])) return "the first " + std::to_string(k) + " characters of this RFC must be letters";
  for (std::size_t i = k; i < k + 6; ++i)
    if (!is_digit((*sym)[i])) return "the 6 characters after the initials of an RFC must be a date YYMMDD";
  for (std::size_t i = k + 6; i < sym->size(); ++i)
    if (!is_upper((*sym)[i]) && !is_digit((*sym)[i])) return "the homoclave of an RFC is 3 letters A-Z or digits";
  if (k == 4 && in_list(std::string_view(*sym).substr(0, 4), kRfcBadWords))
    return "the initials of an RFC are never one of SAT's excluded words";
  // The century is not encoded. Like python-stdnum we read 20YY, which has
  // the same leap years as 19YY except that 29 February "00" is accepted.
  if (!valid_ymd(2000 + two(*sym, k), two(*sym, k + 2), two(*sym, k + 4)))
    return "the date in the RFC is not a real date";
  return {};
}

bool rfc_check_digit_ok(std::string_view rfc) {
  if (!rfc_error(rfc).empty()) return false;
  std::string sym = *rfc_symbols(rfc);
  // The homoclave's alphabet: first 1-9A-V, second 1-9A-Z, check 0-9 or A.
  char h1 = sym[sym.size() - 3], h2 = sym[sym.size() - 2], check = sym[sym.size() - 1];
  if (!((h1 >= '1' && h1 <= '9') || (h1 >= 'A' && h1 <= 'V'))) return false;
  if (!((h2 >= '1' && h2 <= '9') || is_upper(h2))) return false;
  if (!(is_digit(check) || check == 'A')) return false;
  // python-stdnum: the 12 symbols before the check digit, left-padded with
  // spaces, weighted 13..2 over "0-9 A-N & O-Z space Ñ".
  static constexpr std::string_view alphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ \x01";
  std::string body = sym.substr(0, sym.size() - 1);
  body.insert(0, 12 - body.size(), ' ');
  int sum = 0;
  for (std::size_t i = 0; i < 12; ++i) sum += static_cast<int>(alphabet.find(body[i])) * static_cast<int>(13 - i);
  int v = ((11 - sum) % 11 + 11) % 11;
  return alphabet[static_cast<std::size_t>(v)] == check;
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(s[i])) return false;
  return valid_ymd(two(s, 0) * 100 + two(s, 2), two(s, 5), two(s, 8));
}

std::string mask_curp(std::string_view c) {
  bool shaped = c.size() == 18;
  for (char ch : c) shaped = shaped && (is_upper(ch) || is_digit(ch));
  if (!shaped) return mask_generic(c, 2, 0);
  std::string out(c);
  for (std::size_t i = 4; i < 10; ++i) out[i] = '*';
  for (std::size_t i = 13; i < 16; ++i) out[i] = '*';
  return out;
}

std::string mask_rfc(std::string_view rfc) {
  auto sym = rfc_symbols(rfc);
  std::size_t k = sym ? rfc_initials(*sym) : 0;
  if (k == 0) return mask_generic(rfc, 2, 0);
  return mask_generic(rfc, k, 2);
}


namespace {

// White space as a spreadsheet or a database may carry it around or inside
// an identifier: ASCII space and controls, no-break and other Unicode spaces,
// and the invisible byte-order mark and zero-width space.
bool is_blank(char32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 || cp == 0x1680) return true;
  if (cp >= 0x2000 && cp <= 0x200B) return true;
  return cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// '-' and its typographic cousins (a spreadsheet's autocorrect turns one
// into the other).
bool is_dash(char32_t cp) {
  return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE63 || cp == 0xFF0D;
}

std::string canonical_identifier(std::string_view s) {
  // NFC first, so that an "N" followed by a combining tilde becomes the one
  // character "Ñ" the RFC alphabet knows; broken UTF-8 is left for the
  // validator to refuse.
  const std::string text = utf8::is_valid(s) ? utf8::nfc(s) : std::string(s);
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : utf8::code_points(text)) {
    if (cp >= 0xDC80 && cp <= 0xDCFF) {
      out += static_cast<char>(cp - 0xDC00);  // a stray byte stays as it was
    } else if (!is_blank(cp) && !is_dash(cp)) {
      utf8::append(out, utf8::to_upper(cp));
    }
  }
  return out;
}

// Replaces every byte that is not part of a well-formed sequence by U+FFFD,
// so that utf8proc (which refuses the whole string otherwise) can fold it.
std::string well_formed(std::string_view s) {
  if (utf8::is_valid(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8::sequence_length(s, i);
    if (len == 0) {
      utf8::append(out, 0xFFFD);
      ++i;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

bool is_apostrophe(char32_t cp) {
  return cp == '\'' || cp == '`' || cp == 0xB4 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x02B9;
}

bool is_word_char(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string canonical_curp(std::string_view curp) { return canonical_identifier(curp); }

std::string canonical_rfc(std::string_view rfc) { return canonical_identifier(rfc); }

std::string fold_text(std::string_view text) {
  const std::string input = well_formed(text);
  // COMPAT unifies compatibility forms, CASEFOLD folds case, COMPOSE with
  // STRIPMARK decomposes, drops the combining marks and recomposes what is
  // left, IGNORE drops default-ignorable characters (BOM, zero-width space),
  // LUMP maps the many Unicode spaces, dashes and quotes to their ASCII form.
  utf8proc_uint8_t* raw = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(input.data()), static_cast<utf8proc_ssize_t>(input.size()), &raw,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
                                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_LUMP));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(raw, &std::free);
  // utf8proc only fails on input that is not well-formed, which `input` is
  // not; lower-casing is the closest fallback should it fail anyway.
  const std::string folded =
      n < 0 ? utf8::lower(input) : std::string(reinterpret_cast<const char*>(raw), static_cast<std::size_t>(n));
  std::string out;
  out.reserve(folded.size());
  bool pending_space = false;
  for (char32_t cp : utf8::code_points(folded)) {
    if (is_blank(cp)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    utf8::append(out, cp);
  }
  return out;
}

std::string name_key(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (char32_t cp : utf8::code_points(fold_text(name))) {
    if (is_apostrophe(cp)) continue;
    if (is_word_char(cp)) {
      utf8::append(word, cp);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  std::sort(words.begin(), words.end());
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

}  // namespace sseccoe::sdk::identity
