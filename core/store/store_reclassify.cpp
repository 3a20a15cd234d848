// Store: applying corrected rules to records that were never sent
// (pipeline/reclassify.hpp decides; this file only writes).
#include "store/store.hpp"
#include "util/time.hpp"

namespace sseccoe::store {

std::vector<StoredItem> Store::items_of_record(const std::string& record_id) {
  std::lock_guard lock(mu_);
  std::vector<StoredItem> out;
  auto st = db_->prepare(
      "SELECT source, natural_key, version, digest, record_id, snapshot FROM items WHERE record_id=?1 "
      "AND NOT EXISTS (SELECT 1 FROM aliases a WHERE a.source=items.source AND a.natural_key=items.natural_key) "
      "ORDER BY first_seen, natural_key");
  st.bind(1, record_id);
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5)});
  return out;
}

bool Store::apply_reclassification(const Harvested& h, const std::string& previous_record_id,
                                   const std::string& actor, const std::string& detail) {
  std::lock_guard lock(mu_);
  const std::string now = util::now_rfc3339();
  Transaction tx(*db_);
  // Re-read under the lock: only a record that is still unclassified or
  // held, and was never registered, may change this way.
  auto prev = db_->prepare("SELECT status, coalesce(folio,'') FROM records WHERE id=?1");
  prev.bind(1, previous_record_id);
  if (!prev.step()) return false;
  const std::string prev_status = prev.text(0);
  if ((prev_status != "unclassified" && prev_status != "held") || !prev.text(1).empty()) return false;

  if (h.record.id != previous_record_id) {
    db_->prepare("UPDATE items SET record_id=?3 WHERE source=?1 AND natural_key=?2")
        .bind(1, h.source)
        .bind(2, h.natural_key)
        .bind(3, h.record.id)
        .run();
    auto others = db_->prepare("SELECT count(*) FROM items WHERE record_id=?1");
    others.bind(1, previous_record_id);
    others.step();
    if (others.integer(0) == 0) {
      // Nobody points to the old record any more, and it never left the
      // machine: it goes, so that the item is not counted twice locally.
      db_->prepare("DELETE FROM outbox WHERE record_id=?1").bind(1, previous_record_id).run();
      db_->prepare("DELETE FROM person_records WHERE record_id=?1").bind(1, previous_record_id).run();
      db_->prepare("DELETE FROM records WHERE id=?1").bind(1, previous_record_id).run();
    }
  }

  auto current = db_->prepare("SELECT fingerprint FROM records WHERE id=?1");
  current.bind(1, h.record.id);
  const bool exists = current.step();
  if (!exists || current.text(0) != model::content_fingerprint(h.record)) {
    upsert_record(h, now);
  } else {
    // Same body (a catalog fix releasing a held record): status and
    // explanation only, no new revision.
    db_->prepare("UPDATE records SET status=?2, status_reason=?3, classified_by=?4, explain=?5, updated_at=?6 "
                 "WHERE id=?1")
        .bind(1, h.record.id)
        .bind(2, h.status)
        .bind(3, h.status_reason)
        .bind(4, h.classified_by)
        .bind(5, h.explain)
        .bind(6, now)
        .run();
  }
  db_->prepare("UPDATE items SET snapshot=?3 WHERE source=?1 AND natural_key=?2")
      .bind(1, h.source)
      .bind(2, h.natural_key)
      .bind(3, h.snapshot)
      .run();
  if (h.status == "pending")
    enqueue(h.record.id);
  else
    db_->prepare("DELETE FROM outbox WHERE record_id=?1").bind(1, h.record.id).run();
  db_->prepare("INSERT INTO audit(at, actor, action, target, detail) VALUES(?1, ?2, 'record.reclassified', ?3, ?4)")
      .bind(1, now)
      .bind(2, actor)
      .bind(3, h.record.id)
      .bind(4, detail)
      .run();
  register_people(h, now);
  tx.commit();
  return true;
}

void Store::mark_for_reread(const std::string& source, const std::string& key, const std::string& actor,
                            const std::string& why) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  db_->prepare("UPDATE items SET version='', digest='' WHERE source=?1 AND natural_key=?2")
      .bind(1, source)
      .bind(2, key)
      .run();
  db_->prepare("INSERT INTO audit(at, actor, action, target, detail) VALUES(?1, ?2, 'item.reread', ?3, ?4)")
      .bind(1, util::now_rfc3339())
      .bind(2, actor)
      .bind(3, source + ":" + key)
      .bind(4, why)
      .run();
  tx.commit();
}

}  // namespace sseccoe::store

namespace sseccoe::store {

std::optional<std::string> Store::record_citing(const std::string& activity, const std::vector<std::string>& digests,
                                                const std::string& except_id) {
  if (digests.empty() || activity.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  // Candidates cite the first digest; one of them must cite them all.
  auto st = db_->prepare("SELECT record_id FROM record_files WHERE activity=?1 AND digest=?2 AND record_id<>?3 "
                         "ORDER BY record_id");
  st.bind(1, activity).bind(2, digests[0]).bind(3, except_id);
  std::vector<std::string> candidates;
  while (st.step()) candidates.push_back(st.text(0));
  for (const auto& id : candidates) {
    bool all = true;
    for (std::size_t i = 1; i < digests.size() && all; ++i) {
      auto q = db_->prepare("SELECT 1 FROM record_files WHERE record_id=?1 AND digest=?2");
      q.bind(1, id).bind(2, digests[i]);
      all = q.step();
    }
    if (all) return id;
  }
  return std::nullopt;
}

void Store::commit_alias(const Harvested& h, const std::string& canonical_id,
                         const std::optional<std::string>& cursor) {
  std::lock_guard lock(mu_);
  const std::string now = util::now_rfc3339();
  Transaction tx(*db_);
  insert_files(h.blobs, now);
  db_->prepare("INSERT INTO items(source, natural_key, version, digest, record_id, locator, first_seen, last_seen) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) "
               "ON CONFLICT(source, natural_key) DO UPDATE SET version=excluded.version, digest=excluded.digest, "
               "record_id=excluded.record_id, locator=excluded.locator, last_seen=excluded.last_seen, gone_at=NULL, "
               "snapshot=''")
      .bind(1, h.source)
      .bind(2, h.natural_key)
      .bind(3, h.version)
      .bind(4, h.digest)
      .bind(5, canonical_id)
      .bind(6, h.locator)
      .bind(7, now)
      .run();
  db_->prepare("INSERT INTO aliases(source, natural_key, record_id, locator, first_seen, last_seen) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(source, natural_key) DO UPDATE SET "
               "record_id=excluded.record_id, locator=excluded.locator, last_seen=excluded.last_seen")
      .bind(1, h.source)
      .bind(2, h.natural_key)
      .bind(3, canonical_id)
      .bind(4, h.locator)
      .bind(5, now)
      .run();
  db_->prepare("INSERT INTO audit(at, actor, action, target, detail) VALUES(?1, 'harvester', 'record.alias', ?2, ?3)")
      .bind(1, now)
      .bind(2, canonical_id)
      .bind(3, "the same content from " + h.source + " (" + h.locator + ")")
      .run();
  if (cursor)
    db_->prepare("INSERT INTO cursors(source, value, updated_at) VALUES(?1, ?2, ?3) "
                 "ON CONFLICT(source) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at")
        .bind(1, h.source)
        .bind(2, *cursor)
        .bind(3, now)
        .run();
  tx.commit();
  flush_batch_if_due();
}

std::vector<AliasEntry> Store::aliases_of(const std::string& record_id) {
  std::lock_guard lock(mu_);
  std::vector<AliasEntry> out;
  auto st = db_->prepare("SELECT source, natural_key, locator, first_seen, last_seen FROM aliases WHERE record_id=?1 "
                         "ORDER BY first_seen, source, natural_key");
  st.bind(1, record_id);
  while (st.step()) out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4)});
  return out;
}

}  // namespace sseccoe::store
