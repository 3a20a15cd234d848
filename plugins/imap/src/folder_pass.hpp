// Harvesting one folder in one pass:
//
//  1. EXAMINE it. A new UIDVALIDITY (the server renumbered its messages)
//     starts the folder over, which costs a re-check, not a re-fetch.
//  2. List the UIDs above the cursor and take them in batches. For each
//     batch fetch only sizes and Message-IDs; a message whose Message-ID the
//     store already holds (moved from another folder, delivered again,
//     renumbered) is not fetched, one larger than max_message_size is
//     quarantined unread.
//  3. Fetch the other bodies, streamed to spool files, turn each into items
//     (sdk mail library) and emit them. A message that cannot be parsed is
//     quarantined alone; one expunged meanwhile is simply gone.
//
// The folder's cursor (UIDVALIDITY, last UID) moves only over messages
// that are durable, known, quarantined or gone, and is committed with the
// message that moves it (or by a checkpoint), so a pass cut short anywhere
// resumes without losing or repeating anything.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_set>
#include <vector>

#include "cursor.hpp"
#include "folder_resolver.hpp"
#include "imap_options.hpp"
#include "mailbox_reader.hpp"
#include "sseccoe/sdk/emitter.hpp"

namespace sseccoe::imap {

struct FolderCounters {
  std::uint64_t listed = 0;       // UIDs above the cursor
  std::uint64_t stored = 0;       // messages with a new or changed item
  std::uint64_t unchanged = 0;    // fetched, but the store had them (by digest)
  std::uint64_t known = 0;        // not fetched: Message-ID already harvested
  std::uint64_t quarantined = 0;  // messages (or items) quarantined
  std::uint64_t deferred = 0;
  std::uint64_t expunged = 0;     // gone from the server during the pass
  std::uint64_t bytes = 0;        // message bytes fetched
};

// What stays the same for every folder of a pass.
struct PassContext {
  sdk::Emitter& out;
  const ImapSettings& settings;
  std::string locator_base;  // "imap://host:port/"
  std::stop_token stop;
  HarvestCursor& cursor;     // the whole cursor; this pass updates its folder
  // 64-bit hashes of the keys stored in this pass (all folders): a second
  // copy of a message in the same pass is not stored again.
  std::unordered_set<std::uint64_t>& fetched_keys;
};

// Batch sizes: sizes and Message-IDs of this many messages per FETCH; bodies
// this many (or this many announced bytes) per FETCH.
struct BatchLimits {
  std::uint64_t meta = 1000;
  std::uint64_t bodies = 200;
  std::uint64_t body_bytes = 64ull << 20;
};

class FolderPass {
 public:
  FolderPass(MailboxReader& reader, const ResolvedFolder& folder, PassContext& ctx, BatchLimits limits = {});
  ~FolderPass();
  FolderPass(const FolderPass&) = delete;
  FolderPass& operator=(const FolderPass&) = delete;

  // Returns false when a stop request ended the pass between batches, and
  // throws Cancelled when it came during a FETCH (progress is committed
  // either way). Throws what the reader throws; progress is committed up to
  // the last message handled.
  bool run();

  const FolderCounters& counters() const { return counters_; }
  // UIDNEXT as EXAMINE reported it (0 when the server did not say).
  std::uint32_t uidnext() const { return uidnext_; }

 private:
  enum class Action { Fetch, Known, Quarantine };
  struct Entry {
    std::uint32_t uid = 0;
    std::uint64_t size = 0;
    Action action = Action::Fetch;
    std::string key;     // from the Message-ID, "" when it has none
    std::string reason;  // Quarantine
    bool done = false;
  };
  class SpoolSink;

  std::vector<Entry> plan(const UidRanges& batch);
  void execute(std::vector<Entry>& entries);
  // Fetches entries [first, last] (one FETCH, one commit) and settles the
  // ones the server left out.
  void fetch_group(std::vector<Entry>& entries, std::size_t first, std::size_t last);
  FetchOutcome fetch_group_bodies(const UidRanges& uids, std::vector<Entry>& entries, std::size_t first,
                                  std::size_t last, std::size_t& frontier);
  // Turns a fetched message into items and emits them; the last one carries
  // `cursor_once_durable()`, asked for after the entry is marked done.
  void handle_body(const FetchedBody& body, Entry& entry,
                   const std::function<std::optional<sdk::Cursor>()>& cursor_once_durable);
  // Moves the cursor over the settled entries from `frontier` on.
  void advance(std::vector<Entry>& entries, std::size_t& frontier);
  // In memory only; commit() or the next emit makes it durable.
  void move_cursor_to(std::uint32_t uid);
  // A checkpoint when the cursor moved since it was last committed.
  void commit();
  sdk::Cursor cursor_value() const;
  bool already_harvested(const std::string& key);
  std::string locator(std::uint32_t uid) const;
  std::string uid_key(std::uint32_t uid) const;

  MailboxReader& reader_;
  const ResolvedFolder& folder_;
  PassContext& ctx_;
  BatchLimits limits_;
  FolderCursor& state_;
  FolderCounters counters_;
  std::uint32_t uidnext_ = 0;
  std::string committed_;  // the cursor as last committed (by an emit or a checkpoint)
  bool hold_ = false;      // a deferred message: the cursor stays below it this pass
  std::unique_ptr<SpoolSink> sink_;
};

}  // namespace sseccoe::imap
