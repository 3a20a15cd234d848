// Reclassification against a real store: a corrected rule changes the
// unclassified and held backlog (from the items' snapshots, without the
// source), --dry-run changes nothing, registered records are never touched,
// a stream the new kind needs and that was never read sends the item back to
// its source, and grouped items join their group's record.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <sstream>

#include "../store/support.hpp"
#include "model/catalog.hpp"
#include "pipeline/item_snapshot.hpp"
#include "pipeline/reclassify.hpp"

namespace sseccoe::core {
namespace {

using ::testing::HasSubstr;
using store::testing::TempDir;

const model::Catalog& pat2021() {
  static const model::Catalog c = model::load_catalog_file(SSECCOE_SOURCE_DIR "/config/catalog/PAT-2021.json");
  return c;
}

RuleSection subject_rule(int index, std::string pattern, std::string kind, std::string activity) {
  RuleSection r;
  r.index = index;
  r.source = "buzon";
  r.kind = std::move(kind);
  r.activity = std::move(activity);
  r.regex = {{"subject", std::move(pattern)}};
  r.where = {"agent.toml", 10 * index, 1};
  return r;
}

sdk::Content content(std::string name, std::string body, std::string role, int* opened = nullptr,
                     std::string only_for_kind = {}) {
  sdk::Content c;
  c.name = std::move(name);
  c.media_type = "application/pdf";
  c.role = std::move(role);
  c.only_for_kind = std::move(only_for_kind);
  c.open = [body, opened]() -> std::unique_ptr<std::istream> {
    if (opened) ++*opened;
    return std::make_unique<std::istringstream>(body);
  };
  return c;
}

sdk::Item message(std::string id, std::string subject, std::string date = "2021-06-10") {
  sdk::Item item;
  item.natural_key = "msgid:" + id;
  item.version = "v1";
  item.metadata = {{"subject", std::move(subject)}, {"folder", "INBOX"}};
  item.occurred_on = std::move(date);
  item.occurred_on_from = "header:Date";
  item.contents.push_back(content("constancia.pdf", "%PDF-1.4 " + id, "attachment"));
  return item;
}

class ReclassifyTest : public ::testing::Test {
 protected:
  void SetUp() override { store.emplace(dir.state()); }

  // The pipeline as a harvester of "buzon" would set it up with `rules_now`.
  void use_rules(std::vector<RuleSection> rules_now) {
    sections = std::move(rules_now);
    rules.emplace(sections);
    ctx = EmitterContext{"INM", "PAT-2021", "buzon", "maildir", &pat2021(), &*rules, &*store, "evidence"};
  }

  void harvest(const sdk::Item& item) {
    StoreEmitter out(*ctx);
    out.emit(item, std::nullopt);
  }

  ReclassifyReport run(bool dry_run = false, std::string source = {}) {
    ReclassifyOptions o;
    o.dry_run = dry_run;
    o.source = std::move(source);
    return reclassify(
        *store, [this](const std::string& s) -> const EmitterContext* { return s == "buzon" ? &*ctx : nullptr; }, o);
  }

  std::string id_of(const std::string& key) { return model::make_record_id("INM", "buzon", key); }

  TempDir dir;
  std::optional<store::Store> store;
  std::vector<RuleSection> sections;
  std::optional<RuleSet> rules;
  std::optional<EmitterContext> ctx;
};

TEST_F(ReclassifyTest, ACorrectedRuleClassifiesTheBacklogAndExplainShowsIt) {
  // What IT wrote first: std::regex-era ASCII thinking, no accent.
  use_rules({subject_rule(1, "practicas", "email_dispatch", "5.2.1")});
  harvest(message("a@inm", "Buenas prácticas en el INM"));
  ASSERT_EQ(store->record(id_of("msgid:a@inm"))->status, "unclassified");

  use_rules({subject_rule(1, "pr[aá]cticas?", "course_certificate", "1.1.1")});
  const auto report = run();
  ASSERT_EQ(report.changes.size(), 1u);
  EXPECT_EQ(report.examined, 1u);
  const auto& c = report.changes[0];
  EXPECT_EQ(c.before_status, "unclassified");
  EXPECT_EQ(c.after_status, "pending");
  EXPECT_EQ(c.after_activity, "1.1.1");
  EXPECT_FALSE(c.reread);
  EXPECT_THAT(describe(c), HasSubstr("unclassified -> pending 1.1.1/course_certificate  rule[1] agent.toml:10:1"));

  const auto r = store->record(id_of("msgid:a@inm"));
  EXPECT_EQ(r->status, "pending");
  EXPECT_EQ(r->activity, "1.1.1");
  EXPECT_EQ(r->classified_by, "rule[1] agent.toml:10:1");
  EXPECT_THAT(r->explain, HasSubstr("\"matched\":true"));
  EXPECT_THAT(r->explain, ::testing::Not(HasSubstr("practicas/")));
  EXPECT_EQ(store->counts().outbox, 1) << "queued for the registry";
  const auto body = model::record_from_json(nlohmann::json::parse(r->body));
  ASSERT_EQ(body.files.size(), 1u) << "the stored attachment is cited, nothing re-read";
  EXPECT_EQ(body.files[0].name, "constancia.pdf");
  EXPECT_EQ(body.occurred_on, "2021-06-10");

  // Applied once: the next run finds nothing to do.
  const auto again = run();
  EXPECT_TRUE(again.changes.empty());
  EXPECT_EQ(again.examined, 0u) << "the record is pending now";
}

TEST_F(ReclassifyTest, DryRunPrintsTheChangeAndChangesNothing) {
  use_rules({});
  harvest(message("a@inm", "Capacitación"));
  const auto before = store->record(id_of("msgid:a@inm"));
  use_rules({subject_rule(1, "capacitaci[oó]n", "course_certificate", "1.1.1")});
  const auto report = run(true);
  ASSERT_EQ(report.changes.size(), 1u);
  EXPECT_EQ(report.changes[0].after_status, "pending");
  const auto after = store->record(id_of("msgid:a@inm"));
  EXPECT_EQ(after->status, "unclassified");
  EXPECT_EQ(after->revision, before->revision);
  EXPECT_EQ(after->explain, before->explain);
  EXPECT_EQ(store->counts().outbox, 0);
}

TEST_F(ReclassifyTest, RegisteredRecordsAreNeverTouched) {
  use_rules({subject_rule(1, "constancia", "course_certificate", "1.1.1")});
  harvest(message("sent@inm", "Constancia"));
  const std::string id = id_of("msgid:sent@inm");
  const auto fp = store->record(id)->fingerprint;
  store->mark_synced(id, fp, "SSECCOE-INM-2021-000001", 1, "created");
  // A rule that would now say something else entirely.
  use_rules({subject_rule(1, "constancia", "diffusion_material", "2.1.1")});
  const auto report = run();
  EXPECT_TRUE(report.changes.empty());
  EXPECT_EQ(report.examined, 0u);
  const auto r = store->record(id);
  EXPECT_EQ(r->status, "synced");
  EXPECT_EQ(r->activity, "1.1.1");
  EXPECT_EQ(r->revision, 1);
}

TEST_F(ReclassifyTest, HeldRecordsAreJudgedAgainAndStayHeldWithTodaysReason) {
  // Dated outside 1.1.1's window: held.
  use_rules({subject_rule(1, "constancia", "course_certificate", "1.1.1")});
  harvest(message("late@inm", "Constancia", "2021-12-20"));
  ASSERT_EQ(store->record(id_of("msgid:late@inm"))->status, "held");
  // IT moves the rule to the right activity, 1.1.2 (window to 2021-12-17):
  // still outside, the reason names the new window.
  use_rules({subject_rule(1, "constancia", "course_certificate", "1.1.2")});
  auto report = run();
  ASSERT_EQ(report.changes.size(), 1u);
  EXPECT_EQ(report.changes[0].after_status, "held");
  EXPECT_THAT(report.changes[0].after_reason, HasSubstr("outside activity 1.1.2"));
  EXPECT_EQ(store->record(id_of("msgid:late@inm"))->activity, "1.1.2");
}

TEST_F(ReclassifyTest, AStreamNeverReadSendsTheItemBackToItsSource) {
  use_rules({});
  int acuse_opened = 0;
  auto item = message("dispatch@inm", "Reporte de buena práctica");
  item.contents.push_back(content("acuse.pdf", "%PDF acuse", "acuse", &acuse_opened, "email_dispatch"));
  harvest(item);
  ASSERT_EQ(acuse_opened, 0) << "unclassified: the acuse was not rendered";

  use_rules({subject_rule(1, "pr[aá]ctica", "email_dispatch", "5.2.1")});
  const auto report = run();
  ASSERT_EQ(report.changes.size(), 1u);
  EXPECT_TRUE(report.changes[0].reread);
  EXPECT_THAT(report.changes[0].reread_why, HasSubstr("not read"));
  EXPECT_EQ(store->record(id_of("msgid:dispatch@inm"))->status, "unclassified") << "not sent without its acuse";
  EXPECT_EQ(store->item("buzon", "msgid:dispatch@inm")->version, "") << "its source reads it again";

  // The source's next pass offers it again: now with its acuse.
  harvest(item);
  EXPECT_EQ(acuse_opened, 1);
  const auto r = store->record(id_of("msgid:dispatch@inm"));
  EXPECT_EQ(r->status, "pending");
  EXPECT_THAT(r->body, HasSubstr("acuse.pdf"));
}

TEST_F(ReclassifyTest, GroupedItemsJoinTheirGroupsRecord) {
  use_rules({});
  auto request = message("q1@inm", "Consulta sobre conflicto de interés");
  request.metadata["thread"] = "t-42";
  harvest(request);
  auto answer = message("a1@inm", "RE: Consulta sobre conflicto de interés", "2021-06-15");
  answer.metadata["thread"] = "t-42";
  harvest(answer);
  ASSERT_EQ(store->counts().unclassified, 2);

  auto r = subject_rule(1, "consulta", "consultation", "1.2.1");
  r.group_by = "thread";
  use_rules({r});
  const auto report = run();
  ASSERT_EQ(report.changes.size(), 2u);
  const std::string group = model::make_record_id("INM", "buzon", "group:thread:t-42");
  EXPECT_EQ(report.changes[0].new_record_id, group);
  EXPECT_FALSE(store->record(id_of("msgid:q1@inm"))) << "the item's own record never left and is gone";
  EXPECT_FALSE(store->record(id_of("msgid:a1@inm")));
  const auto g = store->record(group);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->status, "pending");
  const auto body = model::record_from_json(nlohmann::json::parse(g->body));
  EXPECT_EQ(body.occurred_on, "2021-06-10") << "the earlier date of the two";
  EXPECT_EQ(store->items_of_record(group).size(), 2u);
  EXPECT_EQ(store->counts().records, 1);
}

TEST_F(ReclassifyTest, OnlyTheNamedSourceAndOnlyConfiguredSources) {
  use_rules({});
  harvest(message("a@inm", "Constancia"));
  use_rules({subject_rule(1, "constancia", "course_certificate", "1.1.1")});
  EXPECT_TRUE(run(false, "otra").changes.empty());
  EXPECT_EQ(store->record(id_of("msgid:a@inm"))->status, "unclassified");
  const auto all = run();
  EXPECT_EQ(all.changes.size(), 1u);
}

TEST_F(ReclassifyTest, ItemsHarvestedBeforeSnapshotsAreReadAgainByTheirSource) {
  use_rules({});
  harvest(message("old@inm", "Constancia"));
  {
    // As an agent of schema 2 left it: no snapshot.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir.state() + "/agent.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "UPDATE items SET snapshot=''", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  use_rules({subject_rule(1, "constancia", "course_certificate", "1.1.1")});
  const auto dry = run(true);
  ASSERT_EQ(dry.changes.size(), 1u);
  EXPECT_TRUE(dry.changes[0].reread);
  EXPECT_EQ(store->item("buzon", "msgid:old@inm")->version, "v1") << "a dry run changes nothing";

  const auto report = run();
  ASSERT_EQ(report.changes.size(), 1u);
  EXPECT_THAT(report.changes[0].reread_why, HasSubstr("before this agent kept item snapshots"));
  EXPECT_EQ(store->item("buzon", "msgid:old@inm")->version, "");
  EXPECT_TRUE(run().changes.empty()) << "asked once; the source's next pass settles it";

  harvest(message("old@inm", "Constancia"));
  EXPECT_EQ(store->record(id_of("msgid:old@inm"))->status, "pending");
}

TEST(ItemSnapshot, RoundTripsWhatRulesAndRecordsUse) {
  sdk::Item item;
  item.natural_key = "row:AAAA800101HDFRRN09";
  item.version = "abc";
  item.metadata = {{"table", "directorio.csv"}, {"cargo", "Presidenta"}, {"raw", "caf\xe9"}};
  item.occurred_on = "2021-03-01";
  item.occurred_on_from = "export";
  item.locator = "file:///srv/rh/directorio.csv#line=2";
  item.people = {{"Ana Pérez", "AAAA800101HDFRRN09", "", "123"}};
  item.contents.push_back(content("a.pdf", "x", "attachment", nullptr, "email_dispatch"));
  const auto s = from_snapshot(to_snapshot(item, {{"", 0, "", ""}}));
  EXPECT_EQ(s.item.natural_key, item.natural_key);
  EXPECT_EQ(s.item.metadata.at("cargo"), "Presidenta");
  EXPECT_EQ(s.item.metadata.at("raw"), "caf\xEF\xBF\xBD") << "a stray byte becomes U+FFFD, nothing throws";
  EXPECT_EQ(s.item.people.at(0).curp, "AAAA800101HDFRRN09");
  EXPECT_EQ(s.item.contents.at(0).only_for_kind, "email_dispatch");
  EXPECT_TRUE(s.blobs.at(0).digest.empty());
  EXPECT_THROW(from_snapshot("{}"), std::invalid_argument);
  EXPECT_THROW(from_snapshot("not json"), std::invalid_argument);
  EXPECT_THROW(from_snapshot(R"({"v":1,"key":3})"), std::invalid_argument);
}

}  // namespace
}  // namespace sseccoe::core
