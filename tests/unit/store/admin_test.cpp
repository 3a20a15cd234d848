// What operators do through the CLI: quarantine retry and discard, manual
// classification, finding a record by id prefix, health notes.
#include <gtest/gtest.h>

#include <map>

#include "store/schema.hpp"
#include "support.hpp"

namespace sseccoe::store {
namespace {

using testing::harvested;
using testing::kSource;
using testing::TempDir;

class StoreAdmin : public testing::StoreFixture {
 protected:
  std::int64_t outbox_rows(const std::string& id) {
    return testing::count(dir.state(), "SELECT count(*) FROM outbox WHERE record_id='" + id + "'");
  }
  std::int64_t audits(const std::string& action, const std::string& target) {
    return testing::count(dir.state(), "SELECT count(*) FROM audit WHERE action='" + action + "' AND target='" +
                                           target + "'");
  }
  // A record body as `classify` builds it: the stored body with a new
  // activity and kind.
  std::string reclassified_body(const std::string& id, const std::string& activity, const std::string& kind) {
    auto body = nlohmann::json::parse(store.record(id)->body);
    body["activity"] = activity;
    body["kind"] = kind;
    return body.dump();
  }
};

TEST_F(StoreAdmin, RetryingASyncQuarantineQueuesTheRecordAgain) {
  const auto a = add("a.pdf");
  store.quarantine_record(a, "HTTP 413: too large", "too_large", "files[0]");
  const auto entry = store.quarantine().at(0).id;
  EXPECT_TRUE(store.quarantine_retry(entry, "alice"));
  auto r = store.record(a);
  EXPECT_EQ(r->status, "pending");
  EXPECT_EQ(r->status_reason, "");
  EXPECT_EQ(outbox_rows(a), 1);
  EXPECT_EQ(store.due(kFarFuture, 10).size(), 1u);
  EXPECT_TRUE(store.quarantine().empty());
  EXPECT_EQ(audits("quarantine.retry", a), 1);
  EXPECT_EQ(testing::query(dir.state(), "SELECT actor FROM audit WHERE action='quarantine.retry'"), "alice");
}

TEST_F(StoreAdmin, RetryingAHarvestQuarantineMakesTheSourceReadTheItemAgain) {
  add("informe.xlsx");
  ASSERT_FALSE(store.item(kSource, "informe.xlsx")->version.empty());
  store.quarantine_item(kSource, "informe.xlsx", "truncated XLSX", "/srv/informe.xlsx");
  const auto entry = store.quarantine().at(0).id;
  EXPECT_TRUE(store.quarantine_retry(entry, "alice"));
  // An empty version never equals the source's: the next pass reads it.
  EXPECT_EQ(store.item(kSource, "informe.xlsx")->version, "");
  EXPECT_TRUE(store.quarantine().empty());
  EXPECT_EQ(audits("quarantine.retry", std::string(kSource) + ":informe.xlsx"), 1);
}

TEST_F(StoreAdmin, RetryOrDiscardOfAnUnknownEntryIsRefused) {
  EXPECT_FALSE(store.quarantine_retry(42, "alice"));
  EXPECT_FALSE(store.quarantine_discard(42, "duplicate", "alice"));
  EXPECT_EQ(testing::count(dir.state(), "SELECT count(*) FROM audit"), 0);
}

TEST_F(StoreAdmin, DiscardIsAuditedWithItsReason) {
  store.quarantine_item(kSource, "loop", "symbolic link loop", "/srv/loop");
  const auto entry = store.quarantine().at(0).id;
  EXPECT_TRUE(store.quarantine_discard(entry, "a test folder, not evidence", "bob"));
  EXPECT_TRUE(store.quarantine().empty());
  EXPECT_EQ(audits("quarantine.discard", std::string(kSource) + ":loop"), 1);
  auto detail = testing::query(dir.state(), "SELECT detail FROM audit WHERE action='quarantine.discard'");
  ASSERT_TRUE(detail);
  EXPECT_NE(detail->find("a test folder, not evidence"), std::string::npos);
  EXPECT_EQ(testing::query(dir.state(), "SELECT actor FROM audit WHERE action='quarantine.discard'"), "bob");
}

TEST_F(StoreAdmin, DiscardingASyncQuarantineLeavesTheRecordQuarantined) {
  const auto a = add("a.pdf");
  store.quarantine_record(a, "refused", "invalid", "");
  EXPECT_TRUE(store.quarantine_discard(store.quarantine().at(0).id, "not evidence", "bob"));
  EXPECT_EQ(store.record(a)->status, "quarantined");
  EXPECT_EQ(outbox_rows(a), 0);
  EXPECT_EQ(audits("quarantine.discard", a), 1);
}

TEST_F(StoreAdmin, ManualClassificationIsQueuedAndAudited) {
  const auto u = add("raro.pdf", "unclassified");
  ASSERT_EQ(outbox_rows(u), 0);
  auto status = store.classify(u, "1.1.2", "course_certificate", reclassified_body(u, "1.1.2", "course_certificate"),
                               "pending", "", "alice");
  EXPECT_EQ(status, "pending");
  auto r = store.record(u);
  EXPECT_EQ(r->status, "pending");
  EXPECT_EQ(r->activity, "1.1.2");
  EXPECT_EQ(r->kind, "course_certificate");
  EXPECT_EQ(r->classified_by, "manual:alice");
  EXPECT_EQ(r->revision, 2);
  EXPECT_EQ(r->fingerprint, model::content_fingerprint(model::record_from_json(nlohmann::json::parse(r->body))));
  EXPECT_EQ(outbox_rows(u), 1);
  EXPECT_EQ(audits("record.classified", u), 1);
}

TEST_F(StoreAdmin, ManualClassificationThatIsHeldIsNotSent) {
  const auto u = add("raro.pdf", "unclassified");
  store.classify(u, "5.2.1", "email_dispatch", reclassified_body(u, "5.2.1", "email_dispatch"), "held",
                 "dated 2021-05-14, outside activity 5.2.1's window", "alice");
  EXPECT_EQ(store.record(u)->status, "held");
  EXPECT_EQ(outbox_rows(u), 0);
}

TEST_F(StoreAdmin, ReclassifyingAPendingRecordAsHeldTakesItOutOfTheOutbox) {
  // Queued under one activity, then an operator moves it to one whose window
  // it is outside: the queued body must not be sent.
  const auto p = add("a.pdf", "pending");
  ASSERT_EQ(outbox_rows(p), 1);
  store.classify(p, "5.2.1", "email_dispatch", reclassified_body(p, "5.2.1", "email_dispatch"), "held",
                 "dated 2021-03-01, outside activity 5.2.1's window", "alice");
  EXPECT_EQ(store.record(p)->status, "held");
  EXPECT_EQ(outbox_rows(p), 0);
  EXPECT_TRUE(store.due(kFarFuture, 10).empty());
}

TEST_F(StoreAdmin, ReclassifyingAQuarantinedRecordClearsItsQuarantineEntry) {
  const auto a = add("a.pdf");
  store.quarantine_record(a, "registry refused: activity 1.1.1 is closed", "unknown_activity", "activity");
  ASSERT_EQ(store.quarantine().size(), 1u);
  store.classify(a, "1.1.2", "course_certificate", reclassified_body(a, "1.1.2", "course_certificate"), "pending", "",
                 "alice");
  EXPECT_EQ(store.record(a)->status, "pending");
  EXPECT_EQ(outbox_rows(a), 1);
  EXPECT_TRUE(store.quarantine().empty()) << "the refusal was about the old body";
  EXPECT_EQ(store.counts().quarantine_entries, 0);
}

TEST_F(StoreAdmin, RecordsFilteredByStatus) {
  add("a.pdf", "pending");
  add("b.pdf", "unclassified");
  add("c.pdf", "unclassified");
  EXPECT_EQ(store.records().size(), 3u);
  auto u = store.records("unclassified");
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0].natural_key, "b.pdf");
  EXPECT_EQ(u[1].natural_key, "c.pdf");
  EXPECT_TRUE(store.records("synced").empty());
}

TEST_F(StoreAdmin, RecordByIdOrUniquePrefix) {
  const auto a = add("a.pdf");
  EXPECT_EQ(store.record(a)->id, a);
  EXPECT_EQ(store.record(a.substr(0, 10))->id, a);
  EXPECT_EQ(store.record(a.substr(0, 6))->id, a);
  // Shorter than 6 characters ("ev-" and two digits) is never enough.
  EXPECT_FALSE(store.record(a.substr(0, 5)));
  EXPECT_FALSE(store.record("ev-ffffffffffffffffffffffffffffffff"));
  EXPECT_FALSE(store.record(""));
}

TEST_F(StoreAdmin, AmbiguousPrefixFindsNothing) {
  // Two keys whose record ids share their first 6 characters.
  std::map<std::string, std::string> by_prefix;
  std::string k1, k2;
  for (int i = 0; k1.empty(); ++i) {
    std::string key = "f" + std::to_string(i) + ".pdf";
    auto id = model::make_record_id("INM", kSource, key);
    auto [it, fresh] = by_prefix.emplace(id.substr(0, 6), key);
    if (!fresh) {
      k1 = it->second;
      k2 = key;
    }
  }
  const auto a = add(k1), b = add(k2);
  ASSERT_EQ(a.substr(0, 6), b.substr(0, 6));
  EXPECT_FALSE(store.record(a.substr(0, 6)));
  EXPECT_EQ(store.record(a)->id, a);
  EXPECT_EQ(store.record(b)->id, b);
}

TEST_F(StoreAdmin, PrefixIsLiteralNotAPattern) {
  const auto a = add("a.pdf");
  // SQL LIKE wildcards typed by an operator must not select a record.
  EXPECT_FALSE(store.record("ev-%%%"));
  EXPECT_FALSE(store.record("ev-______"));
  EXPECT_FALSE(store.record("%" + a.substr(4, 8)));
}

TEST_F(StoreAdmin, HealthNotesAreKeptAndReplaced) {
  EXPECT_TRUE(store.health().empty());
  store.put_health("registry", R"({"state":"ok"})");
  store.put_health("source.constancias", R"({"last_error":"EACCES"})");
  store.put_health("registry", R"({"state":"retrying"})");
  auto h = store.health();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h["registry"], R"({"state":"retrying"})");
  EXPECT_EQ(h["source.constancias"], R"({"last_error":"EACCES"})");
  // Health notes are not the schema version.
  EXPECT_EQ(testing::query(dir.state(), "SELECT value FROM meta WHERE key='schema_version'"),
            std::to_string(kSchemaVersion));
  // Another process (status) reads them from the database.
  Store other(dir.state());
  EXPECT_EQ(other.health()["registry"], R"({"state":"retrying"})");
}

TEST_F(StoreAdmin, AuditRowsKeepActorActionTargetDetail) {
  store.audit("alice", "catalog.import", "PAT-2021", "15 activities");
  EXPECT_EQ(testing::query(dir.state(), "SELECT actor||'|'||action||'|'||target||'|'||detail FROM audit"),
            "alice|catalog.import|PAT-2021|15 activities");
}

}  // namespace
}  // namespace sseccoe::store
