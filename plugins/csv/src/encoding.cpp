#include "encoding.hpp"

#include <uchardet/uchardet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::csv {

namespace {

// Windows-1252's 0x80..0x9F (the rest is ISO-8859-1); 0 marks the five
// bytes the code page leaves undefined. Checked against glibc's iconv in
// the tests.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88-8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98-9F
};

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
  return out;
}

// How much of a window reads as UTF-8: well-formed multi-byte sequences
// against bytes that belong to none. A sequence cut by the window's end is
// neither.
struct Utf8Evidence {
  std::size_t multibyte = 0;
  std::size_t invalid = 0;
};

Utf8Evidence utf8_evidence(std::string_view w) {
  Utf8Evidence e;
  for (std::size_t i = 0; i < w.size();) {
    const std::size_t len = sdk::utf8::sequence_length(w, i);
    if (len > 1) {
      ++e.multibyte;
      i += len;
    } else if (len == 1) {
      ++i;
    } else {
      if (w.size() - i < 4 && static_cast<unsigned char>(w[i]) >= 0xC2) break;  // cut at the end
      ++e.invalid;
      ++i;
    }
  }
  return e;
}

std::string ask_uchardet(std::string_view window) {
  std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> ud(uchardet_new(), uchardet_delete);
  if (!ud) return {};
  if (uchardet_handle_data(ud.get(), window.data(), window.size()) != 0) return {};
  uchardet_data_end(ud.get());
  const char* said = uchardet_get_charset(ud.get());
  return said == nullptr ? std::string() : std::string(said);
}

bool decode_utf8(std::string& cell) {
  if (!sdk::utf8::is_valid(cell)) return false;
  return std::memchr(cell.data(), '\0', cell.size()) == nullptr;
}

bool decode_single_byte(std::string& cell, bool cp1252, std::string& scratch) {
  scratch.clear();
  scratch.reserve(cell.size() + cell.size() / 2);
  for (const char ch : cell) {
    const auto b = static_cast<unsigned char>(ch);
    if (b == 0) return false;
    if (b < 0x80) {
      scratch += ch;
      continue;
    }
    char32_t cp = b;
    if (cp1252 && b < 0xA0) {
      cp = kCp1252High[b - 0x80];
      if (cp == 0) return false;
    }
    sdk::utf8::append(scratch, cp);
  }
  cell.swap(scratch);
  return true;
}

}  // namespace

std::string_view name_of(Encoding e) {
  switch (e) {
    case Encoding::Utf8: return "utf-8";
    case Encoding::Windows1252: return "windows-1252";
    case Encoding::Latin1: return "latin-1";
  }
  return "?";
}

std::optional<Encoding> parse_encoding_option(std::string_view text) {
  const std::string t = lower_ascii(text);
  if (t == "auto") return std::nullopt;
  if (t == "utf-8" || t == "utf8") return Encoding::Utf8;
  if (t == "windows-1252" || t == "cp1252") return Encoding::Windows1252;
  if (t == "latin-1" || t == "latin1" || t == "iso-8859-1") return Encoding::Latin1;
  throw std::invalid_argument("'" + std::string(text) +
                              "' is not an encoding this plugin reads: use \"auto\", \"utf-8\", \"windows-1252\" "
                              "or \"latin-1\"");
}

BomInfo detect_bom(std::string_view head) {
  const auto starts = [&](std::string_view bom) { return head.substr(0, bom.size()) == bom; };
  if (starts("\xEF\xBB\xBF")) return {Bom::Utf8, 3};
  if (starts("\xFF\xFE")) return {Bom::Utf16Le, 2};
  if (starts("\xFE\xFF")) return {Bom::Utf16Be, 2};
  return {};
}

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

Detection detect_encoding(std::string_view window) {
  Detection d;
  d.detector_said = ask_uchardet(window);
  const std::string said = lower_ascii(d.detector_said);
  // Windows-1252 Spanish text practically never forms a valid multi-byte
  // UTF-8 sequence ("Ã±" would be one), so UTF-8 sequences that outnumber
  // stray bytes four to one mean a UTF-8 export, with a few damaged rows
  // that are then quarantined.
  const Utf8Evidence e = utf8_evidence(window);
  const bool mostly_utf8 = e.multibyte > 0 && e.multibyte >= 4 * e.invalid;
  if (mostly_utf8 || said == "utf-8" || said == "ascii") {
    d.encoding = Encoding::Utf8;
  } else {
    d.encoding = Encoding::Windows1252;
  }
  return d;
}

bool decode_cell(std::string& cell, Encoding e, std::string& scratch) {
  switch (e) {
    case Encoding::Utf8: return decode_utf8(cell);
    case Encoding::Windows1252: return decode_single_byte(cell, true, scratch);
    case Encoding::Latin1: return decode_single_byte(cell, false, scratch);
  }
  return false;
}

}  // namespace sseccoe::csv
