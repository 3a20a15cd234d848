// Store: what operators read and change through the CLI.
#include "store/store.hpp"
#include "util/time.hpp"

namespace sseccoe::store {

namespace {
constexpr const char* kRecordColumns =
    "id, source, natural_key, kind, activity, status, status_reason, classified_by, explain, body, fingerprint, "
    "coalesce(folio,''), coalesce(synced_at,''), created_at, updated_at, revision, coalesce(registry_revision,0)";

StoredRecord read_record(Stmt& st) {
  StoredRecord r;
  r.id = st.text(0);
  r.source = st.text(1);
  r.natural_key = st.text(2);
  r.kind = st.text(3);
  r.activity = st.text(4);
  r.status = st.text(5);
  r.status_reason = st.text(6);
  r.classified_by = st.text(7);
  r.explain = st.text(8);
  r.body = st.text(9);
  r.fingerprint = st.text(10);
  r.folio = st.text(11);
  r.synced_at = st.text(12);
  r.created_at = st.text(13);
  r.updated_at = st.text(14);
  r.revision = st.integer(15);
  r.registry_revision = st.integer(16);
  return r;
}

QuarantineEntry read_quarantine(Stmt& st) {
  return {st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5),  st.text(6),
          st.text(7),    st.text(8), st.text(9), st.text(10), st.integer(11)};
}
constexpr const char* kQuarantineColumns =
    "id, source, natural_key, stage, coalesce(record_id,''), reason, code, field, locator, first_attempt, "
    "last_attempt, attempts";

void audit_row(Db& db, const std::string& actor, const std::string& action, const std::string& target,
               const std::string& detail) {
  db.prepare("INSERT INTO audit(at, actor, action, target, detail) VALUES(?1, ?2, ?3, ?4, ?5)")
      .bind(1, util::now_rfc3339())
      .bind(2, actor)
      .bind(3, action)
      .bind(4, target)
      .bind(5, detail)
      .run();
}
}  // namespace

std::vector<StoredRecord> Store::records(const std::string& status_filter) {
  std::lock_guard lock(mu_);
  std::vector<StoredRecord> out;
  auto st = db_->prepare(std::string("SELECT ") + kRecordColumns +
                         " FROM records WHERE ?1 = '' OR status = ?1 ORDER BY source, natural_key");
  st.bind(1, status_filter);
  while (st.step()) out.push_back(read_record(st));
  return out;
}

std::optional<StoredRecord> Store::record(const std::string& id_or_prefix) {
  std::lock_guard lock(mu_);
  // A unique prefix of at least 6 characters is enough, as with git. The
  // prefix is compared literally (not with LIKE, where '%' and '_' typed by
  // an operator would select records); ids are lower-case hex, so an
  // upper-case prefix is lower-cased.
  // The exact id first: the pipeline looks up every item's record by id,
  // and must not scan the table to do it. A prefix is then a range on the
  // primary key ('~' sorts after every hex digit), never a scan either.
  auto exact = db_->prepare(std::string("SELECT ") + kRecordColumns + " FROM records WHERE id = ?1");
  exact.bind(1, id_or_prefix);
  if (exact.step()) return read_record(exact);
  auto st = db_->prepare(std::string("SELECT ") + kRecordColumns +
                         " FROM records WHERE length(?1) >= 6 AND id >= lower(?1) AND id < lower(?1) || '~' "
                         "ORDER BY id LIMIT 2");
  st.bind(1, id_or_prefix);
  if (!st.step()) return std::nullopt;
  auto r = read_record(st);
  if (r.id != id_or_prefix && st.step()) return std::nullopt;  // ambiguous prefix
  return r;
}

std::string Store::classify(const std::string& id, const std::string& activity, const std::string& kind,
                            const std::string& body, const std::string& status, const std::string& reason,
                            const std::string& actor) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  model::Record rec = model::record_from_json(nlohmann::json::parse(body));
  db_->prepare("UPDATE records SET kind=?2, activity=?3, status=?4, status_reason=?5, classified_by=?6, body=?7, "
               "fingerprint=?8, revision=revision+1, updated_at=?9 WHERE id=?1")
      .bind(1, id)
      .bind(2, kind)
      .bind(3, activity)
      .bind(4, status)
      .bind(5, reason)
      .bind(6, "manual:" + actor)
      .bind(7, body)
      .bind(8, model::content_fingerprint(rec))
      .bind(9, util::now_rfc3339())
      .run();
  // Only a pending record may be queued: one re-classified as held (or any
  // other status) must not go out with the body queued before.
  if (status == "pending")
    enqueue(id);
  else
    db_->prepare("DELETE FROM outbox WHERE record_id=?1").bind(1, id).run();
  // A new revision gets a fresh chance, as a re-harvested one does: the
  // registry's refusal was about the body before.
  db_->prepare("DELETE FROM quarantine WHERE record_id=?1 AND stage='sync'").bind(1, id).run();
  audit_row(*db_, actor, "record.classified", id, "activity=" + activity + " kind=" + kind + " status=" + status);
  tx.commit();
  return status;
}

std::vector<QuarantineEntry> Store::quarantine() {
  std::lock_guard lock(mu_);
  std::vector<QuarantineEntry> out;
  auto st = db_->prepare(std::string("SELECT ") + kQuarantineColumns + " FROM quarantine ORDER BY id");
  while (st.step()) out.push_back(read_quarantine(st));
  return out;
}

std::optional<QuarantineEntry> Store::quarantine_entry(std::int64_t id) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(std::string("SELECT ") + kQuarantineColumns + " FROM quarantine WHERE id=?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_quarantine(st);
}

bool Store::quarantine_retry(std::int64_t id, const std::string& actor) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  auto st = db_->prepare("SELECT stage, coalesce(record_id,''), source, natural_key FROM quarantine WHERE id=?1");
  st.bind(1, id);
  if (!st.step()) return false;
  std::string stage = st.text(0), record_id = st.text(1), source = st.text(2), key = st.text(3);
  if (stage == "sync" && !record_id.empty()) {
    db_->prepare("UPDATE records SET status='pending', status_reason='' WHERE id=?1").bind(1, record_id).run();
    enqueue(record_id);
  } else {
    // Harvest stage: forget the item's version so the source reads it again.
    db_->prepare("UPDATE items SET version='' WHERE source=?1 AND natural_key=?2").bind(1, source).bind(2, key).run();
  }
  db_->prepare("DELETE FROM quarantine WHERE id=?1").bind(1, id).run();
  audit_row(*db_, actor, "quarantine.retry", record_id.empty() ? source + ":" + key : record_id,
            "entry=" + std::to_string(id));
  tx.commit();
  return true;
}

bool Store::quarantine_discard(std::int64_t id, const std::string& reason, const std::string& actor) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  auto st = db_->prepare("SELECT coalesce(record_id,''), source, natural_key FROM quarantine WHERE id=?1");
  st.bind(1, id);
  if (!st.step()) return false;
  std::string record_id = st.text(0), target = record_id.empty() ? st.text(1) + ":" + st.text(2) : record_id;
  db_->prepare("DELETE FROM quarantine WHERE id=?1").bind(1, id).run();
  audit_row(*db_, actor, "quarantine.discard", target, "entry=" + std::to_string(id) + " reason=" + reason);
  tx.commit();
  return true;
}

void Store::audit(const std::string& actor, const std::string& action, const std::string& target,
                  const std::string& detail) {
  std::lock_guard lock(mu_);
  audit_row(*db_, actor, action, target, detail);
}

Counts Store::counts() {
  std::lock_guard lock(mu_);
  Counts c;
  auto st = db_->prepare("SELECT status, count(*) FROM records GROUP BY status");
  while (st.step()) {
    auto s = st.text(0);
    auto n = st.integer(1);
    c.records += n;
    if (s == "unclassified") c.unclassified = n;
    else if (s == "held") c.held = n;
    else if (s == "pending") c.pending = n;
    else if (s == "synced") c.synced = n;
    else if (s == "quarantined") c.quarantined = n;
  }
  auto q = db_->prepare("SELECT count(*) FROM quarantine");
  q.step();
  c.quarantine_entries = q.integer(0);
  auto o = db_->prepare("SELECT count(*), coalesce(min(enqueued_at),'') FROM outbox");
  o.step();
  c.outbox = o.integer(0);
  c.oldest_pending = o.text(1);
  auto b = db_->prepare("SELECT count(*) FROM files");
  b.step();
  c.blobs = b.integer(0);
  return c;
}

std::map<std::string, std::string> Store::cursors() {
  std::lock_guard lock(mu_);
  std::map<std::string, std::string> out;
  auto st = db_->prepare("SELECT source, value FROM cursors");
  while (st.step()) out[st.text(0)] = st.text(1);
  return out;
}

bool Store::blob_referenced(const std::string& digest) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT 1 FROM files WHERE digest=?1");
  st.bind(1, digest);
  return st.step();
}

void Store::put_health(const std::string& key, const std::string& json) {
  std::lock_guard lock(mu_);
  db_->prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value=excluded.value")
      .bind(1, "health." + key)
      .bind(2, json)
      .run();
}

std::map<std::string, std::string> Store::health() {
  std::lock_guard lock(mu_);
  std::map<std::string, std::string> out;
  auto st = db_->prepare("SELECT substr(key, 8), value FROM meta WHERE key LIKE 'health.%'");
  while (st.step()) out[st.text(0)] = st.text(1);
  return out;
}

std::size_t Store::collect_garbage() {
  return blobs_.collect_garbage([this](const std::string& digest) { return blob_referenced(digest); });
}

}  // namespace sseccoe::store

namespace sseccoe::store {

std::vector<StoredRecord> Store::records_with_unmatched_people() {
  std::lock_guard lock(mu_);
  std::vector<StoredRecord> out;
  auto st = db_->prepare(std::string("SELECT ") + kRecordColumns +
                         " FROM records WHERE status <> 'quarantined' AND json_valid(body) AND "
                         "json_array_length(body, '$.attributes.unmatched') > 0 ORDER BY id");
  while (st.step()) out.push_back(read_record(st));
  return out;
}

bool Store::revise_people(const std::string& id, const std::string& body, const std::string& actor,
                          const std::string& detail) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  auto cur = db_->prepare("SELECT status FROM records WHERE id=?1");
  cur.bind(1, id);
  if (!cur.step()) return false;
  const std::string status = cur.text(0);
  if (status == "quarantined") return false;
  const model::Record rec = model::record_from_json(nlohmann::json::parse(body));
  const bool sendable = status == "synced" || status == "pending";
  db_->prepare("UPDATE records SET body=?2, fingerprint=?3, revision=revision+1, status=?4, updated_at=?5 "
               "WHERE id=?1")
      .bind(1, id)
      .bind(2, body)
      .bind(3, model::content_fingerprint(rec))
      .bind(4, sendable ? std::string("pending") : status)
      .bind(5, util::now_rfc3339())
      .run();
  if (sendable) enqueue(id);
  audit_row(*db_, actor, "record.people_matched", id, detail);
  tx.commit();
  return true;
}

}  // namespace sseccoe::store
