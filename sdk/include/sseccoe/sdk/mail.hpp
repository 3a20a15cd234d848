// Mail messages as items, shared by every mail source (imap, maildir) so that
// a message means the same wherever it was read: the same key, the same
// metadata for rules, the same attachments, the same quarantine reasons.
//
// A source spools each raw message to a file in its work_dir while hashing
// (Spool), then hands the file to message_item(), which parses it from disk
// with GMime 3 (streaming; tolerant of broken mail; RFC 2047 and RFC 2231
// names) and builds the item. Nothing holds a whole message in memory.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sseccoe/sdk/item.hpp"
#include "sseccoe/sdk/options.hpp"

namespace sseccoe::sdk::mail {

// A raw message written to a temporary file while its SHA-256 is computed.
// The file is removed when the Spool is destroyed.
class Spool {
 public:
  // Creates an empty temporary file in `dir`. Throws std::runtime_error
  // (with the directory and errno text) when it cannot.
  explicit Spool(const std::string& dir);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends bytes (an IMAP literal arrives in pieces). Throws on a write error.
  void write(const char* data, std::size_t size);
  // Copies a stream to its end in fixed-size chunks.
  void write_all(std::istream& in);
  // Flushes and closes the file; returns the hex SHA-256 of what was written.
  const std::string& finish();

  const std::string& path() const { return path_; }
  std::uint64_t size() const { return size_; }
  const std::string& sha256() const { return sha256_; }

 private:
  struct Hash;
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::string sha256_;
  std::unique_ptr<Hash> hash_;
};

struct Attachment {
  std::string name;        // decoded (RFC 2231 / RFC 2047), NFC; "parte-N" when it has none
  std::string media_type;  // as declared, lower case ("application/pdf")
  std::uint64_t size = 0;  // decoded size in bytes
};

// What was read of one message's headers and structure.
struct Headers {
  std::string message_id;   // normalised (see natural_key); empty when absent
  std::string from, to, cc, subject;  // decoded to UTF-8; addresses as "Name <a@b>, ..."
  std::string date;         // RFC 3339 in UTC, empty when absent or unreadable
  std::string in_reply_to, references, list_id;  // normalised ids, space separated
  std::vector<Attachment> attachments;
};

// Where a message came from, for the item's metadata and locator.
struct Origin {
  std::string folder;   // "INBOX", "Sent", "INBOX.Avisos"
  std::string locator;  // "imap://host/INBOX;UIDVALIDITY=7;UID=4411", "maildir:///srv/mail/cur/..."
  std::string version;  // a cheap change token (size, or the source's own)
};

// The options every mail source appends to its own table (per_attachment,
// max_message_size, ...).
std::span<const OptionSpec> shared_options();

// The record's natural key: "msgid:" + the normalised Message-ID (angle
// brackets and surrounding space removed, domain part lower-cased), or
// "sha256:" + the raw message's digest when it has none. A message moved
// between folders or delivered twice keeps its key.
std::string natural_key(const Headers& headers, std::string_view raw_sha256);

// The message spooled at `spool.path()` as items: one (or, with
// per_attachment, one per attachment, keyed natural_key + "/" + index).
// Metadata: folder, from, to, cc, subject, date, message_id, in_reply_to,
// references, list_id, attachment (names, one per line), attachment_type,
// size, sha256. Contents: the raw message (role "message", "mensaje.eml"),
// each attachment (role "attachment", decoded while streamed), and the
// acuse PDF (role "acuse", only_for_kind "email_dispatch", rendered on open).
// occurred_on is the Date header's day (occurred_on_from "header:Date").
// Throws MessageError when the message cannot be used at all.
struct MessageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::vector<Item> message_items(const Spool& spool, const Origin& origin, const OptionValues& options);

// Only the headers and structure (for a source that wants the key before
// deciding anything, e.g. re-approving after a UIDVALIDITY change).
Headers read_headers(const std::string& path);

}  // namespace sseccoe::sdk::mail
