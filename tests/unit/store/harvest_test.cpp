// The harvest side of the store: new, changed and unchanged items, record
// revisions, which statuses enter the outbox, cursors and item bookkeeping.
#include <gtest/gtest.h>

#include "support.hpp"

namespace sseccoe::store {
namespace {

using testing::harvested;
using testing::kSource;
using testing::TempDir;

constexpr std::int64_t kFarFuture = 4102444800;  // 2100-01-01: everything is due

class StoreHarvest : public ::testing::Test {
 protected:
  TempDir dir;
  Store store{dir.state()};

  std::int64_t outbox_rows(const std::string& id) {
    return testing::count(dir.state(), "SELECT count(*) FROM outbox WHERE record_id='" + id + "'");
  }
};

TEST_F(StoreHarvest, NewThenUnchangedThenChangedByFingerprint) {
  auto h = harvested("2021/curso.pdf");
  EXPECT_EQ(store.commit_harvest(h, std::nullopt), HarvestOutcome::New);

  // A re-harvest of the same evidence differs only in harvested_at, the
  // version and the locator's mtime: not a revision.
  h.record.source.harvested_at = "2021-06-01T00:00:00Z";
  h.version = "size=10,mtime=2";
  EXPECT_EQ(store.commit_harvest(h, std::nullopt), HarvestOutcome::Unchanged);
  auto r = store.record(h.record.id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->revision, 1);
  EXPECT_EQ(store.item(kSource, h.natural_key)->version, "size=10,mtime=2");

  h.record.title = "Constancia corregida";
  EXPECT_EQ(store.commit_harvest(h, std::nullopt), HarvestOutcome::Changed);
  r = store.record(h.record.id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->revision, 2);
  EXPECT_NE(r->body.find("Constancia corregida"), std::string::npos);
  EXPECT_EQ(r->fingerprint, model::content_fingerprint(h.record));

  // The same content again: still revision 2.
  EXPECT_EQ(store.commit_harvest(h, std::nullopt), HarvestOutcome::Unchanged);
  EXPECT_EQ(store.record(h.record.id)->revision, 2);
}

TEST_F(StoreHarvest, StoresWhatThePipelineDecided) {
  auto h = harvested("a.pdf");
  store.commit_harvest(h, std::nullopt);
  auto r = store.record(h.record.id);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->source, kSource);
  EXPECT_EQ(r->natural_key, "a.pdf");
  EXPECT_EQ(r->kind, "course_certificate");
  EXPECT_EQ(r->activity, "1.1.1");
  EXPECT_EQ(r->status, "pending");
  EXPECT_EQ(r->classified_by, "rule[1] agent.toml:20");
  EXPECT_EQ(r->explain, R"({"rules":[]})");
  EXPECT_EQ(r->folio, "");
  EXPECT_FALSE(r->created_at.empty());
  auto body = nlohmann::json::parse(r->body);
  EXPECT_EQ(model::record_from_json(body).id, h.record.id);
  auto item = store.item(kSource, "a.pdf");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->record_id, h.record.id);
  EXPECT_EQ(item->digest, h.digest);
  EXPECT_FALSE(store.item(kSource, "other.pdf"));
  EXPECT_FALSE(store.item("another-source", "a.pdf"));
}

TEST_F(StoreHarvest, PendingEntersTheOutbox) {
  auto h = harvested("a.pdf", "pending");
  store.commit_harvest(h, std::nullopt);
  EXPECT_EQ(outbox_rows(h.record.id), 1);
  auto due = store.due(kFarFuture, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].record_id, h.record.id);
  EXPECT_EQ(due[0].fingerprint, model::content_fingerprint(h.record));
  EXPECT_EQ(due[0].attempts, 0);
}

TEST_F(StoreHarvest, UnclassifiedAndHeldStayLocal) {
  auto u = harvested("u.pdf", "unclassified");
  auto held = harvested("h.pdf", "held");
  store.commit_harvest(u, std::nullopt);
  store.commit_harvest(held, std::nullopt);
  EXPECT_EQ(outbox_rows(u.record.id), 0);
  EXPECT_EQ(outbox_rows(held.record.id), 0);
  EXPECT_TRUE(store.due(kFarFuture, 10).empty());
  EXPECT_EQ(store.record(u.record.id)->status_reason, "no rule matched");
  EXPECT_EQ(store.record(held.record.id)->status, "held");
}

TEST_F(StoreHarvest, ARevisionThatIsHeldLeavesTheOutbox) {
  auto h = harvested("a.pdf", "pending");
  store.commit_harvest(h, std::nullopt);
  ASSERT_EQ(outbox_rows(h.record.id), 1);
  auto held = harvested("a.pdf", "held", "Otra fecha");
  EXPECT_EQ(store.commit_harvest(held, std::nullopt), HarvestOutcome::Changed);
  EXPECT_EQ(outbox_rows(h.record.id), 0);
  EXPECT_EQ(store.record(h.record.id)->status, "held");
}

TEST_F(StoreHarvest, ARevisionOfASyncedRecordGoesOutAgain) {
  auto h = harvested("a.pdf");
  store.commit_harvest(h, std::nullopt);
  store.mark_synced(h.record.id, model::content_fingerprint(h.record), "F-1", 1, "created");
  ASSERT_EQ(store.record(h.record.id)->status, "synced");
  h.record.title = "Nuevo título";
  EXPECT_EQ(store.commit_harvest(h, std::nullopt), HarvestOutcome::Changed);
  auto r = store.record(h.record.id);
  EXPECT_EQ(r->status, "pending");
  EXPECT_EQ(r->folio, "F-1");  // the folio stays: the registry revises the same record
  EXPECT_EQ(outbox_rows(h.record.id), 1);
}

TEST_F(StoreHarvest, CursorIsCommittedWithTheItem) {
  EXPECT_FALSE(store.cursor(kSource));
  store.commit_harvest(harvested("a.pdf"), std::string("after-a"));
  EXPECT_EQ(store.cursor(kSource), "after-a");
  // An unchanged item still moves the cursor on.
  store.commit_harvest(harvested("a.pdf"), std::string("after-a-again"));
  EXPECT_EQ(store.cursor(kSource), "after-a-again");
  // No cursor: the stored one stays.
  store.commit_harvest(harvested("b.pdf"), std::nullopt);
  EXPECT_EQ(store.cursor(kSource), "after-a-again");
  store.set_cursor("buzon", "uidvalidity=7;uid=42");
  auto all = store.cursors();
  EXPECT_EQ(all.size(), 2u);
  EXPECT_EQ(all["buzon"], "uidvalidity=7;uid=42");
  EXPECT_EQ(all[kSource], "after-a-again");
  store.set_cursor("buzon", "uidvalidity=7;uid=43");
  EXPECT_EQ(store.cursor("buzon"), "uidvalidity=7;uid=43");
}

TEST_F(StoreHarvest, TouchItemRemembersTheVersionWithoutARevision) {
  auto h = harvested("a.pdf");
  store.commit_harvest(h, std::nullopt);
  store.touch_item(kSource, "a.pdf", "size=10,mtime=99", std::string("c2"));
  auto item = store.item(kSource, "a.pdf");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->version, "size=10,mtime=99");
  EXPECT_EQ(item->digest, h.digest);
  EXPECT_EQ(store.record(h.record.id)->revision, 1);
  EXPECT_EQ(store.cursor(kSource), "c2");
  store.touch_item(kSource, "a.pdf", "size=10,mtime=100", std::nullopt);
  EXPECT_EQ(store.cursor(kSource), "c2");
}

TEST_F(StoreHarvest, GoneItemsLeaveTheKeyListUntilSeenAgain) {
  store.commit_harvest(harvested("a.pdf"), std::nullopt);
  store.commit_harvest(harvested("b.pdf"), std::nullopt);
  EXPECT_EQ(store.item_keys(kSource), (std::vector<std::string>{"a.pdf", "b.pdf"}));
  store.mark_gone(kSource, "a.pdf");
  EXPECT_EQ(store.item_keys(kSource), (std::vector<std::string>{"b.pdf"}));
  // Gone is not deleted: the record stays, locally and in the registry.
  EXPECT_TRUE(store.record(harvested("a.pdf").record.id));
  store.touch_item(kSource, "a.pdf", "v2", std::nullopt);
  EXPECT_EQ(store.item_keys(kSource), (std::vector<std::string>{"a.pdf", "b.pdf"}));
  EXPECT_TRUE(store.item_keys("other").empty());
}

TEST_F(StoreHarvest, HarvestQuarantineIsOneEntryPerItem) {
  store.quarantine_item(kSource, "broken.xlsx", "truncated ZIP central directory", "/srv/broken.xlsx");
  store.quarantine_item(kSource, "broken.xlsx", "truncated ZIP central directory (again)", "/srv/broken.xlsx");
  auto q = store.quarantine();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].stage, "harvest");
  EXPECT_EQ(q[0].attempts, 2);
  EXPECT_EQ(q[0].reason, "truncated ZIP central directory (again)");
  EXPECT_EQ(q[0].locator, "/srv/broken.xlsx");
  EXPECT_EQ(q[0].record_id, "");
  // A readable revision of the item clears its quarantine entry.
  store.commit_harvest(harvested("broken.xlsx"), std::nullopt);
  EXPECT_TRUE(store.quarantine().empty());
}

TEST_F(StoreHarvest, CountsByStatus) {
  store.commit_harvest(harvested("p1.pdf", "pending"), std::nullopt);
  store.commit_harvest(harvested("p2.pdf", "pending"), std::nullopt);
  store.commit_harvest(harvested("u.pdf", "unclassified"), std::nullopt);
  store.commit_harvest(harvested("h.pdf", "held"), std::nullopt);
  auto s = harvested("s.pdf", "pending");
  store.commit_harvest(s, std::nullopt);
  store.mark_synced(s.record.id, model::content_fingerprint(s.record), "F-9", 1, "created");
  auto q = harvested("q.pdf", "pending");
  store.commit_harvest(q, std::nullopt);
  store.quarantine_record(q.record.id, "unknown activity", "unknown_activity", "activity");
  store.quarantine_item(kSource, "x.zip", "broken", "");

  auto c = store.counts();
  EXPECT_EQ(c.records, 6);
  EXPECT_EQ(c.pending, 2);
  EXPECT_EQ(c.unclassified, 1);
  EXPECT_EQ(c.held, 1);
  EXPECT_EQ(c.synced, 1);
  EXPECT_EQ(c.quarantined, 1);
  EXPECT_EQ(c.quarantine_entries, 2);
  EXPECT_EQ(c.outbox, 2);
  EXPECT_FALSE(c.oldest_pending.empty());
  EXPECT_EQ(c.blobs, 0);
}

TEST_F(StoreHarvest, EmptyStoreCounts) {
  auto c = store.counts();
  EXPECT_EQ(c.records, 0);
  EXPECT_EQ(c.outbox, 0);
  EXPECT_EQ(c.oldest_pending, "");
  EXPECT_EQ(store.next_due_time(), -1);
}

TEST_F(StoreHarvest, EveryChangeIsAudited) {
  auto h = harvested("a.pdf");
  store.commit_harvest(h, std::nullopt);
  store.commit_harvest(h, std::nullopt);  // unchanged: nothing to audit
  h.record.title = "otro";
  store.commit_harvest(h, std::nullopt);
  EXPECT_EQ(testing::count(dir.state(), "SELECT count(*) FROM audit WHERE action='record.created' AND target='" +
                                            h.record.id + "'"),
            1);
  EXPECT_EQ(testing::count(dir.state(), "SELECT count(*) FROM audit WHERE action='record.revised' AND target='" +
                                            h.record.id + "'"),
            1);
}

}  // namespace
}  // namespace sseccoe::store
