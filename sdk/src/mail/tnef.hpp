// Outlook's winmail.dat (application/ms-tnef, "Transport Neutral
// Encapsulation Format"): Exchange may wrap a message's attachments in it,
// and then the certificate a committee waits for is inside. Unpacked here so
// that the attachments inside become the message's own, exactly as if they
// had been ordinary MIME parts (same names for rules, same content role).
//
// How, with memory flat:
//  1. the part is decoded from the spool into a scratch file (unlinked at
//     once) beside the spool, at most kMaxTnefBytes;
//  2. the TNEF framing (attributes: level, id, length, data, checksum) is
//     walked from that file with a small buffer and checked: every length
//     against what remains, every checksum;
//  3. libytnef parses the attributes that describe each attachment
//     (rendering data, MAPI properties: the long file name, the MIME type),
//     through a custom reader over the file that skips the attachments'
//     bytes; a MAPI block it would complain about (on stdout) is left out;
//  4. each attachment's bytes stay where they are: a range of the scratch
//     file, read through the same part streams as a MIME attachment.
// A winmail.dat that is too large, malformed or holds something this cannot
// read is kept as one opaque attachment, and `problem` says why.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "parse.hpp"

namespace sseccoe::sdk::mail::detail {

// The largest winmail.dat unpacked. libytnef can only parse from memory: the
// MAPI blocks handed to it, and the bytes of an attachment kept only in its
// MAPI properties, are loaded whole (the ordinary attachments' bytes are
// streamed from the scratch file). This bounds that, and the scratch copy,
// well above what Exchange lets through (25 to 35 MiB by default, base64
// included); past it a file is hostile or exotic, and is kept as it is.
constexpr std::uint64_t kMaxTnefBytes = 64ull << 20;

// At most this many winmail.dat parts of one message are unpacked (Outlook
// writes one); the rest are kept as they are.
constexpr std::size_t kMaxTnefPerMessage = 16;

// A winmail.dat part: its type is application/ms-tnef or
// application/vnd.ms-tnef, or its name is winmail.dat (any case).
bool is_tnef(std::string_view media_type, std::string_view file_name);

// Every defect about a winmail.dat starts with this: message_warnings()
// picks them out for the source to log.
constexpr std::string_view kTnefDefectPrefix = "winmail.dat";

struct TnefAttachment {
  std::string name;        // decoded to UTF-8, not yet made safe (safe_file_name) nor unique
  std::string media_type;  // PR_ATTACH_MIME_TAG when given, else from the extension
  PartLocation location;   // a range of the scratch file
};

struct TnefContents {
  // Empty when unpacked; else why not, one English phrase (no personal
  // data): "it is truncated: ...", "it is larger than 64 MiB", ...
  std::string problem;
  std::vector<TnefAttachment> attachments;
  // What was left out although the rest was unpacked, one phrase each.
  std::vector<std::string> notes;
};

// Unpacks the winmail.dat at `loc` of the spooled message `spool_path`.
// Throws std::runtime_error only when the scratch file cannot be made or
// written (disk full: nothing about the message is wrong, the pass fails and
// the message is read again); every problem of the TNEF itself is returned.
TnefContents unpack_tnef(const std::string& spool_path, const PartLocation& loc, const std::string& scratch_dir);

// libytnef turns a UTF-16 MAPI string (PT_UNICODE) into UTF-8 one code
// unit at a time: a character outside the BMP comes out as two encoded
// surrogates (CESU-8), which is not UTF-8. This re-reads those code units
// and encodes them properly (pairs joined, lone surrogates U+FFFD), up to
// the first NUL. Exposed for tests.
std::string from_ytnef_unicode(std::string_view converted);

}  // namespace sseccoe::sdk::mail::detail
