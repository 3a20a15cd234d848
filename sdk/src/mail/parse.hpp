// Reading a spooled message with GMime 3: headers, structure, and where each
// part's body lies in the file, so that contents can be decoded later from
// the file alone (the parser and its objects are gone by then).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::sdk::mail::detail {

// A scratch file the library made from a message (a decoded winmail.dat):
// unlinked as soon as it is created, so that only this descriptor keeps its
// bytes and nothing is left behind by a crash; closed with the last owner.
struct ScratchFile {
  int fd = -1;
  explicit ScratchFile(int fd) : fd(fd) {}
  ~ScratchFile();
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
};

// A part's body as bytes [begin, end) of the message file, still in its
// transfer encoding; or, when `file` is set, bytes [begin, end) of that
// scratch file, as they are (an attachment unpacked from a winmail.dat).
struct PartLocation {
  std::int64_t begin = 0;
  std::int64_t end = 0;
  int encoding = 0;  // GMimeContentEncoding
  std::string charset;
  bool html = false;
  std::shared_ptr<const ScratchFile> file;
};

struct ParsedMessage {
  Headers headers;
  std::vector<PartLocation> attachments;  // parallel to headers.attachments
  std::optional<PartLocation> body;       // the first text/plain part, else text/html
  std::uint64_t size = 0;                 // of the file
  // The Date header in its own local time, for people:
  // "14 de mayo de 2021, 10:02 (UTC-05:00)"; empty without a readable Date.
  std::string date_display;
};

// Limits that keep a hostile message from costing more than a real one.
constexpr std::size_t kMaxAttachments = 1000;

// Throws MessageError when the file is empty, is not a mail message or has
// more than kMaxAttachments attachments; std::runtime_error when it cannot
// be read, or when a winmail.dat cannot be unpacked for want of disk space
// in `scratch_dir` (where its decoded copy goes; empty: $TMPDIR or /tmp).
// A winmail.dat (tnef.hpp) adds the attachments inside it in its place.
ParsedMessage parse_message(const std::string& path, const std::string& scratch_dir = {});

// The normalised Message-ID from the header block at the start of the file
// (at most kHeaderScanLimit bytes read), parsed by GMime like
// parse_message(); empty when there is none within that. Throws
// std::runtime_error when the file cannot be read.
constexpr std::size_t kHeaderScanLimit = 1 << 20;
std::string header_block_message_id(const std::string& path);

}  // namespace sseccoe::sdk::mail::detail
