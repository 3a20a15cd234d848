// The agent's durable state: one SQLite database (WAL, one writer) and a
// content-addressed blob directory under the state dir. Every method is one
// transaction; all writes go through one connection guarded by a mutex, so
// the harvest threads and the sync thread never interleave half-writes.
#pragma once

#include <cstdint>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/record.hpp"
#include "store/blob_store.hpp"
#include "store/sqlite.hpp"

namespace sseccoe::store {

enum class HarvestOutcome { New, Changed, Unchanged };

struct ItemState {
  std::string version, digest, record_id;
};

// What the pipeline hands the store for one harvested item.
struct Harvested {
  std::string source, natural_key, version, digest, locator;
  model::Record record;        // the body to register (its id is the record id)
  std::string status;          // unclassified | held | pending
  std::string status_reason;   // why held / unclassified
  std::string classified_by;   // "rule[2] agent.toml:31" or "" (unclassified)
  std::string explain;         // JSON: how the rules decided
  std::vector<BlobInfo> blobs;
  // The item as harvested (pipeline/item_snapshot.hpp), kept for
  // `reclassify`; empty when the record needs none (it will be sent).
  std::string snapshot;
  // How many of record.people (the first ones) the people register takes:
  // those the source named (HR rows). Holders read from a certificate are
  // matched against the register, never added to it.
  std::size_t registered_people = static_cast<std::size_t>(-1);
};

// An item of a record with what `reclassify` needs to judge it again.
struct StoredItem {
  std::string source, natural_key, version, digest, record_id, snapshot;
};

struct StoredRecord {
  std::string id, source, natural_key, kind, activity, status, status_reason, classified_by, explain;
  std::string body, fingerprint, folio, synced_at, created_at, updated_at;
  std::int64_t revision = 0, registry_revision = 0;
};

struct AliasEntry {
  std::string source, natural_key, locator, first_seen, last_seen;
};

struct OutboxEntry {
  std::string record_id, body, fingerprint;
  std::int64_t attempts = 0;
};

struct QuarantineEntry {
  std::int64_t id = 0;
  std::string source, natural_key, stage, record_id, reason, code, field, locator, first_attempt, last_attempt;
  std::int64_t attempts = 0;
};

struct Counts {
  std::int64_t records = 0, unclassified = 0, held = 0, pending = 0, synced = 0, quarantined = 0;
  std::int64_t quarantine_entries = 0, outbox = 0, blobs = 0;
  std::string oldest_pending;  // enqueued_at of the oldest outbox entry
};

struct PersonEntry {
  std::int64_t id = 0;
  std::string identity, name, name_key, curp, rfc, employee_id, first_seen, last_seen;
  std::vector<std::string> record_ids;
};

class Store {
 public:
  // Opens (creating if needed) <state_dir>/agent.db and <state_dir>/blobs,
  // migrates the schema, and checks the database (PRAGMA quick_check).
  explicit Store(const std::string& state_dir);

  BlobStore& blobs() { return blobs_; }
  const std::string& state_dir() const { return state_dir_; }

  // --- harvest side ---
  std::optional<ItemState> item(const std::string& source, const std::string& key);
  // The version changed but the content did not: remember the new version.
  void touch_item(const std::string& source, const std::string& key, const std::string& version,
                  const std::optional<std::string>& cursor);
  HarvestOutcome commit_harvest(const Harvested& h, const std::optional<std::string>& cursor);
  // Many small items (HR rows) committed together: between begin_batch and
  // end_batch, harvest commits join one transaction that is committed every
  // kBatchItems items or kBatchTime, and at end_batch. A crash inside a batch
  // loses only what was staged since its last commit, cursor included, so
  // the source offers those items again. Other writers (the syncer, CLI
  // commands in other processes) wait at most kBatchTime.
  void begin_batch();
  void end_batch();
  static constexpr int kBatchItems = 1000;
  static constexpr std::chrono::milliseconds kBatchTime{500};
  std::optional<std::string> cursor(const std::string& source);
  void set_cursor(const std::string& source, const std::string& value);
  // Records a harvest-stage quarantine entry (or bumps its attempts).
  // Returns true when the entry is new or its reason changed, so that a
  // problem that persists is not logged as a warning on every pass.
  bool quarantine_item(const std::string& source, const std::string& key, const std::string& reason,
                       const std::string& locator);
  void mark_gone(const std::string& source, const std::string& key);
  std::vector<std::string> item_keys(const std::string& source);
  // Streams the same keys from an SQLite cursor; `visit` must not call back
  // into the store (the store's lock is held).
  void for_each_item_key(const std::string& source, const std::function<void(std::string_view)>& visit);

  // --- sync side ---
  std::vector<OutboxEntry> due(std::int64_t now_unix, int limit);
  std::int64_t next_due_time();  // unix seconds of the earliest entry, or -1
  void retry_later(const std::string& id, std::int64_t next_unix, const std::string& error);
  // Stores the folio; the record becomes synced unless it was revised since
  // `fingerprint` was read (then it stays in the outbox for the new body).
  void mark_synced(const std::string& id, const std::string& fingerprint, const std::string& folio,
                   std::int64_t registry_revision, const std::string& registry_status);
  void quarantine_record(const std::string& id, const std::string& reason, const std::string& code,
                         const std::string& field);

  // --- operators ---
  std::vector<StoredRecord> records(const std::string& status_filter = {});
  std::optional<StoredRecord> record(const std::string& id_or_prefix);
  // Manual classification (audited). Returns the new status.
  std::string classify(const std::string& id, const std::string& activity, const std::string& kind,
                       const std::string& body, const std::string& status, const std::string& reason,
                       const std::string& actor);
  // --- never count twice ---
  // The record (other than `except_id`) of `activity` that already cites
  // every one of `digests`, if any.
  std::optional<std::string> record_citing(const std::string& activity, const std::vector<std::string>& digests,
                                           const std::string& except_id);
  // Stores item h as a later sighting of record `canonical_id`: the item is
  // known (its version and digest, so it is not read again), an alias row
  // keeps its source, key and locator, and no record is made for it.
  void commit_alias(const Harvested& h, const std::string& canonical_id, const std::optional<std::string>& cursor);
  std::vector<AliasEntry> aliases_of(const std::string& record_id);

  // --- people matched later (pipeline/rematch.hpp) ---
  // Records whose attributes list people the register did not know.
  std::vector<StoredRecord> records_with_unmatched_people();
  // A new body for a record whose content did not change but whose people
  // are now known better: a revision, queued again if it was registered
  // (the registry gets the completed people). Returns false when the record
  // is gone or quarantined.
  bool revise_people(const std::string& id, const std::string& body, const std::string& actor,
                     const std::string& detail);

  // --- reclassification (pipeline/reclassify.hpp) ---
  // The items whose record is `record_id` (several for a grouped record),
  // not counting its aliases.
  std::vector<StoredItem> items_of_record(const std::string& record_id);
  // Applies a new classification to a record that was unclassified or held
  // and never registered, in one transaction: the record's new body, status
  // and explanation (a revision when the body changed), the outbox, and an
  // audit row. When the item now belongs to another record (a rule's
  // group_by), `previous_record_id` is retired (it was never sent) and the
  // item points to the new one. Returns false, changing nothing, when the
  // previous record was registered or queued in the meantime (the daemon
  // harvesting while an operator runs `reclassify`).
  bool apply_reclassification(const Harvested& h, const std::string& previous_record_id, const std::string& actor,
                              const std::string& detail);
  // Forgets an item's version and digest, so that its source reads it again
  // in full on its next pass (a stream the new kind needs was never read).
  void mark_for_reread(const std::string& source, const std::string& key, const std::string& actor,
                       const std::string& why);

  std::vector<QuarantineEntry> quarantine();
  std::optional<QuarantineEntry> quarantine_entry(std::int64_t id);
  bool quarantine_retry(std::int64_t id, const std::string& actor);
  bool quarantine_discard(std::int64_t id, const std::string& reason, const std::string& actor);
  void audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& detail);
  Counts counts();
  std::map<std::string, std::string> cursors();
  bool blob_referenced(const std::string& digest);
  // Health notes (last success/error per source and for the registry) kept
  // in the meta table, so that `status` in another process can read them.
  void put_health(const std::string& key, const std::string& json);
  std::map<std::string, std::string> health();
  // The people register (see schema.cpp): everyone the harvested items name.
  std::optional<PersonEntry> person_by_curp(const std::string& curp);
  std::vector<PersonEntry> people_by_name_key(const std::string& name_key);
  std::int64_t people_count();
  // People a source knows without records (a census's rows), in one
  // transaction (joins an open batch).
  void register_known_people(const std::string& source, const std::vector<model::Person>& people);

  // Removes blobs no file row refers to (left by a crash between the blob's
  // rename and its transaction) and stray temporary files.
  std::size_t collect_garbage();

 private:
  void enqueue(const std::string& id);
  void flush_batch_if_due();  // with mu_ held
  // Inside commit_harvest's transaction.
  void register_people(const Harvested& h, const std::string& now);
  // Inside a transaction: the person's row, filled in; returns its identity ("" for nobody).
  std::string upsert_person(const model::Person& p, const std::string& source, const std::string& now);
  // Inside a transaction: the file rows of stored blobs (kept once each).
  void insert_files(const std::vector<BlobInfo>& blobs, const std::string& now);
  // Inside a transaction: inserts record h or makes it its next revision.
  void upsert_record(const Harvested& h, const std::string& now);

  std::string state_dir_;
  std::unique_ptr<Db> db_;
  BlobStore blobs_;
  std::mutex mu_;
  int batch_items_ = 0;
  std::chrono::steady_clock::time_point batch_started_;
};

}  // namespace sseccoe::store
