// Opening the acuse of a parsed message: gathers what the PDF shows (the
// body text, capped; each attachment's decoded size and SHA-256, read from
// the spool), renders it into a temporary file beside the spool, and
// returns a stream over it (the file is unlinked once open).
#pragma once

#include <istream>
#include <memory>
#include <string>

#include "mail_settings.hpp"
#include "parse.hpp"

namespace sseccoe::sdk::mail::detail {

struct AcuseSource {
  std::string spool_path;
  std::string folder;
  std::string message_sha256;
  std::shared_ptr<const ParsedMessage> parsed;
  std::uint64_t body_limit = 64 * 1024;
};

// Throws sdk::ContentError (permanent when rendering fails; as the part
// streams do when the spool cannot be read).
std::unique_ptr<std::istream> open_acuse(const AcuseSource& src);

// The body text the acuse shows: decoded to UTF-8, HTML reduced to text,
// at most `limit` bytes (cut at a character boundary). `truncated` says
// whether anything was cut.
std::string body_text(const std::string& spool_path, const PartLocation& body, std::uint64_t limit,
                      bool& truncated);

}  // namespace sseccoe::sdk::mail::detail
