// Natural keys and locators of files: how a raw file name (any bytes but '/'
// and NUL) becomes stable, printable, injective text.
//
// Key encoding of one path segment:
//   - every maximal run of well-formed UTF-8 is normalised to NFC, so a name
//     written in NFD (macOS, some SMB clients) and the same name in NFC give
//     the same key;
//   - '%' is written "%25", control characters (U+0000..U+001F, U+007F) are
//     written "%XX" (so that a key never breaks a log line or a terminal);
//   - a byte that is not part of well-formed UTF-8 (a Latin-1 name on an old
//     share) is kept, written "%XX" with upper-case hex, never dropped.
// Because '%' itself is escaped, decoding is unambiguous: decode(encode(n))
// is n in NFC, and encode(decode(k)) == k for every key this code produced.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::folder {

// The key form of one raw name (a directory entry; no '/').
std::string encode_name(std::string_view raw_name);

// The raw bytes a key (or key segment) stands for, or nullopt when `key` is
// not something encode_name() produces ("%" not followed by two hex digits).
std::optional<std::string> decode_key(std::string_view key);

// A name for people: NFC, with every byte that is not well-formed UTF-8, and
// every control character, shown as U+FFFD. Not injective; never a key.
std::string display_name(std::string_view raw_name);

// "file://" + the absolute path, every byte outside [A-Za-z0-9-._~/]
// percent-encoded (RFC 8089, RFC 3986): it points at the raw bytes on disk.
std::string file_locator(std::string_view absolute_path);

// The key of `name` inside directory key `dir` ("" is the root).
std::string join_key(std::string_view dir, std::string_view name_key);

}  // namespace sseccoe::folder
