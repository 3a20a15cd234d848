// Normalisation of one harvested item into an evidence record: which rule
// classifies it, whether it may be sent (hold_reason against the PAT-2021
// catalog) and what the record carries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/catalog.hpp"
#include "pipeline/normalize.hpp"

namespace sseccoe::core {
namespace {

using ::testing::HasSubstr;

const model::Catalog& pat2021() {
  static const model::Catalog c = model::load_catalog_file(SSECCOE_SOURCE_DIR "/config/catalog/PAT-2021.json");
  return c;
}

TEST(HoldReason, NoCatalog) {
  EXPECT_THAT(hold_reason(nullptr, "1.1.1", "course_certificate", "2021-05-14"), HasSubstr("no catalog"));
}

TEST(HoldReason, UnknownActivity) {
  EXPECT_EQ(hold_reason(&pat2021(), "9.9.9", "course_certificate", "2021-05-14"),
            "activity 9.9.9 is not in PAT-2021");
}

TEST(HoldReason, KindTheActivityDoesNotTake) {
  EXPECT_EQ(hold_reason(&pat2021(), "1.1.1", "email_dispatch", "2021-05-14"),
            "activity 1.1.1 does not take evidence of kind email_dispatch");
}

TEST(HoldReason, NoDate) {
  EXPECT_EQ(hold_reason(&pat2021(), "1.1.1", "course_certificate", ""), "the item carries no date");
}

TEST(HoldReason, OutsideTheWindow) {
  EXPECT_EQ(hold_reason(&pat2021(), "1.1.1", "course_certificate", "2021-12-04"),
            "dated 2021-12-04, outside activity 1.1.1's window 2021-02-01..2021-12-03");
  EXPECT_THAT(hold_reason(&pat2021(), "1.1.1", "course_certificate", "2021-01-31"), HasSubstr("outside"));
  EXPECT_THAT(hold_reason(&pat2021(), "5.2.1", "email_dispatch", "2021-04-11"), HasSubstr("2021-04-12..2021-10-29"));
  EXPECT_THAT(hold_reason(&pat2021(), "1.1.1", "course_certificate", "2020-05-14"), HasSubstr("outside"));
}

TEST(HoldReason, ADateThatIsNotACalendarDate) {
  // Each would compare as inside (or outside) the window as a string; none
  // is a date the registry accepts.
  for (const char* d : {"2021-05-99", "2021-02-30", "2021-5-14", "14/05/2021", "2021-05-14T10:00:00Z", "ayer",
                        "2021-05-1x", "２０２１-05-14"})
    EXPECT_THAT(hold_reason(&pat2021(), "1.1.1", "course_certificate", d), HasSubstr("is not a calendar date"))
        << d;
  EXPECT_EQ(hold_reason(&pat2021(), "3.1.1", "complaint", "2021-02-28"), "");
}

TEST(HoldReason, InsideTheWindowIncludingItsEnds) {
  EXPECT_EQ(hold_reason(&pat2021(), "1.1.1", "course_certificate", "2021-05-14"), "");
  EXPECT_EQ(hold_reason(&pat2021(), "1.1.1", "course_certificate", "2021-02-01"), "");
  EXPECT_EQ(hold_reason(&pat2021(), "1.1.1", "course_certificate", "2021-12-03"), "");
  EXPECT_EQ(hold_reason(&pat2021(), "5.2.1", "email_dispatch", "2021-04-12"), "");
}

class Normalize : public ::testing::Test {
 protected:
  Normalize() {
    RuleSection r;
    r.index = 1;
    r.glob = "**/*.pdf";
    r.kind = "course_certificate";
    r.activity = "1.1.1";
    r.title = "Constancia: {stem}";
    r.attributes = {{"curso", "{meta.subject}"}};
    r.where = {"agent.toml", 31, 0};
    rule_sections.push_back(r);
    rules.emplace(rule_sections);
    ctx.institution = "INM";
    ctx.program = "PAT-2021";
    ctx.source = "constancias";
    ctx.plugin = "folder";
    ctx.catalog = &pat2021();
    ctx.rules = &*rules;

    item.natural_key = "2021/ana-lopez.pdf";
    item.version = "size=3,mtime=1620986400";
    item.metadata = {{"name", "ana-lopez.pdf"}, {"stem", "ana-lopez"}, {"path", "2021/ana-lopez.pdf"}};
    item.occurred_on = "2021-05-14";
    item.occurred_on_from = "mtime";
    item.locator = "/srv/comite/constancias/2021/ana-lopez.pdf";
    item.contents.push_back({"ana-lopez.pdf", "", 3, nullptr, "", ""});
    blobs.push_back({std::string(64, 'b'), 3, "application/pdf", ""});
  }

  store::Harvested run(std::optional<store::StoredRecord> existing = std::nullopt) {
    return normalize(NormalizeInput{ctx, item, record_id, blobs, std::move(existing)});
  }

  std::vector<RuleSection> rule_sections;
  std::optional<RuleSet> rules;
  EmitterContext ctx;
  sdk::Item item;
  std::string record_id = model::make_record_id("INM", "constancias", "2021/ana-lopez.pdf");
  std::vector<store::BlobInfo> blobs;
};

TEST_F(Normalize, ARuleAndADateInsideTheWindowMakeItPending) {
  auto h = run();
  EXPECT_EQ(h.status, "pending");
  EXPECT_EQ(h.status_reason, "");
  EXPECT_EQ(h.classified_by, "rule[1] agent.toml:31");
  EXPECT_EQ(h.source, "constancias");
  EXPECT_EQ(h.natural_key, item.natural_key);
  EXPECT_EQ(h.version, item.version);
  EXPECT_EQ(h.locator, item.locator);
  const auto& r = h.record;
  EXPECT_EQ(r.id, record_id);
  EXPECT_EQ(r.program, "PAT-2021");
  EXPECT_EQ(r.institution, "INM");
  EXPECT_EQ(r.activity, "1.1.1");
  EXPECT_EQ(r.kind, "course_certificate");
  EXPECT_EQ(r.occurred_on, "2021-05-14");
  EXPECT_EQ(r.title, "Constancia: ana-lopez");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].sha256, std::string(64, 'b'));
  EXPECT_EQ(r.files[0].name, "ana-lopez.pdf");
  EXPECT_EQ(r.files[0].media_type, "application/pdf");
  EXPECT_EQ(r.files[0].size, 3u);
  EXPECT_EQ(r.source.plugin, "folder");
  EXPECT_EQ(r.source.instance, "constancias");
  EXPECT_EQ(r.source.locator, item.locator);
  EXPECT_FALSE(r.source.harvested_at.empty());
  // The rule's attribute names a field the item lacks: it renders empty.
  EXPECT_EQ(r.attributes["curso"], "");
  auto explain = nlohmann::json::parse(h.explain);
  EXPECT_EQ(explain["status"], "pending");
  ASSERT_EQ(explain["rules"].size(), 1u);
  EXPECT_EQ(explain["rules"][0]["matched"], true);
  EXPECT_FALSE(explain.contains("reason"));
  // What the store will register is a valid record.
  EXPECT_NO_THROW(model::record_from_json(model::to_json(r)));
}

TEST_F(Normalize, NoMatchingRuleIsUnclassified) {
  item.natural_key = "2021/notas.txt";
  auto h = run();
  EXPECT_EQ(h.status, "unclassified");
  EXPECT_EQ(h.status_reason, "no rule matched");
  EXPECT_EQ(h.classified_by, "");
  EXPECT_EQ(h.record.activity, "");
  EXPECT_EQ(h.record.kind, "");
  auto explain = nlohmann::json::parse(h.explain);
  EXPECT_EQ(explain["status"], "unclassified");
  EXPECT_EQ(explain["rules"][0]["matched"], false);
  EXPECT_EQ(explain["reason"], "no rule matched");
}

TEST_F(Normalize, NoRulesAtAllIsUnclassified) {
  ctx.rules = nullptr;
  auto h = run();
  EXPECT_EQ(h.status, "unclassified");
  EXPECT_TRUE(nlohmann::json::parse(h.explain)["rules"].empty());
}

TEST_F(Normalize, ADateOutsideTheWindowIsHeld) {
  item.occurred_on = "2022-01-10";
  auto h = run();
  EXPECT_EQ(h.status, "held");
  EXPECT_EQ(h.status_reason, "dated 2022-01-10, outside activity 1.1.1's window 2021-02-01..2021-12-03");
  EXPECT_EQ(h.record.activity, "1.1.1");
  EXPECT_EQ(nlohmann::json::parse(h.explain)["reason"], h.status_reason);
}

TEST_F(Normalize, NoDateIsHeld) {
  item.occurred_on.clear();
  item.occurred_on_from.clear();
  auto h = run();
  EXPECT_EQ(h.status, "held");
  EXPECT_EQ(h.status_reason, "the item carries no date");
  EXPECT_FALSE(h.record.attributes.contains("occurred_on_from"));
}

TEST_F(Normalize, NoCatalogIsHeld) {
  ctx.catalog = nullptr;
  auto h = run();
  EXPECT_EQ(h.status, "held");
  EXPECT_THAT(h.status_reason, HasSubstr("no catalog"));
}

TEST_F(Normalize, WhereTheDateCameFromIsKept) {
  item.occurred_on_from = "header:Date";
  EXPECT_EQ(run().record.attributes["occurred_on_from"], "header:Date");
}

TEST_F(Normalize, TitleFromTheFileNameWhenNoTemplate) {
  rule_sections[0].title.clear();
  rules.emplace(rule_sections);
  EXPECT_EQ(run().record.title, "ana-lopez.pdf");
  // Unclassified items get a title too: the file name, else the key.
  item.natural_key = "2021/otra.txt";
  item.metadata = {{"name", "otra.txt"}};
  EXPECT_EQ(run().record.title, "otra.txt");
  item.metadata.clear();
  EXPECT_EQ(run().record.title, "2021/otra.txt");
}

store::StoredRecord manual_record(const std::string& id) {
  store::StoredRecord s;
  s.id = id;
  s.kind = "course_certificate";
  s.activity = "1.1.2";
  s.status = "synced";
  s.classified_by = "manual:alice";
  s.body = nlohmann::json{{"id", id},
                          {"title", "Constancia de Ana (revisada a mano)"},
                          {"attributes", {{"curso", "Ética pública"}}}}
               .dump();
  return s;
}

TEST_F(Normalize, AManualClassificationIsKeptWhenNoRuleMatches) {
  item.natural_key = "2021/ana-lopez.docx";
  auto h = run(manual_record(record_id));
  EXPECT_EQ(h.record.activity, "1.1.2");
  EXPECT_EQ(h.record.kind, "course_certificate");
  EXPECT_EQ(h.record.title, "Constancia de Ana (revisada a mano)");
  EXPECT_EQ(h.record.attributes["curso"], "Ética pública");
  EXPECT_EQ(h.record.attributes["occurred_on_from"], "mtime");
  EXPECT_EQ(h.classified_by, "manual:alice");
  EXPECT_EQ(h.status, "pending");
  EXPECT_EQ(nlohmann::json::parse(h.explain)["kept"], "manual classification by alice");
}

TEST_F(Normalize, AManualClassificationOutsideTheWindowIsHeld) {
  item.natural_key = "2021/ana-lopez.docx";
  item.occurred_on = "2021-12-20";
  auto h = run(manual_record(record_id));
  EXPECT_EQ(h.classified_by, "manual:alice");
  EXPECT_EQ(h.status, "held");
  EXPECT_THAT(h.status_reason, HasSubstr("outside activity 1.1.2's window"));
}

TEST_F(Normalize, AManualClassificationWithAnUnreadableBodyKeepsActivityAndKind) {
  item.natural_key = "2021/ana-lopez.docx";
  auto existing = manual_record(record_id);
  existing.body = "{not json";
  auto h = run(existing);
  EXPECT_EQ(h.record.activity, "1.1.2");
  EXPECT_EQ(h.record.title, "ana-lopez.pdf");
  EXPECT_EQ(h.status, "pending");
}

TEST_F(Normalize, ARuleClassificationIsNotKeptOnceNoRuleMatches) {
  item.natural_key = "2021/ana-lopez.docx";
  auto existing = manual_record(record_id);
  existing.classified_by = "rule[3] agent.toml:40";
  auto h = run(existing);
  EXPECT_EQ(h.status, "unclassified");
  EXPECT_EQ(h.record.activity, "");
  EXPECT_EQ(h.classified_by, "");
}

TEST_F(Normalize, SeveralContentsBecomeSeveralFiles) {
  item.contents.push_back({"anexo.png", "", 5, nullptr, "", ""});
  blobs.push_back({std::string(64, 'c'), 5, "image/png", ""});
  auto h = run();
  ASSERT_EQ(h.record.files.size(), 2u);
  EXPECT_EQ(h.record.files[1].name, "anexo.png");
  EXPECT_EQ(h.record.files[1].media_type, "image/png");
  EXPECT_EQ(h.blobs.size(), 2u);
}

}  // namespace
}  // namespace sseccoe::core
