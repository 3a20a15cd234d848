// The outbox as the sync client sees it: what is due and in which order,
// retries, registration (including a revision made while a request was in
// flight) and quarantine of a record the registry refuses.
#include <gtest/gtest.h>

#include "support.hpp"

namespace sseccoe::store {
namespace {

using testing::harvested;
using testing::kSource;
using testing::TempDir;

class StoreOutbox : public testing::StoreFixture {
 protected:
  std::vector<std::string> due_ids(std::int64_t now, int limit = 100) {
    std::vector<std::string> ids;
    for (const auto& e : store.due(now, limit)) ids.push_back(e.record_id);
    return ids;
  }
  std::int64_t outbox_rows() { return testing::count(dir.state(), "SELECT count(*) FROM outbox"); }
};

TEST_F(StoreOutbox, DueFiltersByNextAttemptAndOrdersByIt) {
  const auto a = add("a.pdf"), b = add("b.pdf"), c = add("c.pdf");
  store.retry_later(a, 500, "HTTP 503");
  store.retry_later(b, 100, "HTTP 429");
  EXPECT_EQ(due_ids(50), (std::vector<std::string>{c}));
  EXPECT_EQ(due_ids(100), (std::vector<std::string>{c, b}));
  EXPECT_EQ(due_ids(1000), (std::vector<std::string>{c, b, a}));
  EXPECT_EQ(due_ids(1000, 2), (std::vector<std::string>{c, b}));
  EXPECT_EQ(store.next_due_time(), 0);
  store.mark_synced(c, store.due(1000, 1)[0].fingerprint, "F-3", 1, "created");
  EXPECT_EQ(store.next_due_time(), 100);
}

TEST_F(StoreOutbox, RetryLaterCountsAttempts) {
  const auto a = add("a.pdf");
  store.retry_later(a, 10, "connection refused");
  store.retry_later(a, 20, "connection refused");
  auto due = store.due(kFarFuture, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 2);
  EXPECT_EQ(testing::query(dir.state(), "SELECT last_error FROM outbox"), "connection refused");
  EXPECT_EQ(store.next_due_time(), 20);
}

TEST_F(StoreOutbox, ANewRevisionGetsAFreshStart) {
  const auto a = add("a.pdf");
  store.retry_later(a, kFarFuture - 1, "HTTP 503");
  ASSERT_TRUE(due_ids(1000).empty());
  auto h = harvested("a.pdf");
  h.record.title = "revisado";
  store.commit_harvest(h, std::nullopt);
  auto due = store.due(1000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 0);
  EXPECT_NE(due[0].body.find("revisado"), std::string::npos);
}

TEST_F(StoreOutbox, MarkSyncedWithTheCurrentFingerprint) {
  const auto a = add("a.pdf");
  auto entry = store.due(kFarFuture, 1).at(0);
  store.mark_synced(a, entry.fingerprint, "SSECCOE-2021-000123", 1, "created");
  auto r = store.record(a);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "synced");
  EXPECT_EQ(r->folio, "SSECCOE-2021-000123");
  EXPECT_EQ(r->registry_revision, 1);
  EXPECT_FALSE(r->synced_at.empty());
  EXPECT_EQ(outbox_rows(), 0);
  EXPECT_EQ(store.next_due_time(), -1);
  EXPECT_EQ(testing::count(dir.state(), "SELECT count(*) FROM audit WHERE action='record.registered'"), 1);
}

TEST_F(StoreOutbox, MarkSyncedWithAStaleFingerprintKeepsTheNewRevisionQueued) {
  const auto a = add("a.pdf");
  auto in_flight = store.due(kFarFuture, 1).at(0);
  // While the PUT is in flight the source revises the item.
  auto h = harvested("a.pdf");
  h.record.title = "revisado durante el envío";
  ASSERT_EQ(store.commit_harvest(h, std::nullopt), HarvestOutcome::Changed);
  store.mark_synced(a, in_flight.fingerprint, "SSECCOE-2021-000124", 1, "created");

  auto r = store.record(a);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "pending");
  EXPECT_EQ(r->folio, "SSECCOE-2021-000124");  // known now: the next PUT revises it
  auto due = store.due(kFarFuture, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].fingerprint, model::content_fingerprint(h.record));
  EXPECT_NE(due[0].fingerprint, in_flight.fingerprint);
  EXPECT_NE(due[0].body.find("revisado durante el env"), std::string::npos);

  store.mark_synced(a, due[0].fingerprint, "SSECCOE-2021-000124", 2, "revised");
  EXPECT_EQ(store.record(a)->status, "synced");
  EXPECT_EQ(store.record(a)->registry_revision, 2);
  EXPECT_EQ(outbox_rows(), 0);
}

TEST_F(StoreOutbox, QuarantineRecordTakesItOutOfTheOutbox) {
  const auto a = add("a.pdf");
  store.quarantine_record(a, "registry refused: activity 9.9.9 is not in PAT-2021", "unknown_activity", "activity");
  auto r = store.record(a);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "quarantined");
  EXPECT_EQ(r->status_reason, "registry refused: activity 9.9.9 is not in PAT-2021");
  EXPECT_EQ(outbox_rows(), 0);
  auto q = store.quarantine();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].stage, "sync");
  EXPECT_EQ(q[0].record_id, a);
  EXPECT_EQ(q[0].source, kSource);
  EXPECT_EQ(q[0].natural_key, "a.pdf");
  EXPECT_EQ(q[0].code, "unknown_activity");
  EXPECT_EQ(q[0].field, "activity");
  EXPECT_EQ(q[0].attempts, 1);
  EXPECT_FALSE(q[0].first_attempt.empty());
  auto one = store.quarantine_entry(q[0].id);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->reason, q[0].reason);
  EXPECT_FALSE(store.quarantine_entry(q[0].id + 1000));
}

TEST_F(StoreOutbox, QuarantiningTwiceBumpsAttempts) {
  const auto a = add("a.pdf");
  store.quarantine_record(a, "first", "c1", "");
  store.quarantine_record(a, "second", "c2", "people[0].curp");
  auto q = store.quarantine();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].attempts, 2);
  EXPECT_EQ(q[0].reason, "second");
  EXPECT_EQ(q[0].field, "people[0].curp");
}

TEST_F(StoreOutbox, QuarantiningAnUnknownRecordChangesNothing) {
  store.quarantine_record("ev-00000000000000000000000000000000", "x", "y", "");
  EXPECT_TRUE(store.quarantine().empty());
}

}  // namespace
}  // namespace sseccoe::store
