// Strict UTF-8 decoding, NFC normalisation and simple case mapping: the text
// primitives behind natural keys and globs. Thin wrappers over utf8proc.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::sdk::utf8 {

// Length of the well-formed UTF-8 sequence starting at `s[i]` (1 to 4), or 0
// when the bytes there are not well-formed: a stray continuation byte, a
// truncated sequence, an overlong form, a surrogate (U+D800..U+DFFF) or a
// code point above U+10FFFF (Unicode 15, table 3-7).
std::size_t sequence_length(std::string_view s, std::size_t i);

// True when every byte of `s` belongs to a well-formed sequence.
bool is_valid(std::string_view s);

// The code point of the well-formed sequence of `len` bytes at `s[i]`.
char32_t decode_at(std::string_view s, std::size_t i, std::size_t len);

void append(std::string& out, char32_t cp);

// Unicode Normalization Form C of well-formed UTF-8. Throws
// std::invalid_argument when `s` is not well-formed.
std::string nfc(std::string_view s);

// Decodes `s` into code points. A byte that is not part of a well-formed
// sequence becomes U+DC80..U+DCFF (the "surrogateescape" convention), which
// no well-formed text and no glob literal can contain.
std::vector<char32_t> code_points(std::string_view s);

char32_t to_lower(char32_t cp);
char32_t to_upper(char32_t cp);

// Lower-cases well-formed UTF-8 code point by code point (simple mapping).
std::string lower(std::string_view s);

}  // namespace sseccoe::sdk::utf8
