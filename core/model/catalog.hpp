// The program catalog (a PAT): activities, indicators, goals and date windows.
// Produced by `catalog import` from a PAT document, stored as JSON under
// config/catalog/, served by the registry at GET /programs/{program}.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sseccoe::model {

struct DateWindow {
  std::string start, end;  // ISO dates, inclusive
  bool contains(std::string_view iso_date) const { return iso_date >= start && iso_date <= end; }
};

struct Activity {
  std::string key;        // "1.1.1"
  std::string indicator;  // "1.1"
  std::string text;
  DateWindow window;
  std::string verification;  // the verification mechanism, as written
  std::string risks;
  std::vector<std::string> evidence_kinds;  // from product.md's evidence map
};

// A goal of the shape "N or more X for each of M Y" ("dos o más riesgos de
// integridad para cinco procesos"): Goal::value is the total N*M, and the
// breakdown keeps N, M and what Y is, so that progress can check the split
// (docs/catalog.md, "Goals").
struct GoalBreakdown {
  double per = 0;     // N: records wanted in each group
  int groups = 0;     // M: how many groups
  std::string group;  // Y as written: "procesos institucionales sustantivos"
};

struct Goal {
  double value = 0;
  std::string unit;  // "percent" or "count"; "" when the goal text gave no number
  std::optional<GoalBreakdown> breakdown;
};

struct Indicator {
  std::string key;      // "1.1"
  std::string section;  // "I", "II", ...
  std::string section_title;
  std::string text;
  std::string objective;
  std::string goal_text;  // the "Meta" sentence as written
  Goal goal;
  std::vector<std::string> activities;
};

struct Catalog {
  std::string program;  // "PAT-2021"
  int year = 0;
  std::string institution;  // "INM"
  std::string institution_name;
  std::string title;
  std::vector<Indicator> indicators;
  std::vector<Activity> activities;

  const Activity* activity(std::string_view key) const;
  const Indicator* indicator(std::string_view key) const;
  bool allows(std::string_view activity_key, std::string_view kind) const;
};

nlohmann::json to_json(const Catalog& c);
Catalog catalog_from_json(const nlohmann::json& j);  // throws std::runtime_error naming the field
Catalog load_catalog_file(const std::string& path);  // throws std::runtime_error naming the file

// The catalog as the files under config/catalog/ hold it and as `catalog show`
// and `catalog import` print it: keys in the documented order, 2-space indent,
// a trailing newline. Byte-for-byte stable for the same catalog.
std::string catalog_to_pretty_json(const Catalog& c);

}  // namespace sseccoe::model
