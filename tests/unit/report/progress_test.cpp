// The progress engine on the 2021 INM catalog, with concrete numbers.
#include <gtest/gtest.h>

#include <algorithm>

#include "report/progress.hpp"

namespace sseccoe::report {
namespace {

const model::Catalog& catalog() {
  static const model::Catalog c =
      model::load_catalog_file(std::string(SSECCOE_SOURCE_DIR) + "/config/catalog/PAT-2021.json");
  return c;
}

EvidenceFact fact(std::string activity, std::string kind, std::string date, nlohmann::json attributes = {},
                  std::vector<std::string> keys = {}, std::size_t people = 0) {
  EvidenceFact f;
  f.activity = std::move(activity);
  f.kind = std::move(kind);
  f.occurred_on = std::move(date);
  f.attributes = attributes.is_null() ? nlohmann::json::object() : std::move(attributes);
  f.people = std::max(people, keys.size());
  f.person_keys = std::move(keys);
  return f;
}

EvidenceFact headcount(std::string date, nlohmann::json count) {
  return fact("", "headcount", std::move(date), {{"count", std::move(count)}});
}

const IndicatorProgress& find(const Progress& p, const std::string& key) {
  auto it = std::find_if(p.indicators.begin(), p.indicators.end(), [&](const auto& i) { return i.key == key; });
  if (it == p.indicators.end()) throw std::runtime_error("no indicator " + key);
  return *it;
}

// 1.1: distinct people with a certificate over the latest headcount.
std::vector<EvidenceFact> training(std::size_t people) {
  std::vector<EvidenceFact> facts = {headcount("2021-01-15", 900), headcount("2021-03-31", 1000)};
  for (std::size_t n = 0; n < people; ++n)
    facts.push_back(fact(n % 2 ? "1.1.1" : "1.1.2", "course_certificate", "2021-05-14", {}, {"p" + std::to_string(n)}));
  // The same people again (a second course): not counted twice.
  for (std::size_t n = 0; n < 10; ++n)
    facts.push_back(fact("1.1.2", "course_certificate", "2021-06-01", {}, {"p" + std::to_string(n)}));
  return facts;
}

TEST(Progress, TrainingBelowGoal) {
  const auto p = compute_progress(catalog(), training(349));
  const auto& i = find(p, "1.1");
  EXPECT_EQ(i.measure, "distinct_people");
  EXPECT_EQ(i.numerator, 349);
  ASSERT_TRUE(i.denominator);
  EXPECT_EQ(*i.denominator, 1000);
  EXPECT_EQ(i.denominator_source, "headcount");
  ASSERT_TRUE(i.value);
  EXPECT_DOUBLE_EQ(*i.value, 34.9);
  EXPECT_EQ(i.status, "in_progress");
  EXPECT_EQ(i.summary,
            "349 personas servidoras públicas acreditaron al menos un curso, de 1,000 en la plantilla (censo del "
            "2021-03-31): 34.9%; meta: 35%. Faltan 0.1 puntos porcentuales para la meta.");
  EXPECT_EQ(p.headcount, 1000);
  EXPECT_EQ(p.headcount_date, "2021-03-31");
  // 349 + 10 repeated certificates, split over the two activities.
  EXPECT_EQ(i.activities[0].records + i.activities[1].records, 359u);
}

TEST(Progress, TrainingMeetsGoal) {
  const auto p = compute_progress(catalog(), training(350));
  const auto& i = find(p, "1.1");
  EXPECT_EQ(*i.value, 35);
  EXPECT_EQ(i.status, "met");
  EXPECT_NE(i.summary.find("Meta cumplida."), std::string::npos) << i.summary;
}

TEST(Progress, TrainingWithoutHeadcount) {
  auto facts = training(10);
  facts.erase(facts.begin(), facts.begin() + 2);
  const Progress p = compute_progress(catalog(), facts);
  const auto& i = find(p, "1.1");
  EXPECT_EQ(i.numerator, 10);
  EXPECT_FALSE(i.denominator);
  EXPECT_FALSE(i.value);
  EXPECT_EQ(i.status, "missing_denominator");
  EXPECT_NE(i.summary.find("falta la plantilla"), std::string::npos) << i.summary;
}

TEST(Progress, AnonymousPeopleCountAsDistinct) {
  std::vector<EvidenceFact> facts = {headcount("2021-03-31", "40")};  // HR exports quote numbers
  facts.push_back(fact("1.1.1", "course_certificate", "2021-05-14", {}, {"a"}, 3));  // 1 known + 2 anonymous
  facts.push_back(fact("1.1.1", "course_certificate", "2021-05-15", {}, {"a"}));
  const Progress p = compute_progress(catalog(), facts);
  const auto& i = find(p, "1.1");
  EXPECT_EQ(i.numerator, 3);
  EXPECT_DOUBLE_EQ(*i.value, 7.5);
}

TEST(Progress, OnlyAllowedKindsInsideTheWindowCount) {
  std::vector<EvidenceFact> facts = {
      fact("1.1.1", "course_certificate", "2021-01-31", {}, {"early"}),  // window starts 2021-02-01
      fact("1.1.1", "course_certificate", "2021-12-04", {}, {"late"}),   // ends 2021-12-03
      fact("1.1.1", "course_certificate", "not a date", {}, {"bad"}),
      fact("1.1.1", "diffusion_material", "2021-05-01"),
      fact("9.9.9", "course_certificate", "2021-05-01"),
      fact("1.1.1", "course_certificate", "2021-12-03", {}, {"last-day"}),
  };
  const auto p = compute_progress(catalog(), facts);
  const auto& i = find(p, "1.1");
  EXPECT_EQ(i.numerator, 1);
  EXPECT_EQ(i.activities[0].key, "1.1.1");
  EXPECT_EQ(i.activities[0].records, 1u);
  EXPECT_EQ(i.activities[0].outside_window, 3u);
  EXPECT_EQ(i.activities[0].other_kind, 1u);
  EXPECT_EQ(p.unknown_activity, 1u);
  EXPECT_EQ(p.facts, 6u);
  EXPECT_NE(i.summary.find("4 registros no se cuentan"), std::string::npos) << i.summary;
}

TEST(Progress, ConsultationsAnsweredOnTime) {
  std::vector<EvidenceFact> facts;
  for (bool on_time : {true, true, true, false})
    facts.push_back(fact("1.2.1", "consultation", "2021-04-01", {{"on_time", on_time}}));
  facts.push_back(fact("1.2.1", "consultation", "2021-04-02"));  // no deadline data: a record, not in the ratio
  auto i = find(compute_progress(catalog(), facts), "1.2");
  EXPECT_EQ(i.measure, "on_time");
  EXPECT_EQ(i.numerator, 3);
  EXPECT_EQ(*i.denominator, 4);
  EXPECT_EQ(*i.value, 75);
  EXPECT_EQ(i.status, "in_progress");
  EXPECT_EQ(i.activities[0].records, 5u);

  facts.push_back(fact("1.2.1", "consultation", "2021-04-03", {{"on_time", true}}));
  i = find(compute_progress(catalog(), facts), "1.2");
  EXPECT_EQ(*i.value, 80);
  EXPECT_EQ(i.status, "met");
}

TEST(Progress, PercentWithoutDenominatorSaysSo) {
  std::vector<EvidenceFact> facts;
  for (int n = 0; n < 5; ++n) facts.push_back(fact("2.1.1", "diffusion_material", "2021-03-01"));
  auto i = find(compute_progress(catalog(), facts), "2.1");
  EXPECT_EQ(i.status, "missing_denominator");
  EXPECT_EQ(i.numerator, 5);
  EXPECT_FALSE(i.value);
  EXPECT_EQ(i.summary,
            "5 registros de evidencia; la meta es un porcentaje (80%) y falta su denominador: configúrelo para el "
            "indicador 2.1.");

  ProgressOptions options;
  options.denominators["2.1"] = 6;
  i = find(compute_progress(catalog(), facts, options), "2.1");
  EXPECT_EQ(i.denominator_source, "configured");
  EXPECT_DOUBLE_EQ(*i.value, 83.33);
  EXPECT_EQ(i.status, "met");
}

TEST(Progress, ShareOfActivitiesWithEvidence) {
  std::vector<EvidenceFact> facts = {fact("4.1.1", "committee_roster", "2021-03-01"),
                                     fact("4.1.2", "conduct_pledge", "2021-03-01", {}, {"x"})};
  auto i = find(compute_progress(catalog(), facts), "4.1");
  EXPECT_EQ(i.measure, "activities_with_evidence");
  EXPECT_EQ(i.numerator, 2);
  EXPECT_EQ(*i.denominator, 3);
  EXPECT_DOUBLE_EQ(*i.value, 66.67);
  EXPECT_EQ(i.status, "in_progress");
  facts.push_back(fact("4.1.3", "ueppci_response", "2021-03-01"));
  EXPECT_EQ(find(compute_progress(catalog(), facts), "4.1").status, "met");
}

TEST(Progress, CountGoals) {
  const auto none = compute_progress(catalog(), {});
  EXPECT_EQ(find(none, "5.2").status, "no_evidence");
  EXPECT_EQ(find(none, "5.2").summary, "Sin evidencia registrada para la actividad 5.2.1.");
  EXPECT_EQ(find(none, "4.1").summary, "Sin evidencia registrada para las actividades 4.1.1, 4.1.2 y 4.1.3.");

  const auto one = compute_progress(catalog(), {fact("5.2.1", "email_dispatch", "2021-10-29")});
  const auto& i = find(one, "5.2");
  EXPECT_EQ(i.numerator, 1);
  EXPECT_EQ(*i.value, 1);
  EXPECT_EQ(i.status, "met");
  EXPECT_EQ(i.summary, "1 registro de evidencia; meta: 1. Meta cumplida.");
}

TEST(Progress, GoalPerGroupNeedsEveryGroup) {
  std::vector<EvidenceFact> facts;
  auto add = [&](const char* group, int n) {
    for (int k = 0; k < n; ++k)
      facts.push_back(fact("5.1.1", "risk_measure", "2021-05-01",
                           group ? nlohmann::json{{"group", group}} : nlohmann::json::object()));
  };
  add("Control migratorio", 4);
  add("Regulación", 2);
  add("compras", 1);
  add("Compras ", 1);  // the same group, written differently
  add("Recursos humanos", 1);
  add(nullptr, 1);
  auto i = find(compute_progress(catalog(), facts), "5.1");
  EXPECT_EQ(i.numerator, 10);
  EXPECT_EQ(*i.groups_met, 3);
  EXPECT_EQ(i.status, "in_progress");
  EXPECT_EQ(i.summary,
            "10 registros de evidencia; meta: 10. 3 de 5 procesos institucionales sustantivos con al menos 2 "
            "registros (atributo «group» de cada evidencia). Faltan 2 de los 5 procesos institucionales "
            "sustantivos.");
  add("Recursos humanos", 1);
  add("Trámites", 2);
  i = find(compute_progress(catalog(), facts), "5.1");
  EXPECT_EQ(*i.groups_met, 5);
  EXPECT_EQ(i.status, "met");
}

TEST(Progress, BuilderStreamsTheSameResult) {
  const auto facts = training(120);
  ProgressBuilder b(catalog());
  for (const auto& f : facts) b.add(f);
  EXPECT_EQ(to_json(b.finish()), to_json(compute_progress(catalog(), facts)));
}

TEST(Progress, FactsFromRecordsArePseudonymous) {
  model::Record r;
  r.activity = "1.1.1";
  r.kind = "course_certificate";
  r.occurred_on = "2021-05-14";
  r.people = {{"Ana López", "LOAA800101MDFPNN09", "", ""}, {"Sin Datos", "", "", ""}, {"", "", "", ""}};
  r.attributes = {{"course", "Ética"}};
  const EvidenceFact f = fact_from_record(r);
  EXPECT_EQ(f.people, 3u);
  ASSERT_EQ(f.person_keys.size(), 2u);
  EXPECT_EQ(f.person_keys[0].size(), 16u);
  EXPECT_EQ(f.person_keys[0], person_key({"otro nombre", " loaa800101mdfpnn09 ", "", ""}));  // CURP wins
  EXPECT_EQ(f.person_keys[1], person_key({"  sin   DATOS ", "", "", ""}));
  EXPECT_EQ(person_key({}), "");
  EXPECT_NE(person_key({"", "", "XAXX010101000", ""}), person_key({"", "", "", "XAXX010101000"}));
  EXPECT_EQ(f.attributes["course"], "Ética");
}

}  // namespace
}  // namespace sseccoe::report
