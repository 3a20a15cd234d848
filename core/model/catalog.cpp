#include "model/catalog.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

namespace sseccoe::model {

using nlohmann::json;

const Activity* Catalog::activity(std::string_view key) const {
  for (const auto& a : activities)
    if (a.key == key) return &a;
  return nullptr;
}

const Indicator* Catalog::indicator(std::string_view key) const {
  for (const auto& i : indicators)
    if (i.key == key) return &i;
  return nullptr;
}

bool Catalog::allows(std::string_view activity_key, std::string_view kind) const {
  const Activity* a = activity(activity_key);
  return a != nullptr && std::find(a->evidence_kinds.begin(), a->evidence_kinds.end(), kind) != a->evidence_kinds.end();
}

namespace {

// Whole numbers print as integers ("35", not "35.0"): the file is read by people.
template <class J>
J number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return J(static_cast<std::int64_t>(v));
  return J(v);
}

// One builder for both JSON flavours: nlohmann::json (sorted keys) for
// to_json, ordered_json (keys in the documented order) for the files.
template <class J>
J build(const Catalog& c) {
  J indicators = J::array();
  for (const auto& i : c.indicators) {
    J goal = J::object();
    goal["value"] = number<J>(i.goal.value);
    goal["unit"] = i.goal.unit;
    if (i.goal.breakdown) {
      J b = J::object();
      b["per"] = number<J>(i.goal.breakdown->per);
      b["groups"] = i.goal.breakdown->groups;
      b["group"] = i.goal.breakdown->group;
      goal["breakdown"] = std::move(b);
    }
    J o = J::object();
    o["key"] = i.key;
    o["section"] = i.section;
    o["section_title"] = i.section_title;
    o["text"] = i.text;
    o["objective"] = i.objective;
    o["goal_text"] = i.goal_text;
    o["goal"] = std::move(goal);
    o["activities"] = i.activities;
    indicators.push_back(std::move(o));
  }
  J activities = J::array();
  for (const auto& a : c.activities) {
    J window = J::object();
    window["start"] = a.window.start;
    window["end"] = a.window.end;
    J o = J::object();
    o["key"] = a.key;
    o["indicator"] = a.indicator;
    o["text"] = a.text;
    o["window"] = std::move(window);
    o["verification"] = a.verification;
    o["risks"] = a.risks;
    o["evidence_kinds"] = a.evidence_kinds;
    activities.push_back(std::move(o));
  }
  J root = J::object();
  root["program"] = c.program;
  root["year"] = c.year;
  root["institution"] = c.institution;
  root["institution_name"] = c.institution_name;
  root["title"] = c.title;
  root["indicators"] = std::move(indicators);
  root["activities"] = std::move(activities);
  return root;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw std::runtime_error("catalog: '" + path + "' " + what);
}

const json& member(const json& obj, const char* key, const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) fail(path, "is required");
  return *it;
}

std::string join(const std::string& prefix, const char* key) { return prefix.empty() ? key : prefix + "." + key; }

// A string member; `required` members must be present, `nonempty` ones non-empty.
std::string str(const json& obj, const char* key, const std::string& prefix, bool required, bool nonempty = false) {
  const std::string path = join(prefix, key);
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) fail(path, "is required");
    return {};
  }
  if (!it->is_string()) fail(path, "must be a string");
  std::string s = it->get<std::string>();
  if (nonempty && s.empty()) fail(path, "must not be empty");
  return s;
}

double num(const json& obj, const char* key, const std::string& prefix) {
  const json& v = member(obj, key, join(prefix, key));
  if (!v.is_number()) fail(join(prefix, key), "must be a number");
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < 0) fail(join(prefix, key), "must be a finite number >= 0");
  return d;
}

bool is_digits(std::string_view s) {
  return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "1.1" (parts == 2) or "1.1.1" and deeper (parts >= 3 when min_parts is 3).
bool is_key(std::string_view s, std::size_t min_parts, std::size_t max_parts) {
  std::size_t parts = 0;
  while (true) {
    const std::size_t dot = s.find('.');
    if (!is_digits(s.substr(0, dot))) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts >= min_parts && parts <= max_parts;
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int y = std::stoi(std::string(s.substr(0, 4)));
  const int m = std::stoi(std::string(s.substr(5, 2)));
  const int d = std::stoi(std::string(s.substr(8, 2)));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= (m == 2 && leap ? 29 : kDays[m - 1]);
}

bool is_kind_name(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z' &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::vector<std::string> string_list(const json& obj, const char* key, const std::string& prefix) {
  const std::string path = join(prefix, key);
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return {};
  if (!it->is_array()) fail(path, "must be an array of strings");
  std::vector<std::string> out;
  for (std::size_t k = 0; k < it->size(); ++k) {
    if (!(*it)[k].is_string()) fail(path + "[" + std::to_string(k) + "]", "must be a string");
    out.push_back((*it)[k].get<std::string>());
  }
  return out;
}

Activity activity_from_json(const json& j, const std::string& p) {
  if (!j.is_object()) fail(p, "must be an object");
  Activity a;
  a.key = str(j, "key", p, true, true);
  if (!is_key(a.key, 3, 6)) fail(p + ".key", "must look like 1.1.1 (got \"" + a.key + "\")");
  a.indicator = str(j, "indicator", p, true, true);
  if (a.key.rfind(a.indicator + ".", 0) != 0 || !is_key(a.indicator, 2, 2))
    fail(p + ".indicator", "must be the first two numbers of the key " + a.key + " (got \"" + a.indicator + "\")");
  a.text = str(j, "text", p, true, true);
  const json& w = member(j, "window", p + ".window");
  if (!w.is_object()) fail(p + ".window", "must be an object with start and end");
  a.window.start = str(w, "start", p + ".window", true);
  a.window.end = str(w, "end", p + ".window", true);
  if (!is_iso_date(a.window.start)) fail(p + ".window.start", "must be an ISO date YYYY-MM-DD (got \"" + a.window.start + "\")");
  if (!is_iso_date(a.window.end)) fail(p + ".window.end", "must be an ISO date YYYY-MM-DD (got \"" + a.window.end + "\")");
  if (a.window.end < a.window.start) fail(p + ".window", "ends before it starts");
  a.verification = str(j, "verification", p, true);
  a.risks = str(j, "risks", p, false);
  a.evidence_kinds = string_list(j, "evidence_kinds", p);
  for (std::size_t k = 0; k < a.evidence_kinds.size(); ++k)
    if (!is_kind_name(a.evidence_kinds[k]))
      fail(p + ".evidence_kinds[" + std::to_string(k) + "]", "must be a lower_snake_case kind name");
  return a;
}

Goal goal_from_json(const json& j, const std::string& p) {
  if (!j.is_object()) fail(p, "must be an object with value and unit");
  Goal g;
  g.value = num(j, "value", p);
  g.unit = str(j, "unit", p, true);
  if (g.unit != "percent" && g.unit != "count" && !g.unit.empty())
    fail(p + ".unit", "must be \"percent\", \"count\" or \"\" (got \"" + g.unit + "\")");
  if (g.unit == "percent" && g.value > 100) fail(p + ".value", "must be at most 100 for a percent goal");
  if (auto it = j.find("breakdown"); it != j.end() && !it->is_null()) {
    const std::string bp = p + ".breakdown";
    if (!it->is_object()) fail(bp, "must be an object with per, groups and group");
    GoalBreakdown b;
    b.per = num(*it, "per", bp);
    const json& groups = member(*it, "groups", bp + ".groups");
    if (!groups.is_number_integer() || groups.get<std::int64_t>() < 1 || groups.get<std::int64_t>() > 100000)
      fail(bp + ".groups", "must be a whole number >= 1");
    b.groups = groups.get<int>();
    b.group = str(*it, "group", bp, true);
    if (g.unit != "count") fail(bp, "is only meaningful for a count goal");
    g.breakdown = std::move(b);
  }
  return g;
}

Indicator indicator_from_json(const json& j, const std::string& p) {
  if (!j.is_object()) fail(p, "must be an object");
  Indicator i;
  i.key = str(j, "key", p, true, true);
  if (!is_key(i.key, 2, 2)) fail(p + ".key", "must look like 1.1 (got \"" + i.key + "\")");
  i.section = str(j, "section", p, false);
  i.section_title = str(j, "section_title", p, false);
  i.text = str(j, "text", p, true, true);
  i.objective = str(j, "objective", p, false);
  i.goal_text = str(j, "goal_text", p, false);
  i.goal = goal_from_json(member(j, "goal", p + ".goal"), p + ".goal");
  i.activities = string_list(j, "activities", p);
  if (i.activities.empty()) fail(p + ".activities", "must list at least one activity");
  return i;
}

}  // namespace

json to_json(const Catalog& c) { return build<json>(c); }

std::string catalog_to_pretty_json(const Catalog& c) {
  return build<nlohmann::ordered_json>(c).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Catalog catalog_from_json(const json& j) {
  if (!j.is_object()) throw std::runtime_error("catalog: the document must be a JSON object");
  Catalog c;
  c.program = str(j, "program", "", true, true);
  const json& year = member(j, "year", "year");
  if (!year.is_number_integer() || year.get<std::int64_t>() < 1900 || year.get<std::int64_t>() > 2999)
    fail("year", "must be a whole year between 1900 and 2999");
  c.year = year.get<int>();
  c.institution = str(j, "institution", "", true, true);
  c.institution_name = str(j, "institution_name", "", false);
  c.title = str(j, "title", "", false);

  const json& acts = member(j, "activities", "activities");
  if (!acts.is_array() || acts.empty()) fail("activities", "must be a non-empty array");
  std::set<std::string> activity_keys;
  for (std::size_t k = 0; k < acts.size(); ++k) {
    const std::string p = "activities[" + std::to_string(k) + "]";
    Activity a = activity_from_json(acts[k], p);
    if (!activity_keys.insert(a.key).second) fail(p + ".key", "repeats activity " + a.key);
    c.activities.push_back(std::move(a));
  }

  const json& inds = member(j, "indicators", "indicators");
  if (!inds.is_array() || inds.empty()) fail("indicators", "must be a non-empty array");
  std::map<std::string, std::string> listed_by;  // activity -> indicator that lists it
  for (std::size_t k = 0; k < inds.size(); ++k) {
    const std::string p = "indicators[" + std::to_string(k) + "]";
    Indicator i = indicator_from_json(inds[k], p);
    if (c.indicator(i.key) != nullptr) fail(p + ".key", "repeats indicator " + i.key);
    for (std::size_t n = 0; n < i.activities.size(); ++n) {
      const std::string ap = p + ".activities[" + std::to_string(n) + "]";
      const Activity* a = c.activity(i.activities[n]);
      if (a == nullptr) fail(ap, "names activity " + i.activities[n] + ", which the activities list lacks");
      if (a->indicator != i.key) fail(ap, "names activity " + a->key + ", which belongs to indicator " + a->indicator);
      if (!listed_by.emplace(a->key, i.key).second) fail(ap, "lists activity " + a->key + " a second time");
    }
    c.indicators.push_back(std::move(i));
  }
  for (std::size_t k = 0; k < c.activities.size(); ++k)
    if (listed_by.count(c.activities[k].key) == 0)
      fail("activities[" + std::to_string(k) + "].indicator",
           "names indicator " + c.activities[k].indicator + ", which does not list activity " + c.activities[k].key);
  return c;
}

Catalog load_catalog_file(const std::string& path) {
  // A catalog is a few dozen kilobytes; refuse to parse something that is not.
  constexpr std::uintmax_t kMaxCatalogBytes = 16u << 20;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxCatalogBytes)
    throw std::runtime_error(path + ": " + std::to_string(size) + " bytes is too large for a catalog (at most 16 MiB)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open the catalog file for reading");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    throw std::runtime_error(path + ": not valid JSON (" + e.what() + ")");
  }
  try {
    return catalog_from_json(j);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace sseccoe::model
