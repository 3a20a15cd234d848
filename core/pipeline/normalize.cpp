#include "pipeline/normalize.hpp"

#include <algorithm>
#include <chrono>
#include <tuple>

#include "pipeline/understand.hpp"
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

namespace {

// A census item carries only a count: it becomes the headcount record of the
// activity that takes one (1.1.2 in the 2021 program), without a rule, so
// that a census source can never be classified as something that sends rows.
Classification classify_census(const EmitterContext& ctx, const sdk::Item& item) {
  Classification c;
  c.kind = "headcount";
  c.classified_by = "census";
  if (ctx.catalog)
    for (const auto& a : ctx.catalog->activities)
      if (ctx.catalog->allows(a.key, "headcount")) {
        c.activity = a.key;
        break;
      }
  auto count_it = item.metadata.find("count");
  const std::string count = count_it == item.metadata.end() ? "" : count_it->second;
  try {
    std::size_t used = 0;
    const long long n = std::stoll(count, &used);
    if (used != count.size() || n < 0) throw std::invalid_argument("not a count");
    c.attributes["count"] = n;
    c.title = "Censo de personal: " + count + " personas servidoras públicas";
  } catch (const std::exception&) {
    c.title = "Censo de personal";
  }
  auto as_of = item.metadata.find("as_of");
  if (as_of != item.metadata.end()) c.attributes["as_of"] = as_of->second;
  c.explain["census"] = "a census source: only the row count and the export date are registered";
  return c;
}

// Several items, one record (a rule's group_by): what the record already says
// stays, and this item adds to it. Files and people are the union; the
// earliest date wins, and of two values for one attribute the smaller (an
// RFC 3339 time: the earlier one), so that the record does not depend on the
// order the items were harvested in: a consultation's answer may be read
// from Sent before its request is read from INBOX.
void merge_group(model::Record& r, const store::StoredRecord& existing) {
  model::Record old;
  try {
    old = model::record_from_json(nlohmann::json::parse(existing.body));
  } catch (const std::exception&) {
    return;  // an unreadable body is replaced, not merged
  }
  for (auto& [key, value] : old.attributes.items()) {
    if (!r.attributes.contains(key)) {
      r.attributes[key] = value;
    } else if (value.is_string() && r.attributes[key].is_string() &&
               value.get<std::string>() < r.attributes[key].get<std::string>()) {
      r.attributes[key] = value;
    }
  }
  for (const auto& f : old.files) {
    const bool have = std::any_of(r.files.begin(), r.files.end(),
                                  [&](const model::FileRef& g) { return g.sha256 == f.sha256 && g.name == f.name; });
    if (!have) r.files.push_back(f);
  }
  std::sort(r.files.begin(), r.files.end(), [](const model::FileRef& a, const model::FileRef& b) {
    return std::tie(a.name, a.sha256) < std::tie(b.name, b.sha256);
  });
  for (const auto& p : old.people) {
    const bool have = std::any_of(r.people.begin(), r.people.end(), [&](const model::Person& q) {
      return q.name == p.name && q.curp == p.curp && q.rfc == p.rfc && q.employee_id == p.employee_id;
    });
    if (!have) r.people.push_back(p);
  }
  if (!old.occurred_on.empty() && (r.occurred_on.empty() || old.occurred_on < r.occurred_on))
    r.occurred_on = old.occurred_on;
  if (!old.title.empty()) r.title = old.title;
}

}  // namespace

Classification classify_item(const EmitterContext& ctx, const sdk::Item& item,
                             const std::optional<store::StoredRecord>& existing) {
  if (ctx.role == "census") return classify_census(ctx, item);
  Classification c;
  std::vector<RuleVerdict> trace;
  auto decision = ctx.rules ? ctx.rules->classify(ctx.source, item.natural_key, item.metadata, &trace)
                            : std::optional<Decision>{};
  c.explain = {{"rules", to_json(trace)}};
  if (decision) {
    c.kind = decision->kind;
    c.activity = decision->activity;
    c.title = decision->title;
    c.attributes = decision->attributes;
    c.classified_by = "rule[" + std::to_string(decision->rule->index) + "] " + decision->rule->where.str();
    c.file_roles = decision->rule->files;
    if (const std::string& field = decision->rule->group_by; !field.empty()) {
      auto it = item.metadata.find(field);
      if (it != item.metadata.end() && !it->second.empty()) c.group_key = "group:" + field + ":" + it->second;
    }
  } else if (existing && existing->classified_by.rfind("manual:", 0) == 0) {
    // An operator classified this item by hand; a new revision keeps that.
    auto old = nlohmann::json::parse(existing->body, nullptr, false);
    c.kind = existing->kind;
    c.activity = existing->activity;
    if (old.is_object()) {
      c.title = old.value("title", std::string());
      if (old.contains("attributes") && old["attributes"].is_object()) c.attributes = old["attributes"];
    }
    c.classified_by = existing->classified_by;
    c.explain["kept"] = "manual classification by " + existing->classified_by.substr(7);
  }
  if (c.file_roles.empty()) c.file_roles = default_file_roles(c.kind);
  return c;
}

bool content_wanted(const sdk::Content& content, const std::string& kind) {
  return content.only_for_kind.empty() || content.only_for_kind == kind;
}

store::Harvested normalize(const NormalizeInput& in) {
  const auto& ctx = in.ctx;
  const auto& item = in.item;
  store::Harvested h;
  h.source = ctx.source;
  h.natural_key = item.natural_key;
  h.version = item.version;
  h.locator = item.locator;

  const Classification computed =
      in.classification ? Classification{} : classify_item(ctx, item, in.existing);
  const Classification& c = in.classification ? *in.classification : computed;

  model::Record& r = h.record;
  r.id = in.record_id;
  r.program = ctx.program;
  r.institution = ctx.institution;
  r.occurred_on = item.occurred_on;
  r.source = {ctx.plugin, ctx.source, item.locator, util::now_rfc3339()};
  for (std::size_t i = 0; i < in.blobs.size() && i < item.contents.size(); ++i) {
    const auto& blob = in.blobs[i];
    if (blob.digest.empty()) continue;  // not read for this kind
    h.blobs.push_back(blob);
    const std::string role = role_name(item.contents[i].role);
    if (std::find(c.file_roles.begin(), c.file_roles.end(), role) != c.file_roles.end())
      r.files.push_back({blob.digest, item.contents[i].name, blob.media_type, blob.size});
  }
  for (const auto& p : item.people) r.people.push_back({p.name, p.curp, p.rfc, p.employee_id});

  r.kind = c.kind;
  r.activity = c.activity;
  r.title = c.title;
  r.attributes = c.attributes;
  h.classified_by = c.classified_by;
  nlohmann::json explain = c.explain;
  if (r.title.empty()) {
    auto it = item.metadata.find("name");
    r.title = it != item.metadata.end() ? it->second : item.natural_key;
  }
  if (!item.occurred_on_from.empty()) r.attributes["occurred_on_from"] = item.occurred_on_from;
  if (in.understanding) apply(*in.understanding, r, explain);
  if (!c.group_key.empty() && in.existing && in.existing->source == ctx.source) {
    merge_group(r, *in.existing);
    explain["group"] = c.group_key;
  }

  if (r.activity.empty()) {
    h.status = "unclassified";
    h.status_reason = c.classified_by == "census"
                          ? "no activity of the program takes headcount evidence: check the catalog"
                          : "no rule matched";
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
