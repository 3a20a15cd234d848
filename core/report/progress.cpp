#include "report/progress.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "model/sha256.hpp"
#include "report/format_es.hpp"

namespace sseccoe::report {

namespace {

std::string upper_trim(std::string_view s) {
  std::string out;
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string lower_squeezed(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// attributes.count of a headcount fact: a number, or digits in a string (HR
// exports often quote numbers).
std::optional<double> headcount_of(const nlohmann::json& attributes) {
  if (!attributes.is_object()) return std::nullopt;
  auto it = attributes.find("count");
  if (it == attributes.end()) return std::nullopt;
  double v = -1;
  if (it->is_number()) {
    v = it->get<double>();
  } else if (it->is_string()) {
    const std::string s = it->get<std::string>();
    if (s.empty() || s.size() > 12 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    v = std::stod(s);
  }
  if (!std::isfinite(v) || v < 0) return std::nullopt;
  return v;
}

bool is_people_kind(const std::string& kind) { return kind == "course_certificate"; }

double round2(double v) { return std::round(v * 100.0) / 100.0; }

bool folded_contains(std::string_view haystack, std::string_view ascii_needle) {
  // The goal text is Spanish; "de las actividades" has no accents, so a
  // case-insensitive ASCII search is enough here.
  return lower_squeezed(haystack).find(ascii_needle) != std::string::npos;
}

}  // namespace

std::string person_key(const model::Person& p) {
  std::string id;
  if (!upper_trim(p.curp).empty())
    id = "curp:" + upper_trim(p.curp);
  else if (!upper_trim(p.rfc).empty())
    id = "rfc:" + upper_trim(p.rfc);
  else if (!upper_trim(p.employee_id).empty())
    id = "employee:" + upper_trim(p.employee_id);
  else if (!lower_squeezed(p.name).empty())
    id = "name:" + lower_squeezed(p.name);
  if (id.empty()) return {};
  return model::sha256_hex(id).substr(0, 16);
}

EvidenceFact fact_from_record(const model::Record& r) {
  EvidenceFact f;
  f.activity = r.activity;
  f.kind = r.kind;
  f.occurred_on = r.occurred_on;
  f.people = r.people.size();
  f.attributes = r.attributes.is_null() ? nlohmann::json::object() : r.attributes;
  for (const auto& person : r.people)
    if (auto key = person_key(person); !key.empty()) f.person_keys.push_back(std::move(key));
  return f;
}

ProgressBuilder::ProgressBuilder(const model::Catalog& catalog, ProgressOptions options)
    : catalog_(catalog), options_(std::move(options)) {
  for (const auto& a : catalog_.activities) activities_[a.key].key = a.key;
}

void ProgressBuilder::add(const EvidenceFact& fact) {
  ++facts_;
  if (fact.kind == "headcount") {
    // The latest census wins; on the same date, the one added last.
    if (auto count = headcount_of(fact.attributes); count && fact.occurred_on >= headcount_date_) {
      headcount_ = count;
      headcount_date_ = fact.occurred_on;
    }
    return;
  }
  const model::Activity* activity = catalog_.activity(fact.activity);
  if (activity == nullptr) {
    ++unknown_activity_;
    return;
  }
  ActivityProgress& ap = activities_[activity->key];
  if (!catalog_.allows(activity->key, fact.kind)) {
    ++ap.other_kind;
    return;
  }
  // Evidence dated outside the activity's window belongs to another year's
  // program (or has no usable date): shown, never counted.
  if (fact.occurred_on.size() != 10 || !activity->window.contains(fact.occurred_on)) {
    ++ap.outside_window;
    return;
  }
  ++ap.records;
  IndicatorAcc& acc = indicators_[activity->indicator];
  for (const auto& k : fact.person_keys) acc.person_keys.insert(k);
  if (fact.people > fact.person_keys.size()) acc.anonymous_people += fact.people - fact.person_keys.size();
  if (fact.attributes.is_object()) {
    if (auto it = fact.attributes.find("on_time"); it != fact.attributes.end() && it->is_boolean()) {
      ++acc.on_time_known;
      if (it->get<bool>()) ++acc.on_time_yes;
    }
    if (auto it = fact.attributes.find("group"); it != fact.attributes.end() && it->is_string() &&
                                                 !it->get<std::string>().empty())
      ++acc.groups[lower_squeezed(it->get<std::string>())];
  }
}

Progress ProgressBuilder::finish() const {
  Progress p;
  p.program = catalog_.program;
  p.institution = catalog_.institution;
  p.institution_name = catalog_.institution_name;
  p.year = catalog_.year;
  p.headcount = headcount_;
  p.headcount_date = headcount_date_;
  p.facts = facts_;
  p.unknown_activity = unknown_activity_;

  static const IndicatorAcc kEmpty;
  for (const auto& ind : catalog_.indicators) {
    IndicatorProgress ip;
    ip.key = ind.key;
    ip.text = ind.text;
    ip.goal = ind.goal;
    ip.goal_text = ind.goal_text;
    const auto acc_it = indicators_.find(ind.key);
    const IndicatorAcc& acc = acc_it == indicators_.end() ? kEmpty : acc_it->second;

    std::size_t records = 0, covered = 0;
    bool people_based = false;
    for (const auto& key : ind.activities) {
      const auto it = activities_.find(key);
      ActivityProgress ap = it == activities_.end() ? ActivityProgress{key, 0, 0, 0} : it->second;
      records += ap.records;
      covered += ap.records > 0 ? 1 : 0;
      if (const model::Activity* a = catalog_.activity(key))
        people_based = people_based || std::any_of(a->evidence_kinds.begin(), a->evidence_kinds.end(), is_people_kind);
      ip.activities.push_back(std::move(ap));
    }
    const auto configured = options_.denominators.find(ind.key);

    if (ind.goal.unit == "percent") {
      if (people_based) {
        ip.measure = "distinct_people";
        ip.numerator = static_cast<double>(acc.person_keys.size() + acc.anonymous_people);
        if (headcount_) ip.denominator = headcount_, ip.denominator_source = "headcount";
      } else if (configured != options_.denominators.end()) {
        ip.measure = "records";
        ip.numerator = static_cast<double>(records);
      } else if (folded_contains(ind.goal_text, "de las actividades")) {
        ip.measure = "activities_with_evidence";
        ip.numerator = static_cast<double>(covered);
        ip.denominator = static_cast<double>(ind.activities.size());
        ip.denominator_source = "activities";
      } else if (acc.on_time_known > 0) {
        ip.measure = "on_time";
        ip.numerator = static_cast<double>(acc.on_time_yes);
        ip.denominator = static_cast<double>(acc.on_time_known);
        ip.denominator_source = "on_time";
      } else {
        ip.measure = "records";
        ip.numerator = static_cast<double>(records);
      }
      if (configured != options_.denominators.end())
        ip.denominator = configured->second, ip.denominator_source = "configured";
      if (ip.denominator && *ip.denominator > 0) ip.value = round2(ip.numerator * 100.0 / *ip.denominator);
    } else {
      ip.measure = "records";
      ip.numerator = static_cast<double>(records);
      ip.value = ip.numerator;
      if (ind.goal.breakdown) {
        int met = 0;
        for (const auto& [group, n] : acc.groups)
          if (static_cast<double>(n) >= ind.goal.breakdown->per) ++met;
        ip.groups_met = met;
      }
    }

    if (records == 0) {
      ip.status = "no_evidence";
    } else if (ind.goal.unit == "percent" && !ip.value) {
      ip.status = "missing_denominator";
    } else {
      bool met = !ind.goal.unit.empty() && ip.value && *ip.value >= ind.goal.value;
      if (met && ind.goal.breakdown) met = ip.groups_met.value_or(0) >= ind.goal.breakdown->groups;
      ip.status = met ? "met" : "in_progress";
    }
    ip.summary = es::summary(ip, p);
    p.indicators.push_back(std::move(ip));
  }
  return p;
}

Progress compute_progress(const model::Catalog& catalog, const std::vector<EvidenceFact>& facts,
                          const ProgressOptions& options) {
  ProgressBuilder builder(catalog, options);
  for (const auto& f : facts) builder.add(f);
  return builder.finish();
}

}  // namespace sseccoe::report
