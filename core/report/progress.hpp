// The indicator progress engine: how far each indicator of a program is from
// its goal, given the evidence registered for its activities. The agent's
// `report` command and the registry's GET /programs/{p}/progress both use it,
// so that the committee sees one number wherever it looks. The rules are in
// docs/catalog.md ("Progress").
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/catalog.hpp"
#include "model/record.hpp"

namespace sseccoe::report {

// One piece of registered evidence, reduced to what progress needs. No
// names: people are counted, and told apart by pseudonymous keys.
struct EvidenceFact {
  std::string activity;     // "1.1.1"; may be empty for a "headcount" fact
  std::string kind;         // "course_certificate", ..., or "headcount"
  std::string occurred_on;  // ISO date
  std::size_t people = 0;   // how many people the evidence concerns
  nlohmann::json attributes = nlohmann::json::object();  // "count" of a headcount; "on_time"; "group"
  // person_key() of each identified person, to count distinct people; people
  // beyond these keys count as distinct anonymous people.
  std::vector<std::string> person_keys;
};

// A stable pseudonym for a person: 16 hex digits of SHA-256 over the best
// identifier the record has (CURP, else RFC, else employee id, else the name
// normalised). "" when the person carries no identifier at all.
std::string person_key(const model::Person& p);

// The fact a record contributes (people become person keys).
EvidenceFact fact_from_record(const model::Record& r);

struct ProgressOptions {
  // Denominators known outside the evidence, by indicator key: {"2.1", 24}
  // when the UEPPCI's diffusion program has 24 actions. They take the place
  // of any denominator the evidence gives.
  std::map<std::string, double> denominators;
};

struct ActivityProgress {
  std::string key;
  std::size_t records = 0;         // evidence counted for the activity
  std::size_t outside_window = 0;  // right kind, dated outside the activity's window: not counted
  std::size_t other_kind = 0;      // a kind the catalog does not allow for the activity: not counted
};

struct IndicatorProgress {
  std::string key, text;
  model::Goal goal;
  std::string goal_text;
  // How the numerator is counted: "distinct_people", "records",
  // "activities_with_evidence", "on_time".
  std::string measure;
  double numerator = 0;
  std::optional<double> denominator;
  std::string denominator_source;  // "headcount", "configured", "activities", "on_time", ""
  std::optional<double> value;     // percent for percent goals, the numerator for count goals
  std::optional<int> groups_met;   // for goals with a breakdown: groups with enough records
  std::string status;              // "met", "in_progress", "no_evidence", "missing_denominator"
  std::vector<ActivityProgress> activities;
  std::string summary;  // one or two sentences in Spanish (es-MX) for the committee
};

struct Progress {
  std::string program, institution, institution_name;
  int year = 0;
  std::optional<double> headcount;  // the latest "headcount" fact's attributes.count
  std::string headcount_date;
  std::size_t facts = 0;             // facts seen, headcounts included
  std::size_t unknown_activity = 0;  // facts naming an activity the catalog lacks
  std::vector<IndicatorProgress> indicators;
};

// Accumulates facts one at a time, so that a caller can stream them from a
// database; memory grows only with distinct people and groups.
class ProgressBuilder {
 public:
  // `catalog` is referenced, not copied: it must outlive the builder.
  explicit ProgressBuilder(const model::Catalog& catalog, ProgressOptions options = {});
  void add(const EvidenceFact& fact);
  Progress finish() const;

 private:
  struct IndicatorAcc {
    std::set<std::string> person_keys;
    std::size_t anonymous_people = 0;
    std::size_t on_time_known = 0, on_time_yes = 0;
    std::map<std::string, std::size_t> groups;
  };
  const model::Catalog& catalog_;
  ProgressOptions options_;
  std::map<std::string, ActivityProgress> activities_;
  std::map<std::string, IndicatorAcc> indicators_;
  std::optional<double> headcount_;
  std::string headcount_date_;
  std::size_t facts_ = 0, unknown_activity_ = 0;
};

Progress compute_progress(const model::Catalog& catalog, const std::vector<EvidenceFact>& facts,
                          const ProgressOptions& options = {});

nlohmann::json to_json(const Progress& p);

// A plain-text table for a terminal (Indicador, Descripción, Meta, Avance,
// Estado) followed by each indicator's summary, in Spanish; columns are
// aligned by code points, so accents do not shift them.
std::string render_progress_text(const Progress& p);

}  // namespace sseccoe::report
