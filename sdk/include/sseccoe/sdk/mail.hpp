// Mail messages as items, shared by every mail source (imap, maildir) so that
// a message means the same wherever it was read: the same key, the same
// metadata for rules, the same attachments, the same quarantine reasons.
//
// A source spools each raw message to a file in its work_dir while hashing
// (Spool), then hands the file to message_items(), which parses it from disk
// with GMime 3 (streaming; tolerant of broken mail; RFC 2047 and RFC 2231
// names; 8-bit header bytes read as UTF-8, else Windows-1252) and builds the
// items. Nothing holds a whole message in memory: the parser keeps headers
// and part offsets, and every content stream decodes from the spool file in
// fixed-size chunks when the core opens it.
//
// The typical loop of a source:
//   if (auto why = mail::size_problem(size, options); !why.empty()) { out.quarantine(...); continue; }
//   mail::Spool spool(config.work_dir);
//   spool.write(...) / spool.write_all(in);  spool.finish();
//   try {
//     for (auto& item : mail::message_items(spool, origin, options)) out.emit(item);
//   } catch (const mail::MessageError& e) {
//     out.quarantine(mail::fallback_key(spool), e.what(), origin.locator);
//   }
// The spool must outlive the emit() calls: the items' streams re-open it.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sseccoe/sdk/item.hpp"
#include "sseccoe/sdk/options.hpp"

namespace sseccoe::sdk::mail {

// A raw message written to a temporary file while its SHA-256 is computed.
// The file is removed when the Spool is destroyed. Plain write(2): the blob
// store makes what is kept durable, the spool itself is scratch.
class Spool {
 public:
  // Creates an empty temporary file in `dir`. Throws std::runtime_error
  // (with the directory and errno text) when it cannot.
  explicit Spool(const std::string& dir);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends bytes (an IMAP literal arrives in pieces). Throws
  // std::runtime_error on a write error (disk full: the message says so).
  void write(const char* data, std::size_t size);
  void write(std::string_view data) { write(data.data(), data.size()); }
  // Copies a stream to its end in fixed-size chunks. Throws
  // std::runtime_error when the stream fails before its end.
  void write_all(std::istream& in);
  // Closes the file; returns the hex SHA-256 of what was written. Idempotent.
  const std::string& finish();

  const std::string& path() const { return path_; }
  std::uint64_t size() const { return size_; }
  const std::string& sha256() const { return sha256_; }  // empty before finish()

 private:
  struct Hash;
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::string sha256_;
  std::unique_ptr<Hash> hash_;
};

struct Attachment {
  std::string name;        // decoded (RFC 2231 / RFC 2047), NFC, no path; "parte-N.ext" when it has none
  std::string media_type;  // as declared, lower case ("application/pdf")
  std::uint64_t encoded_size = 0;  // bytes of the part's body in the message, before decoding
};

// What was read of one message's headers and structure.
struct Headers {
  std::string message_id;  // normalised (see normalize_message_id); empty when absent
  std::string from, to, cc, subject;  // decoded to UTF-8; addresses as "Name <a@b>, ..."
  std::string date;        // RFC 3339 in UTC ("2021-05-14T15:02:00Z"), empty when absent or unreadable
  std::string date_local_day;  // the Date header's day in its own time zone ("2021-05-14"), or empty
  std::string in_reply_to, references, list_id;  // normalised ids, space separated
  // The thread's root: the first id of References, else of In-Reply-To, else
  // message_id (empty when the message has none of them).
  std::string thread;
  std::vector<Attachment> attachments;
  // What the parser had to work around, one short English phrase each
  // ("truncated message", "multipart without an end boundary", ...).
  std::vector<std::string> defects;
};

// Where a message came from, for the item's metadata and locator.
struct Origin {
  std::string folder;   // "INBOX", "Sent", "Archivo.2021" (decoded from modified UTF-7)
  std::string locator;  // "imap://host/INBOX;UIDVALIDITY=7;UID=4411", "maildir:///srv/mail/.Sent/cur/..."
  std::string version;  // a cheap change token (the source's own)
  // When the message was delivered (IMAP INTERNALDATE, a Maildir file's
  // mtime), "YYYY-MM-DD" in local time: the item's date when the message has
  // no readable Date header (occurred_on_from "received"). May be empty.
  std::string received_day;
};

// The options every mail source appends to its own table: per_attachment,
// max_message_size, acuse_body_limit.
std::span<const OptionSpec> shared_options();

// Empty when a message of `size` bytes may be harvested under `options`;
// otherwise the quarantine reason (with the size and the option to raise).
std::string size_problem(std::uint64_t size, const OptionValues& options);

// A Message-ID (or one id of In-Reply-To / References) as keys use it: the
// first "<...>" of the header value (or the whole trimmed value when it has
// no brackets), brackets and surrounding space removed, the domain part
// (after the last '@') lower-cased. Empty when there is no id.
std::string normalize_message_id(std::string_view header_value);

// The record's natural key: "msgid:" + headers.message_id, or "sha256:" +
// the raw message's digest when it has none. A message moved between
// folders or delivered twice keeps its key.
std::string natural_key(const Headers& headers, std::string_view raw_sha256);
// The same key from a raw Message-ID header value alone (an IMAP ENVELOPE):
// "msgid:..." or empty when the value holds no id.
std::string key_from_message_id(std::string_view header_value);
// The key of a message file read from its header block alone (at most
// 1 MiB is read): "msgid:..." or empty when it has no Message-ID, so that a
// source can ask the core what it knows before spooling. Throws
// std::runtime_error when the file cannot be read.
std::string quick_key(const std::string& path);
// The key to quarantine a spooled message under when it could not be
// parsed: its Message-ID when the header block has one, else "sha256:...".
std::string fallback_key(const Spool& spool);

// A mailbox name as IMAP and Maildir++ store it (modified UTF-7, RFC 3501
// 5.1.3: "Env&AO0-os") decoded to UTF-8 ("Envíos"). Malformed sequences are
// kept as written.
std::string decode_mailbox_name(std::string_view modified_utf7);

// Thrown when a message cannot be used at all (empty, not a mail message,
// too large, too deeply nested): the source quarantines it with what().
struct MessageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The message spooled at `spool.path()` (finish() called) as items: one, or
// with per_attachment one per attachment (keyed natural_key + "/" + N,
// N from 1; a message without attachments stays one item under
// natural_key).
// Metadata (fields left out when empty): folder, from, to, cc, subject,
// date (RFC 3339 UTC), message_id, in_reply_to, references, list_id, thread,
// attachment (names, one per line), attachment_type (one per line, same
// order), attachments (count), size, sha256 (of the raw message), defects
// (one per line), name (the subject; with per_attachment the attachment's
// name) and stem (name without its extension). Never the body.
// Contents: the raw message (role "message", "mensaje.eml"), each
// attachment (role "attachment", decoded while streamed), and the acuse PDF
// (role "acuse", "acuse.pdf", only_for_kind "email_dispatch", rendered into
// the spool's directory when opened, deterministic for the same message).
// occurred_on is the Date header's day in its own zone (occurred_on_from
// "header:Date"), else origin.received_day ("received").
// Outlook's winmail.dat (application/ms-tnef, application/vnd.ms-tnef or a
// part of that name) is unpacked: the attachments inside it take its place
// in `attachment`, `attachments` and the contents, as if they were MIME
// parts (their bytes read from a scratch copy beside the spool, unlinked
// when made, gone with the items). One that is larger than 64 MiB,
// malformed or unreadable is kept as one attachment, and a defect starting
// "winmail.dat" says why (see message_warnings); one that holds no
// attachment (only the message's rich text) adds none.
// Throws MessageError when the message cannot be used at all.
std::vector<Item> message_items(const Spool& spool, const Origin& origin, const OptionValues& options);

// What a source should log as warnings about the message `items` came from
// (message_items' result): each winmail.dat that could not be unpacked,
// "message <key>: winmail.dat 'winmail.dat' was not unpacked ...: <why>".
// Usually empty. The key may hold an address: the agent's log masks it.
std::vector<std::string> message_warnings(const std::vector<Item>& items);

// Only the headers and structure (for a source that wants more than the key
// before deciding anything). Throws MessageError like message_items.
Headers read_headers(const std::string& path);

}  // namespace sseccoe::sdk::mail
