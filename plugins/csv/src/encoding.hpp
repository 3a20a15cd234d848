// Text encodings of HR exports: which one a file is in, and turning a cell's
// bytes into UTF-8.
//
// The CSV structure (quotes, delimiters, line breaks) is ASCII, and every
// encoding read here is ASCII-compatible, so records are split on the raw
// bytes and only finished cells are decoded. That keeps a byte offset in
// the file meaningful (recovery seeks to a line) and lets a row with bytes
// that are not text be quarantined alone.
//
// UTF-16 (Excel's "Texto Unicode") is not ASCII-compatible; it is recognised
// by its byte-order mark and refused with advice rather than misread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::csv {

enum class Encoding {
  Utf8,         // also plain ASCII
  Windows1252,  // Excel's "CSV (delimitado por comas)" on a Spanish Windows
  Latin1,       // ISO-8859-1: only when forced (files labelled Latin-1 are nearly always Windows-1252)
};

// "utf-8", "windows-1252", "latin-1": as the option spells it and logs show it.
std::string_view name_of(Encoding e);

// The `encoding` option: "auto" gives nullopt. Accepted spellings ignore
// case: utf-8/utf8, windows-1252/cp1252, latin-1/latin1/iso-8859-1.
// Throws std::invalid_argument listing the accepted values.
std::optional<Encoding> parse_encoding_option(std::string_view text);

// What starts a file, before any text.
enum class Bom { None, Utf8, Utf16Le, Utf16Be };
struct BomInfo {
  Bom bom = Bom::None;
  std::size_t length = 0;  // bytes to skip
};
// `head` is the first bytes of the file (at least 3 if the file has them).
BomInfo detect_bom(std::string_view head);

// The decision for a file whose text so far was plain ASCII, made on a
// window of bytes starting at the first record that is not.
struct Detection {
  Encoding encoding = Encoding::Utf8;
  std::string detector_said;  // uchardet's answer ("ISO-8859-1", "UTF-8", "" when it had none)
};

// uchardet reads the window; its answer is mapped onto the encodings this
// plugin reads. uchardet misnames short single-byte Spanish samples (a few
// accented words come out as ISO-8859-10, -13 or WINDOWS-1250), and a
// UTF-8 window with one damaged byte may not be UTF-8 to it, so the
// window's own evidence comes first: well-formed multi-byte UTF-8
// sequences outnumbering stray bytes four to one make it UTF-8 (rows with
// the stray bytes are then quarantined); otherwise uchardet's "UTF-8" or
// "ASCII" makes it UTF-8, and anything else Windows-1252.
Detection detect_encoding(std::string_view window);

// Decodes `cell` in place into UTF-8. Returns false, leaving `cell` as it
// was, when it holds bytes that are not text in `e`: a malformed UTF-8
// sequence, one of the five bytes Windows-1252 leaves undefined (81 8D 8F 90
// 9D), or a NUL byte in any encoding (a binary or UTF-16 file).
bool decode_cell(std::string& cell, Encoding e, std::string& scratch);

// True when `s` has a byte outside ASCII.
bool has_non_ascii(std::string_view s);

}  // namespace sseccoe::csv
