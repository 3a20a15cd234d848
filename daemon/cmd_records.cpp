// `records`, `unclassified`, `classify`, `explain`: what is stored, and the
// operator's hand on classification.
#include <iostream>

#include "commands.hpp"
#include "output.hpp"
#include "pipeline/normalize.hpp"

namespace sseccoe::agent {

namespace {

nlohmann::json record_json(const store::StoredRecord& r, bool full) {
  nlohmann::json j = {{"id", r.id},           {"source", r.source},       {"key", r.natural_key},
                      {"kind", r.kind},       {"activity", r.activity},   {"status", r.status},
                      {"reason", r.status_reason}, {"revision", r.revision}, {"folio", r.folio},
                      {"registry_revision", r.registry_revision}, {"synced_at", r.synced_at},
                      {"updated_at", r.updated_at}};
  if (full) {
    j["classified_by"] = r.classified_by;
    j["record"] = nlohmann::json::parse(r.body, nullptr, false);
    j["explain"] = nlohmann::json::parse(r.explain, nullptr, false);
    j["created_at"] = r.created_at;
  }
  return j;
}

void list(Context& ctx, const std::string& status) {
  auto records = ctx.store().records(status);
  if (ctx.args().flag("json")) {
    auto a = nlohmann::json::array();
    for (const auto& r : records) a.push_back(record_json(r, false));
    print_json({{"records", a}});
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : records)
    rows.push_back({r.id, r.status, r.activity.empty() ? "-" : r.activity, r.kind.empty() ? "-" : r.kind,
                    r.folio.empty() ? "-" : r.folio, r.source + ":" + r.natural_key});
  print_table(std::cout, {"ID", "STATUS", "ACTIVITY", "KIND", "FOLIO", "SOURCE:KEY"}, rows);
  std::cout << records.size() << " record(s)\n";
}

store::StoredRecord find(Context& ctx, const std::string& id) {
  if (id.empty()) throw UsageError("a record ID is required");
  auto r = ctx.store().record(id);
  if (!r) throw Failure("no record " + id + " (or the prefix is ambiguous): see 'sseccoe-agent records list'");
  return *r;
}

}  // namespace

int cmd_records(Context& ctx) {
  const std::string sub = ctx.args().word(1);
  if (sub == "list" || sub.empty()) {
    list(ctx, ctx.args().value("status"));
    return 0;
  }
  if (sub == "show") {
    auto r = find(ctx, ctx.args().word(2));
    if (ctx.args().flag("json")) {
      print_json(record_json(r, true));
      return 0;
    }
    auto body = nlohmann::json::parse(r.body, nullptr, false);
    std::cout << "id:          " << r.id << "\n"
              << "status:      " << r.status << (r.status_reason.empty() ? "" : " (" + r.status_reason + ")") << "\n"
              << "folio:       " << (r.folio.empty() ? "-" : r.folio) << "\n"
              << "revision:    " << r.revision << " local, " << r.registry_revision << " in the registry\n"
              << "activity:    " << (r.activity.empty() ? "-" : r.activity) << "  kind: " << (r.kind.empty() ? "-" : r.kind) << "\n"
              << "source:      " << r.source << ":" << r.natural_key << "\n"
              << "classified:  " << (r.classified_by.empty() ? "no rule matched" : r.classified_by) << "\n"
              << "record:\n" << body.dump(2) << "\n";
    return 0;
  }
  throw UsageError("records: unknown sub-command '" + sub + "' (list, show)");
}

int cmd_unclassified(Context& ctx) {
  const std::string sub = ctx.args().word(1);
  if (sub != "list" && !sub.empty()) throw UsageError("unclassified: unknown sub-command '" + sub + "' (list)");
  list(ctx, "unclassified");
  return 0;
}

int cmd_classify(Context& ctx) {
  auto r = find(ctx, ctx.args().word(1));
  const std::string activity = ctx.args().value("activity"), kind = ctx.args().value("kind");
  if (activity.empty() || kind.empty()) throw UsageError("classify ID --activity A --kind K");
  const auto& catalog = ctx.catalog();
  if (!catalog.activity(activity)) throw Failure("activity " + activity + " is not in " + catalog.program);
  if (!catalog.allows(activity, kind)) throw Failure("activity " + activity + " does not take evidence of kind " + kind);
  auto body = nlohmann::json::parse(r.body);
  body["activity"] = activity;
  body["kind"] = kind;
  std::string reason = core::hold_reason(&catalog, activity, kind, body.value("occurred_on", ""));
  std::string status = reason.empty() ? "pending" : "held";
  const char* user = std::getenv("SUDO_USER") ? std::getenv("SUDO_USER") : std::getenv("USER");
  ctx.store().classify(r.id, activity, kind, body.dump(), status, reason, user ? user : "operator");
  std::cout << r.id << ": classified as " << activity << "/" << kind << ", " << status
            << (reason.empty() ? " (will be sent on the next sync)" : ": " + reason) << "\n";
  return 0;
}

int cmd_explain(Context& ctx) {
  auto r = find(ctx, ctx.args().word(1));
  auto e = nlohmann::json::parse(r.explain, nullptr, false);
  if (ctx.args().flag("json")) {
    print_json({{"id", r.id}, {"status", r.status}, {"classified_by", r.classified_by}, {"explain", e}});
    return 0;
  }
  std::cout << r.id << " (" << r.source << ":" << r.natural_key << ")\n";
  if (e.is_object() && e.contains("rules"))
    for (const auto& v : e["rules"])
      std::cout << "  rule " << v.value("rule", 0) << " (" << v.value("at", "") << "): " << v.value("why", "") << "\n";
  if (e.is_object() && e.contains("kept")) std::cout << "  " << e["kept"].get<std::string>() << "\n";
  if (r.classified_by.empty())
    std::cout << "=> no rule matched: the record stays local (unclassified). Add a [[rule]] or run "
                 "'sseccoe-agent classify " << r.id << " --activity A --kind K'\n";
  else
    std::cout << "=> " << r.activity << "/" << r.kind << " by " << r.classified_by << "; status " << r.status
              << (r.status_reason.empty() ? "" : " (" + r.status_reason + ")") << "\n";
  return 0;
}

}  // namespace sseccoe::agent
