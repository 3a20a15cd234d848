// Store: the outbox, as the sync client sees it.
#include "store/store.hpp"
#include "util/time.hpp"

namespace sseccoe::store {

std::vector<OutboxEntry> Store::due(std::int64_t now_unix, int limit) {
  std::lock_guard lock(mu_);
  std::vector<OutboxEntry> out;
  auto st = db_->prepare(
      "SELECT o.record_id, r.body, r.fingerprint, o.attempts FROM outbox o JOIN records r ON r.id = o.record_id "
      "WHERE o.next_attempt_at <= ?1 ORDER BY o.next_attempt_at, o.enqueued_at LIMIT ?2");
  st.bind(1, now_unix).bind(2, limit);
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.integer(3)});
  return out;
}

std::int64_t Store::next_due_time() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT min(next_attempt_at) FROM outbox");
  if (!st.step() || st.is_null(0)) return -1;
  return st.integer(0);
}

void Store::retry_later(const std::string& id, std::int64_t next_unix, const std::string& error) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  db_->prepare("UPDATE outbox SET attempts=attempts+1, next_attempt_at=?2, last_error=?3 WHERE record_id=?1")
      .bind(1, id)
      .bind(2, next_unix)
      .bind(3, error)
      .run();
  tx.commit();
}

void Store::mark_synced(const std::string& id, const std::string& fingerprint, const std::string& folio,
                        std::int64_t registry_revision, const std::string& registry_status) {
  std::lock_guard lock(mu_);
  const std::string now = util::now_rfc3339();
  Transaction tx(*db_);
  // Only when the body registered is still the newest one: a revision made
  // while the request was in flight stays queued and goes next.
  db_->prepare("UPDATE records SET folio=?2, registry_revision=?3, synced_fingerprint=?4, synced_at=?5, "
               "status=CASE WHEN fingerprint=?4 THEN 'synced' ELSE status END, "
               "status_reason=CASE WHEN fingerprint=?4 THEN '' ELSE status_reason END WHERE id=?1")
      .bind(1, id)
      .bind(2, folio)
      .bind(3, registry_revision)
      .bind(4, fingerprint)
      .bind(5, now)
      .run();
  db_->prepare("DELETE FROM outbox WHERE record_id=?1 AND "
               "(SELECT fingerprint FROM records WHERE id=?1) = ?2")
      .bind(1, id)
      .bind(2, fingerprint)
      .run();
  db_->prepare("INSERT INTO audit(at, actor, action, target, detail) VALUES(?1, 'sync', 'record.registered', ?2, ?3)")
      .bind(1, now)
      .bind(2, id)
      .bind(3, "folio=" + folio + " revision=" + std::to_string(registry_revision) + " " + registry_status)
      .run();
  tx.commit();
}

void Store::quarantine_record(const std::string& id, const std::string& reason, const std::string& code,
                              const std::string& field) {
  std::lock_guard lock(mu_);
  const std::string now = util::now_rfc3339();
  Transaction tx(*db_);
  auto r = db_->prepare("SELECT source, natural_key FROM records WHERE id=?1");
  r.bind(1, id);
  if (!r.step()) return;
  std::string source = r.text(0), key = r.text(1);
  db_->prepare("UPDATE records SET status='quarantined', status_reason=?2, updated_at=?3 WHERE id=?1")
      .bind(1, id)
      .bind(2, reason)
      .bind(3, now)
      .run();
  db_->prepare("DELETE FROM outbox WHERE record_id=?1").bind(1, id).run();
  db_->prepare("INSERT INTO quarantine(source, natural_key, stage, record_id, reason, code, field, first_attempt, "
               "last_attempt) VALUES(?1, ?2, 'sync', ?3, ?4, ?5, ?6, ?7, ?7) "
               "ON CONFLICT(source, natural_key, stage) DO UPDATE SET reason=excluded.reason, code=excluded.code, "
               "field=excluded.field, attempts=attempts+1, last_attempt=excluded.last_attempt")
      .bind(1, source)
      .bind(2, key)
      .bind(3, id)
      .bind(4, reason)
      .bind(5, code)
      .bind(6, field)
      .bind(7, now)
      .run();
  db_->prepare("INSERT INTO audit(at, actor, action, target, detail) VALUES(?1, 'sync', 'record.quarantined', ?2, ?3)")
      .bind(1, now)
      .bind(2, id)
      .bind(3, code + (field.empty() ? "" : " field=" + field))
      .run();
  tx.commit();
}

}  // namespace sseccoe::store
