// The emitter is the core's side of a harvest: a plugin pushes items into it
// and learns whether each one is durable.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sseccoe/sdk/item.hpp"
#include <stdexcept>

namespace sseccoe::sdk {

enum class LogLevel { Debug, Info, Warn, Error };

enum class EmitOutcome {
  New,          // first time this natural key is seen: stored
  Changed,      // content differs from the stored one: stored as a revision
  Unchanged,    // version or digest matched: nothing stored
  Quarantined,  // the item itself is at fault (unreadable, too big, malformed)
  Deferred,     // a transient problem (file still growing, vanished mid-read):
                // nothing stored, the source offers it again on a later pass
};

struct EmitResult {
  EmitOutcome outcome;
  std::string record_id;  // "ev-..." (empty when quarantined before a record)
  std::string reason;     // why, when quarantined
};

// A content stream may throw this while being read. `transient` (the file
// changed or vanished while read) makes emit() return Deferred; otherwise
// the item is quarantined with the message.
struct ContentError : std::runtime_error {
  ContentError(const std::string& what, bool transient) : std::runtime_error(what), transient(transient) {}
  bool transient;
};

// What the core remembers of an item between runs.
struct KnownItem {
  std::string version;
  std::string digest;  // SHA-256 of the content (hex), empty if none
};

class Emitter {
 public:
  virtual ~Emitter() = default;

  // Streams the item's contents into the blob store (hashing while writing),
  // classifies it and commits item, record and outbox entry in one
  // transaction. Returns only once that transaction is durable. When
  // `cursor_after` is set it is committed in the same transaction.
  virtual EmitResult emit(const Item& item, const std::optional<Cursor>& cursor_after = std::nullopt) = 0;

  // The item is broken in a way the source detected itself (a link loop, an
  // unreadable entry, a malformed message): record it in the quarantine with
  // a reason an operator can act on. Nothing already harvested is affected.
  virtual void quarantine(std::string_view natural_key, std::string_view reason,
                          std::string_view locator = {}) = 0;

  // What the core knows of this key from earlier runs, if anything.
  virtual std::optional<KnownItem> known(std::string_view natural_key) = 0;

  // Calls `visit` once for every natural key of this source instance that
  // is stored and not already marked gone, in no particular order, streamed
  // from the store (not built in memory). `visit` must not call back into
  // the emitter. Returns false when this emitter cannot list keys; a source
  // then reports nothing as gone rather than guess.
  virtual bool for_each_known(const std::function<void(std::string_view natural_key)>& visit) {
    (void)visit;
    return false;
  }

  // Commits the cursor on its own (everything emitted before is durable).
  virtual void checkpoint(const Cursor& cursor) = 0;

  // Keys seen earlier that the source no longer has: noted locally, never
  // deleted from the registry.
  virtual void gone(std::string_view natural_key) = 0;

  // Many small items (the rows of an HR export) may be committed together:
  // between batch_begin() and batch_end(), emit() returns once its item is
  // staged rather than durable, and batch_end() returns once everything
  // staged is durable. The core also commits a batch every so often and at
  // the end of a pass. A crash inside a batch loses only staged items, and
  // the cursor staged with them, so the source offers them again. Items with
  // content streams gain little from it; a source of files need not batch.
  virtual void batch_begin() {}
  virtual void batch_end() {}

  // Logs through the agent's logger. Personal data is masked by the core, but
  // plugins should still avoid passing names, CURP, RFC or bodies.
  virtual void log(LogLevel level, std::string_view message) = 0;

  // People a source knows without them being evidence (the rows of a
  // census): the core adds them to its people register, which never leaves
  // the machine, so that a certificate's holder can be matched against
  // everyone on the staff. Nothing is registered or sent for them. ABI 3.
  virtual void people_seen(const std::vector<Person>& people) { (void)people; }
};

}  // namespace sseccoe::sdk
