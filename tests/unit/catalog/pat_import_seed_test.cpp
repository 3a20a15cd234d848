// The 2021 INM program (the seed) imports to exactly the committed catalog,
// with the facts product.md states.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "catalog/pat_import.hpp"
#include "support.hpp"

namespace sseccoe::catalog {
namespace {

using testing::seed;

ImportResult import_seed() {
  std::istringstream in(seed());
  return import_pat_text(in);
}

bool has_warning(const ImportResult& r, const std::string& part) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

TEST(PatImportSeed, MatchesTheCommittedCatalogByteForByte) {
  const ImportResult r = import_pat_file(testing::seed_path());
  const std::string committed =
      testing::read_file(std::string(SSECCOE_SOURCE_DIR) + "/config/catalog/PAT-2021.json");
  EXPECT_EQ(model::catalog_to_pretty_json(r.catalog), committed)
      << "config/catalog/PAT-2021.json is not what the importer makes of the seed; regenerate it with "
         "`sseccoe-agent catalog import` and review the difference";
}

TEST(PatImportSeed, ProgramInstitutionAndTitle) {
  const auto r = import_seed();
  EXPECT_EQ(r.catalog.program, "PAT-2021");  // from the cover, not the "PAT 2020" typo
  EXPECT_EQ(r.catalog.year, 2021);
  EXPECT_EQ(r.catalog.institution, "INM");
  EXPECT_EQ(r.catalog.institution_name, "INSTITUTO NACIONAL DE MIGRACIÓN");
  EXPECT_EQ(r.catalog.title, "PROGRAMA ANUAL DE TRABAJO PAT 2021");
}

TEST(PatImportSeed, FifteenActivitiesNineIndicators) {
  const auto r = import_seed();
  ASSERT_EQ(r.catalog.activities.size(), 15u);
  ASSERT_EQ(r.catalog.indicators.size(), 9u);
  std::vector<std::string> keys;
  for (const auto& i : r.catalog.indicators) keys.push_back(i.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"1.1", "1.2", "2.1", "3.1", "3.2", "3.3", "4.1", "5.1", "5.2"}));
  EXPECT_EQ(r.catalog.indicator("4.1")->activities, (std::vector<std::string>{"4.1.1", "4.1.2", "4.1.3"}));
}

TEST(PatImportSeed, IndicatorGoalsAndSections) {
  const auto r = import_seed();
  const auto* i11 = r.catalog.indicator("1.1");
  ASSERT_NE(i11, nullptr);
  EXPECT_EQ(i11->goal.value, 35);
  EXPECT_EQ(i11->goal.unit, "percent");
  EXPECT_EQ(i11->section, "I");
  EXPECT_EQ(i11->section_title, "Capacitación, Sensibilización, Asesoría y Consulta");
  EXPECT_EQ(i11->goal_text.rfind("Al finalizar el año 2021, al menos 35%", 0), 0u);

  EXPECT_EQ(r.catalog.indicator("1.2")->goal.value, 80);
  EXPECT_EQ(r.catalog.indicator("3.1")->goal.value, 85);
  EXPECT_EQ(r.catalog.indicator("3.2")->goal.value, 50);
  EXPECT_EQ(r.catalog.indicator("4.1")->section_title, "GESTIÓN");

  const auto* i51 = r.catalog.indicator("5.1");
  EXPECT_EQ(i51->goal.unit, "count");
  EXPECT_EQ(i51->goal.value, 10);
  ASSERT_TRUE(i51->goal.breakdown.has_value());
  EXPECT_EQ(i51->goal.breakdown->per, 2);
  EXPECT_EQ(i51->goal.breakdown->groups, 5);
  EXPECT_EQ(i51->goal.breakdown->group, "procesos institucionales sustantivos");
  EXPECT_EQ(i51->section_title, "MEJORA DE PROCESOS");

  const auto* i52 = r.catalog.indicator("5.2");
  EXPECT_EQ(i52->goal.value, 1);
  EXPECT_EQ(i52->goal.unit, "count");
  EXPECT_FALSE(i52->goal.breakdown.has_value());
}

TEST(PatImportSeed, ActivityFields) {
  const auto r = import_seed();
  const auto* a = r.catalog.activity("2.1.1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->window.start, "2021-01-18");
  EXPECT_EQ(a->window.end, "2021-12-03");
  EXPECT_EQ(a->indicator, "2.1");
  EXPECT_EQ(a->verification, "Imagen digitalizada de cada material difundido.");
  // <i>...</i> removed from the risks.
  EXPECT_EQ(a->risks,
            "Problemas tecnológicos dificultan o impiden las comunicaciones electrónicas o las sesiones virtuales "
            "del CEPCI.");

  EXPECT_NE(r.catalog.activity("3.2.1"), nullptr) << "'3. 2. 1.' must be normalised to 3.2.1";
  EXPECT_EQ(r.catalog.activity("3.2.1")->indicator, "3.2");
  EXPECT_NE(r.catalog.activity("3.3.1"), nullptr);
  EXPECT_EQ(r.catalog.activity("3.1.1")->window.end, "2021-12-31");
}

TEST(PatImportSeed, EvidenceKindsFollowTheProductMap) {
  const auto r = import_seed();
  auto kinds = [&](const char* key) { return r.catalog.activity(key)->evidence_kinds; };
  using V = std::vector<std::string>;
  EXPECT_EQ(kinds("1.1.1"), V{"course_certificate"});
  // Training for the whole staff also takes the census headcount, its denominator.
  EXPECT_EQ(kinds("1.1.2"), (V{"course_certificate", "headcount"}));
  EXPECT_EQ(kinds("1.2.1"), V{"consultation"});
  EXPECT_EQ(kinds("2.1.3"), V{"diffusion_material"});
  EXPECT_EQ(kinds("3.1.1"), V{"complaint"});
  EXPECT_EQ(kinds("3.1.2"), V{"complaint"});
  EXPECT_EQ(kinds("3.2.1"), V{"complaint_followup"});
  EXPECT_EQ(kinds("3.3.1"), V{"citizen_petition"});
  EXPECT_EQ(kinds("4.1.1"), V{"committee_roster"});
  EXPECT_EQ(kinds("4.1.2"), V{"conduct_pledge"});
  EXPECT_EQ(kinds("4.1.3"), V{"ueppci_response"});
  EXPECT_EQ(kinds("5.1.1"), V{"risk_measure"});
  EXPECT_EQ(kinds("5.2.1"), V{"email_dispatch"});
  EXPECT_TRUE(r.catalog.allows("4.1.2", "conduct_pledge"));
  EXPECT_FALSE(r.catalog.allows("4.1.2", "course_certificate"));
  EXPECT_FALSE(r.catalog.allows("9.9.9", "conduct_pledge"));
}

TEST(PatImportSeed, TruncatedVerificationIsKeptAndWarned) {
  const auto r = import_seed();
  const auto* a = r.catalog.activity("5.2.1");
  EXPECT_EQ(a->verification, "Imagen digitalizada de envío de correo electrónico dirigido a la");
  EXPECT_TRUE(has_warning(r, "activity 5.2.1 (line 168): its verification mechanism looks truncated"));
}

TEST(PatImportSeed, TheYearContradictionIsWarned) {
  const auto r = import_seed();
  EXPECT_TRUE(has_warning(r, "line 21: the document says 'PAT 2020'"));
  EXPECT_TRUE(has_warning(r, "using 2021"));
  // Exactly these two: the seed is otherwise clean.
  EXPECT_EQ(r.warnings.size(), 2u) << ::testing::PrintToString(r.warnings);
}

TEST(PatImportSeed, ProgramAndInstitutionCanBeGiven) {
  std::istringstream in(seed());
  const auto r = import_pat_text(in, {"PAT-2021-rev2", "INAMI"});
  EXPECT_EQ(r.catalog.program, "PAT-2021-rev2");
  EXPECT_EQ(r.catalog.institution, "INAMI");
  EXPECT_EQ(r.catalog.year, 2021);
}

TEST(PatImportSeed, JsonRoundTripKeepsEverything) {
  const auto r = import_seed();
  const model::Catalog back = model::catalog_from_json(model::to_json(r.catalog));
  EXPECT_EQ(model::catalog_to_pretty_json(back), model::catalog_to_pretty_json(r.catalog));
}

}  // namespace
}  // namespace sseccoe::catalog
