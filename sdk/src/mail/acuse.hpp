// The dispatch acuse: a PDF that shows what was sent (headers, date,
// recipients, subject, body text, each attachment with its size and
// SHA-256, and the raw message's SHA-256), rendered with pango and cairo in
// Spanish for the committee. The same input renders the same bytes (the
// PDF's dates come from the message, not the clock), so re-reading a
// message never makes a revision.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sseccoe::sdk::mail::detail {

struct AcuseAttachment {
  std::string name, media_type, sha256;
  std::uint64_t size = 0;  // decoded
};

struct AcuseInput {
  std::string from, to, cc, subject;
  std::string date_display;  // "14 de mayo de 2021, 10:02 (UTC-05:00)" or empty
  std::string date_rfc3339;  // for the PDF's creation date; empty: a fixed date
  std::string folder, message_id;
  std::string body;           // UTF-8 text, already capped
  bool body_truncated = false;
  std::vector<AcuseAttachment> attachments;
  std::string message_sha256;
  std::uint64_t message_size = 0;
};

// Writes the PDF to `pdf_path`. Throws std::runtime_error (with cairo's
// status text) when it cannot.
void render_acuse(const AcuseInput& in, const std::string& pdf_path);

// "14 de mayo de 2021, 10:02 (UTC-05:00)" from the Date header's own
// local time and offset.
std::string spanish_date(int year, int month, int day, int hour, int minute, int offset_minutes);

}  // namespace sseccoe::sdk::mail::detail
