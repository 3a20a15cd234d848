// model::catalog_from_json validates, and names the field it rejects.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "model/catalog.hpp"

namespace sseccoe::model {
namespace {

using nlohmann::json;

const std::string kCatalogFile = std::string(SSECCOE_SOURCE_DIR) + "/config/catalog/PAT-2021.json";

json committed() {
  std::ifstream in(kCatalogFile);
  return json::parse(in);
}

std::string error_of(const json& j) {
  try {
    catalog_from_json(j);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(CatalogJson, TheCommittedCatalogLoads) {
  const Catalog c = load_catalog_file(kCatalogFile);
  EXPECT_EQ(c.program, "PAT-2021");
  EXPECT_EQ(c.activities.size(), 15u);
  EXPECT_EQ(c.indicators.size(), 9u);
  EXPECT_TRUE(c.activity("1.1.1")->window.contains("2021-02-01"));
  EXPECT_FALSE(c.activity("1.1.1")->window.contains("2021-01-31"));
  // Pretty output keeps the documented key order.
  const std::string pretty = catalog_to_pretty_json(c);
  EXPECT_EQ(pretty.rfind("{\n  \"program\": \"PAT-2021\",\n  \"year\": 2021,\n", 0), 0u) << pretty.substr(0, 80);
  EXPECT_EQ(pretty.back(), '\n');
}

TEST(CatalogJson, ErrorsNameTheField) {
  json j = committed();
  j["activities"][2]["window"]["start"] = "2021-13-01";
  EXPECT_EQ(error_of(j), "catalog: 'activities[2].window.start' must be an ISO date YYYY-MM-DD (got \"2021-13-01\")");

  j = committed();
  j.erase("program");
  EXPECT_EQ(error_of(j), "catalog: 'program' is required");

  j = committed();
  j["year"] = "2021";
  EXPECT_EQ(error_of(j), "catalog: 'year' must be a whole year between 1900 and 2999");

  j = committed();
  j["indicators"][0]["goal"]["unit"] = "pct";
  EXPECT_EQ(error_of(j), "catalog: 'indicators[0].goal.unit' must be \"percent\", \"count\" or \"\" (got \"pct\")");

  j = committed();
  j["indicators"][0]["activities"].push_back("9.9.9");
  EXPECT_EQ(error_of(j), "catalog: 'indicators[0].activities[2]' names activity 9.9.9, which the activities list lacks");

  j = committed();
  j["activities"][0]["indicator"] = "1.2";
  EXPECT_NE(error_of(j).find("'activities[0].indicator' must be the first two numbers of the key 1.1.1"),
            std::string::npos);

  j = committed();
  j["activities"][1]["key"] = "1.1.1";
  EXPECT_EQ(error_of(j), "catalog: 'activities[1].key' repeats activity 1.1.1");

  j = committed();
  j["activities"][0]["evidence_kinds"][0] = "Course Certificate";
  EXPECT_EQ(error_of(j), "catalog: 'activities[0].evidence_kinds[0]' must be a lower_snake_case kind name");

  j = committed();
  j["indicators"][0]["goal"]["value"] = 135;
  EXPECT_EQ(error_of(j), "catalog: 'indicators[0].goal.value' must be at most 100 for a percent goal");

  j = committed();
  j["indicators"][7]["goal"]["breakdown"]["groups"] = 0;
  EXPECT_EQ(error_of(j), "catalog: 'indicators[7].goal.breakdown.groups' must be a whole number >= 1");

  j = committed();
  j["indicators"][1]["activities"] = json::array();
  EXPECT_EQ(error_of(j), "catalog: 'indicators[1].activities' must list at least one activity");

  EXPECT_EQ(error_of(json::array()), "catalog: the document must be a JSON object");
}

TEST(CatalogJson, AnActivityNoIndicatorListsIsRejected) {
  json j = committed();
  j["indicators"][0]["activities"] = json::array({"1.1.1"});
  EXPECT_EQ(error_of(j), "catalog: 'activities[1].indicator' names indicator 1.1, which does not list activity 1.1.2");
}

TEST(CatalogJson, FileErrorsNameTheFile) {
  const std::string path = std::string(SSECCOE_BUILD_DIR) + "/catalog_json_test_broken.json";
  {
    std::ofstream out(path);
    out << "{\"program\": ";
  }
  try {
    load_catalog_file(path);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ": not valid JSON", 0), 0u) << e.what();
  }
  std::remove(path.c_str());
  EXPECT_THROW(load_catalog_file(path), std::runtime_error);
}

}  // namespace
}  // namespace sseccoe::model
