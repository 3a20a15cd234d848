// Text helpers of the mail library: making any header or body text valid
// UTF-8, safe attachment names, HTML to plain text for the acuse.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sseccoe::sdk::mail::detail {

// `s` when it is well-formed UTF-8, else read as Windows-1252 (every byte
// kept: the five bytes Windows-1252 leaves undefined map to U+0081...).
std::string ensure_utf8(std::string_view s);

// Bytes in `charset` converted to UTF-8 (iconv via GLib); unknown or
// missing charsets and failed conversions fall back to ensure_utf8.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// A name safe to show and store: UTF-8, NFC, no directory part, no control
// characters, at most 200 bytes (the extension kept). Empty when nothing
// usable remains.
std::string safe_file_name(std::string_view decoded);

// "parte-N.ext" for a part without a name, the extension from its type.
std::string fallback_name(std::size_t n, std::string_view media_type);

// Text of an HTML document: tags, comments, <script> and <style> removed;
// <br>, <p>, <div>, <li>, <tr> and headings as line breaks; common
// entities and numeric references decoded; runs of blank lines collapsed.
std::string html_to_text(std::string_view html);

// "1.5 MiB" style sizes for messages people read.
std::string human_size(std::uint64_t bytes);

// The stem of a file name ("constancia.pdf" -> "constancia").
std::string stem_of(std::string_view name);

}  // namespace sseccoe::sdk::mail::detail
