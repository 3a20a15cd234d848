// Small text helpers for reading PAT documents: encoding repair, cell
// splitting and accent-insensitive matching. PAT documents arrive as text
// exported from Word or PDF, in UTF-8 or Windows-1252, so every string the
// importer keeps goes through these first.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::catalog::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes Windows-1252 bytes to UTF-8. The five bytes Windows-1252 leaves
// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 code points of the
// same value, as Latin-1 would read them, so no byte is lost.
std::string cp1252_to_utf8(std::string_view bytes);

// Number of Unicode code points in valid UTF-8 text.
std::size_t code_points(std::string_view utf8);

// Lower-case, accent-free form for matching: "Código de ÉTICA" -> "codigo de
// etica". Covers Latin-1 letters (all Spanish ones); other code points pass
// through unchanged.
std::string fold(std::string_view utf8);

// Strips ASCII blanks and no-break spaces (U+00A0) at both ends.
std::string_view trim(std::string_view s);

// Collapses every run of blanks into one space and trims.
std::string squeeze_spaces(std::string_view s);

// Removes control characters other than TAB (binary garbage, NULs, form feeds).
std::string drop_controls(std::string_view s);

// Removes HTML-ish formatting tags ("<i>", "</b>", "<span class=x>") and
// decodes the common entities (&amp; &lt; &gt; &quot; &#39; &nbsp;). Angle
// brackets that do not form a tag ("<https://...>", "a < b") are kept.
std::string strip_tags(std::string_view s);

// Removes Markdown bold/italic markers ("**", "__") that text exports leave.
std::string strip_markdown(std::string_view s);

// Splits a line on TAB; each cell is trimmed, tags stripped and spaces squeezed.
std::vector<std::string> split_cells(std::string_view line);

// Splits on blanks into words.
std::vector<std::string> words(std::string_view s);

// True when `haystack` contains `needle` once both are folded.
bool contains_folded(std::string_view haystack, std::string_view needle);

}  // namespace sseccoe::catalog::text
