// What harvesting one folder needs from a server, as an interface: the IMAP
// session implements it, and the harvest logic is tested against an
// in-memory mailbox that can expunge, fail or renumber on cue.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "uid_ranges.hpp"

namespace sseccoe::imap {

struct Mailbox {
  std::string wire;  // as the server spells it (modified UTF-7), for commands; "INBOX" upper case
  std::string name;  // for people: decoded by the owner (the session leaves it equal to wire)
  std::vector<std::string> attributes;  // as sent: "\\Sent", "\\HasNoChildren"
  char delimiter = 0;                   // 0: a flat namespace (NIL)
  bool has_attribute(std::string_view attribute) const;  // case-insensitive
  bool selectable() const;
};

struct MailboxStatus {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;  // 0: the server did not say
  std::uint32_t exists = 0;
};

struct MessageMeta {
  std::uint32_t uid = 0;
  std::uint64_t size = 0;     // RFC822.SIZE
  std::string header_fields;  // the requested header lines, raw, e.g. "Message-ID: <a@b>\r\n\r\n"
};

// Where a message body goes while it arrives.
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual void write(const char* data, std::size_t size) = 0;
};

struct FetchedBody {
  std::uint32_t uid = 0;
  std::uint64_t size = 0;     // RFC822.SIZE as the server announced it
  std::string internal_date;  // INTERNALDATE as sent, "" when absent
  BodySink* sink = nullptr;   // null: the server sent no body (NIL) for this UID
  std::uint64_t bytes = 0;    // bytes streamed into the sink
};

// How a FETCH ended: OK, or NO with the server's text (some messages could
// not be fetched, typically because they were expunged meanwhile).
struct FetchOutcome {
  bool ok = true;
  std::string text;
};

class MailboxReader {
 public:
  virtual ~MailboxReader() = default;
  // Opens a mailbox read-only. Throws CommandRefused when the server says NO.
  virtual MailboxStatus examine(const Mailbox& mailbox) = 0;
  // UIDs >= first in the open mailbox.
  virtual UidRanges search_from(std::uint32_t first) = 0;
  // Which of `uids` still exist in the open mailbox.
  virtual UidRanges existing(const UidRanges& uids) = 0;
  // UID, size and Message-ID header of each message in `uids` that exists.
  virtual FetchOutcome fetch_meta(const UidRanges& uids, const std::function<void(const MessageMeta&)>& each) = 0;
  // Whole messages: `open_sink(size)` is asked for a sink when a body starts
  // arriving, `done` is called once the message's answer is complete.
  virtual FetchOutcome fetch_bodies(const UidRanges& uids,
                                    const std::function<BodySink*(std::uint64_t size)>& open_sink,
                                    const std::function<void(const FetchedBody&)>& done) = 0;
};

}  // namespace sseccoe::imap
