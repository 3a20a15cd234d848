// Small text helpers the reader's messages and paths share.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sseccoe::xlsx {

// "512 bytes", "64 KiB", "1.5 MiB", "4 GiB": a size as an operator reads it.
std::string human_size(std::uint64_t bytes);

// ASCII lower case; other bytes (UTF-8) unchanged. OPC part names and the
// XML values the format defines ("true", "inlineStr") are ASCII.
std::string lower_ascii(std::string_view s);

// "file://" + the absolute path, every byte outside [A-Za-z0-9-._~/]
// percent-encoded (RFC 8089), so that a locator points at the raw bytes.
std::string file_locator(std::string_view absolute_path);

// A name quoted for a message: 'Hoja 1', control characters and invalid
// UTF-8 replaced, at most 80 characters.
std::string quoted(std::string_view name);

}  // namespace sseccoe::xlsx
