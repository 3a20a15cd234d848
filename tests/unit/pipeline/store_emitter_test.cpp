// The core's emitter end to end against a real store: which streams are read
// and cited (content roles, streams meant for one kind), rows without
// streams (digested from what they say), census items (headcount records
// without a rule) and the people register.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "../store/support.hpp"
#include "model/catalog.hpp"
#include "pipeline/normalize.hpp"
#include "pipeline/store_emitter.hpp"
#include "sseccoe/sdk/identity.hpp"

namespace sseccoe::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using store::testing::TempDir;

const model::Catalog& pat2021() {
  static const model::Catalog c = model::load_catalog_file(SSECCOE_SOURCE_DIR "/config/catalog/PAT-2021.json");
  return c;
}

sdk::Content text_content(std::string name, std::string body, std::string role, int* opened,
                          std::string only_for_kind = {}) {
  sdk::Content c;
  c.name = std::move(name);
  c.media_type = "text/plain";
  c.role = std::move(role);
  c.only_for_kind = std::move(only_for_kind);
  c.open = [body, opened]() -> std::unique_ptr<std::istream> {
    if (opened) ++*opened;
    return std::make_unique<std::istringstream>(body);
  };
  return c;
}

RuleSection rule(int index, std::string source, std::string kind, std::string activity,
                 std::map<std::string, std::string> regex = {}) {
  RuleSection r;
  r.index = index;
  r.source = std::move(source);
  r.kind = std::move(kind);
  r.activity = std::move(activity);
  r.regex = std::move(regex);
  r.where = {"agent.toml", 10 * index, 1};
  return r;
}

class StoreEmitterTest : public ::testing::Test {
 protected:
  void SetUp() override { store.emplace(dir.state()); }

  StoreEmitter emitter(const std::string& source, const std::string& role = "evidence") {
    rules.emplace(rule_sections);
    EmitterContext ctx{"INM", "PAT-2021", source, "test", &pat2021(), &*rules, &*store, role};
    return StoreEmitter(ctx);
  }

  model::Record body(const std::string& id) {
    auto r = store->record(id);
    EXPECT_TRUE(r.has_value());
    return model::record_from_json(nlohmann::json::parse(r->body));
  }

  TempDir dir;
  std::optional<store::Store> store;
  std::vector<RuleSection> rule_sections;
  std::optional<RuleSet> rules;
};

sdk::Item mail_item(int* acuse_opened) {
  sdk::Item item;
  item.natural_key = "msgid:abc@inm.gob.mx";
  item.version = "100";
  item.metadata = {{"folder", "Sent"}, {"subject", "Buena práctica"}, {"attachment", "cartel.png"}};
  item.occurred_on = "2021-06-01";
  item.contents.push_back(text_content("mensaje.eml", "raw message", "message", nullptr));
  item.contents.push_back(text_content("cartel.png", "png bytes", "attachment", nullptr));
  item.contents.push_back(text_content("acuse.pdf", "acuse bytes", "acuse", acuse_opened, "email_dispatch"));
  return item;
}

TEST_F(StoreEmitterTest, ADispatchCitesItsMessageAndAcuseBesideItsAttachments) {
  rule_sections.push_back(rule(1, "buzon", "email_dispatch", "5.2.1", {{"folder", "^Sent$"}}));
  auto e = emitter("buzon");
  int acuse_opened = 0;
  auto result = e.emit(mail_item(&acuse_opened), std::nullopt);
  ASSERT_EQ(result.outcome, sdk::EmitOutcome::New);
  EXPECT_EQ(acuse_opened, 1);
  auto r = body(result.record_id);
  std::vector<std::string> names;
  for (const auto& f : r.files) names.push_back(f.name);
  EXPECT_THAT(names, ElementsAre("mensaje.eml", "cartel.png", "acuse.pdf"));
}

TEST_F(StoreEmitterTest, AStreamForAnotherKindIsNeverOpenedAndTheMessageIsNotCited) {
  rule_sections.push_back(rule(1, "buzon", "course_certificate", "1.1.1"));
  auto e = emitter("buzon");
  int acuse_opened = 0;
  auto result = e.emit(mail_item(&acuse_opened), std::nullopt);
  ASSERT_EQ(result.outcome, sdk::EmitOutcome::New);
  EXPECT_EQ(acuse_opened, 0);
  auto r = body(result.record_id);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].name, "cartel.png");  // the body stays in the local store only
  // The raw message is still kept locally (its blob is referenced).
  EXPECT_EQ(store::testing::count(dir.state(), "SELECT count(*) FROM files"), 2);
}

TEST_F(StoreEmitterTest, ARuleCanAskForTheMessageItself) {
  auto r1 = rule(1, "buzon", "consultation", "1.2.1");
  r1.files = {"message"};
  rule_sections.push_back(r1);
  auto e = emitter("buzon");
  auto result = e.emit(mail_item(nullptr), std::nullopt);
  auto r = body(result.record_id);
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].name, "mensaje.eml");
}

TEST_F(StoreEmitterTest, ARenderedAcuseThatDiffersEachTimeIsNotARevision) {
  rule_sections.push_back(rule(1, "buzon", "email_dispatch", "5.2.1"));
  auto e = emitter("buzon");
  auto first = mail_item(nullptr);
  ASSERT_EQ(e.emit(first, std::nullopt).outcome, sdk::EmitOutcome::New);
  auto again = mail_item(nullptr);
  again.version = "101";  // a flag change: the cheap token differs
  again.contents[2] = text_content("acuse.pdf", "rendered at another instant", "acuse", nullptr, "email_dispatch");
  EXPECT_EQ(e.emit(again, std::nullopt).outcome, sdk::EmitOutcome::Unchanged);
}

sdk::Item row(std::string key, std::string unit, std::string curp = "GOMA800101HDFRRN07") {
  sdk::Item item;
  item.natural_key = "row:" + key;
  item.version = "v-" + unit;
  item.metadata = {{"unit", unit}, {"table", "plantilla.csv"}};
  item.occurred_on = "2021-06-15";
  item.people.push_back({"Ana María López Pérez", curp, "", key});
  return item;
}

TEST_F(StoreEmitterTest, ARowWithoutStreamsIsARecordWithItsPeopleAndAChangedRowARevision) {
  auto r1 = rule(1, "rh", "conduct_pledge", "4.1.2");
  r1.attributes = {{"unidad", "{unit}"}};
  rule_sections.push_back(r1);
  auto e = emitter("rh");
  auto first = e.emit(row("1001", "Dirección A"), std::nullopt);
  ASSERT_EQ(first.outcome, sdk::EmitOutcome::New);
  auto r = body(first.record_id);
  EXPECT_TRUE(r.files.empty());
  ASSERT_EQ(r.people.size(), 1u);
  EXPECT_EQ(r.people[0].curp, "GOMA800101HDFRRN07");
  EXPECT_EQ(r.people[0].employee_id, "1001");

  // Same version: unchanged without looking further.
  EXPECT_EQ(e.emit(row("1001", "Dirección A"), std::nullopt).outcome, sdk::EmitOutcome::Unchanged);
  // Another version saying the same: still unchanged (the digest decides).
  auto same = row("1001", "Dirección A");
  same.version = "other-token";
  EXPECT_EQ(e.emit(same, std::nullopt).outcome, sdk::EmitOutcome::Unchanged);
  // A changed cell: a revision of the same record.
  auto changed = e.emit(row("1001", "Dirección B"), std::nullopt);
  EXPECT_EQ(changed.outcome, sdk::EmitOutcome::Changed);
  EXPECT_EQ(changed.record_id, first.record_id);
  EXPECT_EQ(store->record(first.record_id)->revision, 2);
  EXPECT_EQ(body(first.record_id).attributes["unidad"], "Dirección B");
}

TEST_F(StoreEmitterTest, ARowChangedOnlyInAFieldTheRecordDoesNotCarryIsNoRevision) {
  rule_sections.push_back(rule(1, "rh", "conduct_pledge", "4.1.2"));
  auto e = emitter("rh");
  auto first = e.emit(row("1001", "Dirección A"), std::nullopt);
  EXPECT_EQ(e.emit(row("1001", "Dirección B"), std::nullopt).outcome, sdk::EmitOutcome::Unchanged);
  EXPECT_EQ(store->record(first.record_id)->revision, 1);
}

TEST_F(StoreEmitterTest, PeopleAreRegisteredOncePerIdentity) {
  rule_sections.push_back(rule(1, "rh", "conduct_pledge", "4.1.2"));
  auto e = emitter("rh");
  e.emit(row("1001", "A"), std::nullopt);
  e.emit(row("1002", "A", "GOMA800101HDFRRN07"), std::nullopt);  // the same CURP under another row
  auto other = row("1003", "A", "");
  other.people[0].name = "Juan  PÉREZ, Luis";
  e.emit(other, std::nullopt);
  EXPECT_EQ(store->people_count(), 2);
  auto ana = store->person_by_curp("GOMA800101HDFRRN07");
  ASSERT_TRUE(ana);
  EXPECT_EQ(ana->record_ids.size(), 2u);
  EXPECT_FALSE(ana->name_key.empty());
  EXPECT_EQ(store->people_by_name_key(sdk::identity::name_key("Luis Juan Pérez")).size(), 1u);
}

TEST_F(StoreEmitterTest, ACensusBecomesAHeadcountRecordWithoutARuleAndWithoutPeople) {
  // Even a rule that would match everything is not asked.
  rule_sections.push_back(rule(1, "", "course_certificate", "1.1.1"));
  auto e = emitter("censo", "census");
  sdk::Item census;
  census.natural_key = "census:plantilla.csv";
  census.version = "1234@2021-06-30";
  census.metadata = {{"count", "1234"}, {"table", "plantilla.csv"}, {"as_of", "2021-06-30"}};
  census.occurred_on = "2021-06-30";
  census.occurred_on_from = "export";
  auto result = e.emit(census, std::nullopt);
  ASSERT_EQ(result.outcome, sdk::EmitOutcome::New);
  auto stored = store->record(result.record_id);
  EXPECT_EQ(stored->status, "pending");
  EXPECT_EQ(stored->classified_by, "census");
  auto r = body(result.record_id);
  EXPECT_EQ(r.kind, "headcount");
  EXPECT_EQ(r.activity, "1.1.2");
  EXPECT_TRUE(r.people.empty());
  EXPECT_EQ(r.attributes["count"], 1234);
  EXPECT_EQ(r.attributes["as_of"], "2021-06-30");
  EXPECT_THAT(r.title, HasSubstr("1234"));
}

TEST_F(StoreEmitterTest, ACensusCountThatIsNotANumberIsSentWithoutACount) {
  auto e = emitter("censo", "census");
  sdk::Item census;
  census.natural_key = "census:x";
  census.metadata = {{"count", "12a"}};
  census.occurred_on = "2021-06-30";
  auto r = body(e.emit(census, std::nullopt).record_id);
  EXPECT_FALSE(r.attributes.contains("count"));
}

sdk::Item consultation_mail(std::string id, std::string folder, std::string date, std::string in_reply_to) {
  sdk::Item item;
  item.natural_key = "msgid:" + id;
  item.version = "1";
  item.metadata = {{"folder", folder}, {"date", date}, {"thread", "pregunta@inm.gob.mx"},
                   {"in_reply_to", in_reply_to}, {"attachment", id + ".pdf"}};
  item.occurred_on = date.substr(0, 10);
  item.contents.push_back(text_content(id + ".pdf", "pdf of " + id, "attachment", nullptr));
  return item;
}

class Consultations : public StoreEmitterTest {
 protected:
  void SetUp() override {
    StoreEmitterTest::SetUp();
    auto request = rule(1, "buzon", "consultation", "1.2.1", {{"folder", "^INBOX$"}});
    request.group_by = "thread";
    request.attributes = {{"requested_at", "{date}"}};
    auto answer = rule(2, "buzon", "consultation", "1.2.1", {{"folder", "^Sent$"}});
    answer.group_by = "thread";
    answer.attributes = {{"answered_at", "{date}"}};
    rule_sections = {request, answer};
  }
};

TEST_F(Consultations, ARequestAndItsAnswerAreOneRecordWithBothTimesInEitherOrder) {
  for (bool answer_first : {false, true}) {
    SCOPED_TRACE(answer_first ? "answer read first" : "request read first");
    TempDir fresh;  // each order starts from an empty store
    store.emplace(fresh.state());
    auto e = emitter("buzon");
    auto request = consultation_mail("pregunta@inm.gob.mx", "INBOX", "2021-03-01T15:00:00Z", "");
    auto answer = consultation_mail("respuesta@inm.gob.mx", "Sent", "2021-03-05T17:30:00Z", "pregunta@inm.gob.mx");
    auto first = e.emit(answer_first ? answer : request, std::nullopt);
    auto second = e.emit(answer_first ? request : answer, std::nullopt);
    EXPECT_EQ(first.record_id, second.record_id);
    EXPECT_EQ(store->records().size(), 1u);
    auto r = body(first.record_id);
    EXPECT_EQ(r.kind, "consultation");
    EXPECT_EQ(r.attributes["requested_at"], "2021-03-01T15:00:00Z");
    EXPECT_EQ(r.attributes["answered_at"], "2021-03-05T17:30:00Z");
    EXPECT_EQ(r.occurred_on, "2021-03-01");
    EXPECT_EQ(r.files.size(), 2u);
    // Reading both again changes nothing.
    EXPECT_EQ(e.emit(request, std::nullopt).outcome, sdk::EmitOutcome::Unchanged);
    EXPECT_EQ(e.emit(answer, std::nullopt).outcome, sdk::EmitOutcome::Unchanged);
    store.reset();
  }
}

TEST_F(Consultations, AnItemWithoutTheGroupFieldKeepsItsOwnRecord) {
  auto e = emitter("buzon");
  auto lone = consultation_mail("sola@inm.gob.mx", "INBOX", "2021-03-01T15:00:00Z", "");
  lone.metadata.erase("thread");
  auto result = e.emit(lone, std::nullopt);
  EXPECT_EQ(result.record_id, model::make_record_id("INM", "buzon", "msgid:sola@inm.gob.mx"));
}

TEST(DefaultFileRoles, DispatchesCiteTheirMessageOthersTheirFiles) {
  EXPECT_THAT(default_file_roles("email_dispatch"), ElementsAre("message", "acuse", "attachment"));
  EXPECT_THAT(default_file_roles("course_certificate"), ElementsAre("file", "attachment"));
}

}  // namespace
}  // namespace sseccoe::core
