#include "pipeline/normalize.hpp"

#include <chrono>

#include "util/time.hpp"

namespace sseccoe::core {

namespace {

// Windows compare ISO dates as strings, which is only sound for well-formed
// ones: "2021-05-99" sorts inside a window, and the registry would refuse
// the record for good. Held here, an operator sees why.
bool is_calendar_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(s.substr(0, 4))},
                                        std::chrono::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))},
                                        std::chrono::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))}};
  return ymd.ok();
}

}  // namespace

std::string hold_reason(const model::Catalog* catalog, const std::string& activity, const std::string& kind,
                        const std::string& occurred_on) {
  if (!catalog) return "no catalog is loaded for the program: check [agent] program and catalog_file";
  const model::Activity* a = catalog->activity(activity);
  if (!a) return "activity " + activity + " is not in " + catalog->program;
  if (!catalog->allows(activity, kind)) return "activity " + activity + " does not take evidence of kind " + kind;
  if (occurred_on.empty()) return "the item carries no date";
  if (!is_calendar_date(occurred_on))
    return "the item's date '" + occurred_on + "' is not a calendar date (YYYY-MM-DD)";
  if (!a->window.contains(occurred_on))
    return "dated " + occurred_on + ", outside activity " + activity + "'s window " + a->window.start + ".." +
           a->window.end;
  return {};
}

store::Harvested normalize(const NormalizeInput& in) {
  const auto& ctx = in.ctx;
  const auto& item = in.item;
  store::Harvested h;
  h.source = ctx.source;
  h.natural_key = item.natural_key;
  h.version = item.version;
  h.locator = item.locator;
  h.blobs = in.blobs;

  model::Record& r = h.record;
  r.id = in.record_id;
  r.program = ctx.program;
  r.institution = ctx.institution;
  r.occurred_on = item.occurred_on;
  r.source = {ctx.plugin, ctx.source, item.locator, util::now_rfc3339()};
  for (std::size_t i = 0; i < in.blobs.size(); ++i)
    r.files.push_back({in.blobs[i].digest, item.contents[i].name, in.blobs[i].media_type, in.blobs[i].size});

  std::vector<RuleVerdict> trace;
  auto decision = ctx.rules ? ctx.rules->classify(ctx.source, item.natural_key, item.metadata, &trace)
                            : std::optional<Decision>{};
  nlohmann::json explain = {{"rules", to_json(trace)}};

  if (decision) {
    r.kind = decision->kind;
    r.activity = decision->activity;
    r.title = decision->title;
    r.attributes = decision->attributes;
    h.classified_by = "rule[" + std::to_string(decision->rule->index) + "] " + decision->rule->where.str();
  } else if (in.existing && in.existing->classified_by.rfind("manual:", 0) == 0) {
    // An operator classified this item by hand; a new revision keeps that.
    auto old = nlohmann::json::parse(in.existing->body, nullptr, false);
    r.kind = in.existing->kind;
    r.activity = in.existing->activity;
    if (old.is_object()) {
      r.title = old.value("title", std::string());
      if (old.contains("attributes") && old["attributes"].is_object()) r.attributes = old["attributes"];
    }
    h.classified_by = in.existing->classified_by;
    explain["kept"] = "manual classification by " + in.existing->classified_by.substr(7);
  }
  if (r.title.empty()) {
    auto it = item.metadata.find("name");
    r.title = it != item.metadata.end() ? it->second : item.natural_key;
  }
  if (!item.occurred_on_from.empty()) r.attributes["occurred_on_from"] = item.occurred_on_from;

  if (r.activity.empty()) {
    h.status = "unclassified";
    h.status_reason = "no rule matched";
  } else {
    h.status_reason = hold_reason(ctx.catalog, r.activity, r.kind, r.occurred_on);
    h.status = h.status_reason.empty() ? "pending" : "held";
  }
  explain["status"] = h.status;
  if (!h.status_reason.empty()) explain["reason"] = h.status_reason;
  h.explain = explain.dump();
  return h;
}

}  // namespace sseccoe::core
