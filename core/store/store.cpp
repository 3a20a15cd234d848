// Store: opening, the harvest side and cursors.
#include "store/store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <string_view>

#include "store/schema.hpp"
#include "util/time.hpp"

namespace sseccoe::store {

namespace {
std::string damaged_advice(const std::string& state_dir) {
  return "stop the agent, keep a copy of " + state_dir +
         ", and restore agent.db from a backup or move it aside to re-harvest";
}
}  // namespace

Store::Store(const std::string& state_dir) : state_dir_(state_dir), blobs_(state_dir + "/blobs") {
  std::filesystem::create_directories(state_dir);
  std::string path = state_dir + "/agent.db";
  try {
    db_ = std::make_unique<Db>(path);
    auto st = db_->prepare("PRAGMA quick_check");
    st.step();
    std::string result = st.text(0);
    if (result != "ok")
      throw std::runtime_error("store " + path + " is damaged (quick_check: " + result +
                               "): " + damaged_advice(state_dir));
    migrate(*db_, path);
  } catch (const DbError& e) {
    // SQLite's own message ("file is not a database") names neither the
    // file nor what to do about it.
    const int primary = e.code & 0xFF;
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
      throw DbError("store " + path + " is damaged or not an agent database (" + e.what() +
                        "): " + damaged_advice(state_dir),
                    e.code);
    if (std::string_view(e.what()).find(path) != std::string_view::npos) throw;
    throw DbError("store " + path + ": " + e.what(), e.code);
  }
}

std::optional<ItemState> Store::item(const std::string& source, const std::string& key) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT version, digest, record_id FROM items WHERE source=?1 AND natural_key=?2");
  st.bind(1, source).bind(2, key);
  if (!st.step()) return std::nullopt;
  return ItemState{st.text(0), st.text(1), st.text(2)};
}

std::vector<std::string> Store::item_keys(const std::string& source) {
  std::lock_guard lock(mu_);
  std::vector<std::string> keys;
  auto st = db_->prepare("SELECT natural_key FROM items WHERE source=?1 AND gone_at IS NULL ORDER BY natural_key");
  st.bind(1, source);
  while (st.step()) keys.push_back(st.text(0));
  return keys;
}

void Store::for_each_item_key(const std::string& source, const std::function<void(std::string_view)>& visit) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT natural_key FROM items WHERE source=?1 AND gone_at IS NULL");
  st.bind(1, source);
  while (st.step()) visit(st.text(0));
}

namespace {
void write_cursor(Db& db, const std::string& source, const std::string& value) {
  db.prepare("INSERT INTO cursors(source, value, updated_at) VALUES(?1, ?2, ?3) "
             "ON CONFLICT(source) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at")
      .bind(1, source)
      .bind(2, value)
      .bind(3, util::now_rfc3339())
      .run();
}
}  // namespace

void Store::touch_item(const std::string& source, const std::string& key, const std::string& version,
                       const std::optional<std::string>& cursor) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  db_->prepare("UPDATE items SET version=?3, last_seen=?4, gone_at=NULL WHERE source=?1 AND natural_key=?2")
      .bind(1, source)
      .bind(2, key)
      .bind(3, version)
      .bind(4, util::now_rfc3339())
      .run();
  if (cursor) write_cursor(*db_, source, *cursor);
  tx.commit();
}

void Store::enqueue(const std::string& id) {
  db_->prepare("INSERT INTO outbox(record_id, enqueued_at) VALUES(?1, ?2) "
               "ON CONFLICT(record_id) DO UPDATE SET attempts=0, next_attempt_at=0, last_error=''")
      .bind(1, id)
      .bind(2, util::now_rfc3339())
      .run();
}

void Store::begin_batch() {
  std::lock_guard lock(mu_);
  if (db_->in_batch()) return;
  db_->begin_batch();
  batch_items_ = 0;
  batch_started_ = std::chrono::steady_clock::now();
}

void Store::end_batch() {
  std::lock_guard lock(mu_);
  db_->commit_batch();
}

void Store::flush_batch_if_due() {
  if (!db_->in_batch()) return;
  if (++batch_items_ < kBatchItems && std::chrono::steady_clock::now() - batch_started_ < kBatchTime) return;
  db_->commit_batch();
  db_->begin_batch();
  batch_items_ = 0;
  batch_started_ = std::chrono::steady_clock::now();
}

HarvestOutcome Store::commit_harvest(const Harvested& h, const std::optional<std::string>& cursor) {
  std::lock_guard lock(mu_);
  const std::string now = util::now_rfc3339();
  const std::string fingerprint = model::content_fingerprint(h.record);
  Transaction tx(*db_);

  insert_files(h.blobs, now);

  db_->prepare("INSERT INTO items(source, natural_key, version, digest, record_id, locator, first_seen, last_seen, "
               "snapshot) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8) "
               "ON CONFLICT(source, natural_key) DO UPDATE SET version=excluded.version, digest=excluded.digest, "
               "locator=excluded.locator, last_seen=excluded.last_seen, gone_at=NULL, snapshot=excluded.snapshot")
      .bind(1, h.source)
      .bind(2, h.natural_key)
      .bind(3, h.version)
      .bind(4, h.digest)
      .bind(5, h.record.id)
      .bind(6, h.locator)
      .bind(7, now)
      .bind(8, h.snapshot)
      .run();

  auto existing = db_->prepare("SELECT fingerprint FROM records WHERE id=?1");
  existing.bind(1, h.record.id);
  HarvestOutcome outcome = HarvestOutcome::New;
  if (existing.step())
    outcome = existing.text(0) == fingerprint ? HarvestOutcome::Unchanged : HarvestOutcome::Changed;
  if (outcome != HarvestOutcome::Unchanged)
    upsert_record(h, now);
  if (outcome != HarvestOutcome::Unchanged) {
    if (h.status == "pending")
      enqueue(h.record.id);
    else
      db_->prepare("DELETE FROM outbox WHERE record_id=?1").bind(1, h.record.id).run();
    // A new revision gets a fresh chance: an earlier refusal was about older content.
    db_->prepare("DELETE FROM quarantine WHERE source=?1 AND natural_key=?2").bind(1, h.source).bind(2, h.natural_key).run();
    db_->prepare("INSERT INTO audit(at, actor, action, target, detail) VALUES(?1, 'harvester', ?2, ?3, ?4)")
        .bind(1, now)
        .bind(2, outcome == HarvestOutcome::New ? "record.created" : "record.revised")
        .bind(3, h.record.id)
        .bind(4, "status=" + h.status)
        .run();
  }
  if (outcome != HarvestOutcome::Unchanged) register_people(h, now);
  if (cursor) write_cursor(*db_, h.source, *cursor);
  tx.commit();
  flush_batch_if_due();
  return outcome;
}

void Store::insert_files(const std::vector<BlobInfo>& blobs, const std::string& now) {
  for (const auto& b : blobs)
    db_->prepare("INSERT OR IGNORE INTO files(digest, size, media_type, created_at) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, b.digest)
        .bind(2, static_cast<std::int64_t>(b.size))
        .bind(3, b.media_type)
        .bind(4, now)
        .run();
}

void Store::upsert_record(const Harvested& h, const std::string& now) {
  // One statement for a new record (revision 1) and a revision (+1).
  db_->prepare("INSERT INTO records(id, source, natural_key, revision, kind, activity, status, status_reason, "
               "classified_by, explain, body, fingerprint, created_at, updated_at) "
               "VALUES(?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) "
               "ON CONFLICT(id) DO UPDATE SET revision=revision+1, kind=excluded.kind, "
               "activity=excluded.activity, status=excluded.status, status_reason=excluded.status_reason, "
               "classified_by=excluded.classified_by, explain=excluded.explain, body=excluded.body, "
               "fingerprint=excluded.fingerprint, updated_at=excluded.updated_at")
      .bind(1, h.record.id)
      .bind(2, h.source)
      .bind(3, h.natural_key)
      .bind(4, h.record.kind)
      .bind(5, h.record.activity)
      .bind(6, h.status)
      .bind(7, h.status_reason)
      .bind(8, h.classified_by)
      .bind(9, h.explain)
      .bind(10, model::to_json(h.record).dump())
      .bind(11, model::content_fingerprint(h.record))
      .bind(12, now)
      .run();
  db_->prepare("DELETE FROM record_files WHERE record_id=?1").bind(1, h.record.id).run();
  if (!h.record.activity.empty())
    for (const auto& f : h.record.files)
      db_->prepare("INSERT OR IGNORE INTO record_files(record_id, digest, activity) VALUES(?1, ?2, ?3)")
          .bind(1, h.record.id)
          .bind(2, f.sha256)
          .bind(3, h.record.activity)
          .run();
}

std::optional<std::string> Store::cursor(const std::string& source) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT value FROM cursors WHERE source=?1");
  st.bind(1, source);
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void Store::set_cursor(const std::string& source, const std::string& value) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  write_cursor(*db_, source, value);
  tx.commit();
}

bool Store::quarantine_item(const std::string& source, const std::string& key, const std::string& reason,
                            const std::string& locator) {
  std::lock_guard lock(mu_);
  const std::string now = util::now_rfc3339();
  Transaction tx(*db_);
  auto prev = db_->prepare("SELECT reason FROM quarantine WHERE source=?1 AND natural_key=?2 AND stage='harvest'");
  prev.bind(1, source).bind(2, key);
  const bool fresh = !prev.step() || prev.text(0) != reason;
  db_->prepare("INSERT INTO quarantine(source, natural_key, stage, reason, locator, first_attempt, last_attempt) "
               "VALUES(?1, ?2, 'harvest', ?3, ?4, ?5, ?5) ON CONFLICT(source, natural_key, stage) DO UPDATE SET "
               "reason=excluded.reason, locator=excluded.locator, attempts=attempts+1, last_attempt=excluded.last_attempt")
      .bind(1, source)
      .bind(2, key)
      .bind(3, reason)
      .bind(4, locator)
      .bind(5, now)
      .run();
  tx.commit();
  return fresh;
}

void Store::mark_gone(const std::string& source, const std::string& key) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  db_->prepare("UPDATE items SET gone_at=?3 WHERE source=?1 AND natural_key=?2 AND gone_at IS NULL")
      .bind(1, source)
      .bind(2, key)
      .bind(3, util::now_rfc3339())
      .run();
  tx.commit();
}

}  // namespace sseccoe::store
