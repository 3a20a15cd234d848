// The JSON form of a progress report: what `report --format json` prints and
// GET /programs/{program}/progress returns. Absent numbers are null, never 0,
// so that "no denominator" cannot be read as "0%".
#include "report/format_es.hpp"
#include "report/progress.hpp"

namespace sseccoe::report {

namespace {

nlohmann::json optional_number(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

}  // namespace

nlohmann::json to_json(const Progress& p) {
  nlohmann::json indicators = nlohmann::json::array();
  for (const auto& i : p.indicators) {
    nlohmann::json goal = {{"value", i.goal.value}, {"unit", i.goal.unit}, {"text", i.goal_text}};
    if (i.goal.breakdown)
      goal["breakdown"] = {{"per", i.goal.breakdown->per},
                           {"groups", i.goal.breakdown->groups},
                           {"group", i.goal.breakdown->group}};
    nlohmann::json activities = nlohmann::json::array();
    for (const auto& a : i.activities)
      activities.push_back({{"key", a.key},
                            {"records", a.records},
                            {"outside_window", a.outside_window},
                            {"other_kind", a.other_kind}});
    nlohmann::json o = {{"key", i.key},
                        {"text", i.text},
                        {"goal", goal},
                        {"measure", i.measure},
                        {"numerator", i.numerator},
                        {"denominator", optional_number(i.denominator)},
                        {"denominator_source", i.denominator_source},
                        {"value", optional_number(i.value)},
                        {"status", i.status},
                        {"status_text", es::status(i.status)},
                        {"activities", activities},
                        {"summary", i.summary}};
    if (i.groups_met) o["groups_met"] = *i.groups_met;
    indicators.push_back(std::move(o));
  }
  nlohmann::json headcount;
  if (p.headcount) headcount = {{"count", *p.headcount}, {"as_of", p.headcount_date}};
  return {{"program", p.program},
          {"year", p.year},
          {"institution", p.institution},
          {"institution_name", p.institution_name},
          {"headcount", headcount},
          {"facts", p.facts},
          {"unknown_activity", p.unknown_activity},
          {"indicators", indicators}};
}

}  // namespace sseccoe::report
