// The content streams of a spooled message: a std::istream over bytes
// [begin, end) of the file, decoded while read by GMime's transfer-encoding
// filter (base64, quoted-printable, uuencode), in fixed-size chunks; or of
// the scratch file of the location (an attachment unpacked from a
// winmail.dat), as is. Memory stays the same whatever the part's size.
#pragma once

#include <istream>
#include <memory>
#include <string>

#include "parse.hpp"

namespace sseccoe::sdk::mail::detail {

constexpr std::size_t kPartChunk = 64 * 1024;

// Throws sdk::ContentError: transient when the spool file is gone (the
// source offers the message again), permanent on a read error. The stream
// has badbit in its exception mask, so a read error reaches the reader as
// that ContentError. `what` names the part in messages ("attachment 2 of
// message <key>").
std::unique_ptr<std::istream> open_part(const std::string& path, const PartLocation& loc, const std::string& what);

// The whole file, as is.
std::unique_ptr<std::istream> open_raw(const std::string& path, const std::string& what);

}  // namespace sseccoe::sdk::mail::detail
