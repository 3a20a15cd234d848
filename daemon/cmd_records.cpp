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

// Why a record needs a person's look, or "" when it does not: not
// classified, held, fields its certificate did not give, a holder the
// people register does not know for sure.
std::string review_reason(const store::StoredRecord& r) {
  if (r.status == "unclassified") return r.status_reason.empty() ? "no rule matched" : r.status_reason;
  if (r.status == "held") return "held: " + r.status_reason;
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("attributes") || !body["attributes"].is_object()) return {};
  const auto& a = body["attributes"];
  std::string why;
  auto join = [](const nlohmann::json& list) {
    std::string out;
    for (const auto& v : list) out += (out.empty() ? "" : ", ") + (v.is_string() ? v.get<std::string>() : v.dump());
    return out;
  };
  if (a.contains("unread") && a["unread"].is_array() && !a["unread"].empty())
    why = "fields not read from its file: " + join(a["unread"]);
  if (a.contains("unmatched") && a["unmatched"].is_array() && !a["unmatched"].empty())
    why += std::string(why.empty() ? "" : "; ") + std::to_string(a["unmatched"].size()) +
           " person(s) not matched in the people register";
  return why;
}

int cmd_unclassified(Context& ctx) {
  const std::string sub = ctx.args().word(1);
  if (sub != "list" && !sub.empty()) throw UsageError("unclassified: unknown sub-command '" + sub + "' (list)");
  // What needs a person: unclassified and held records, and registered or
  // pending ones whose certificate could not be read in full or whose
  // holder is not known for sure. Each with its reason.
  std::vector<std::pair<store::StoredRecord, std::string>> review;
  for (const auto& r : ctx.store().records()) {
    std::string why = review_reason(r);
    if (!why.empty()) review.emplace_back(r, std::move(why));
  }
  if (ctx.args().flag("json")) {
    auto a = nlohmann::json::array();
    for (const auto& [r, why] : review) {
      auto j = record_json(r, false);
      j["review"] = why;
      a.push_back(j);
    }
    print_json({{"records", a}});
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [r, why] : review)
    rows.push_back({r.id, r.status, r.activity.empty() ? "-" : r.activity, why, r.source + ":" + r.natural_key});
  print_table(std::cout, {"ID", "STATUS", "ACTIVITY", "WHY", "SOURCE:KEY"}, rows);
  std::cout << review.size() << " record(s) to review; 'sseccoe-agent explain ID' says more\n";
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
    auto aliases = nlohmann::json::array();
    for (const auto& a : ctx.store().aliases_of(r.id))
      aliases.push_back({{"source", a.source}, {"key", a.natural_key}, {"locator", a.locator},
                         {"first_seen", a.first_seen}, {"last_seen", a.last_seen}});
    print_json({{"id", r.id}, {"status", r.status}, {"classified_by", r.classified_by}, {"explain", e},
                {"aliases", aliases}});
    return 0;
  }
  std::cout << r.id << " (" << r.source << ":" << r.natural_key << ")\n";
  if (e.is_object() && e.contains("rules"))
    for (const auto& v : e["rules"])
      std::cout << "  rule " << v.value("rule", 0) << " (" << v.value("at", "") << "): " << v.value("why", "") << "\n";
  if (e.is_object() && e.contains("kept")) std::cout << "  " << e["kept"].get<std::string>() << "\n";
  if (e.is_object() && e.contains("extraction"))
    for (const auto& x : e["extraction"]) {
      std::cout << "  file '" << x.value("file", "") << "': ";
      if (x.contains("template") && x["template"].is_string())
        std::cout << "template " << x["template"].get<std::string>()
                  << (x.contains("template_file") ? " (" + x.value("template_file", "") + ")" : "") << "\n";
      else
        std::cout << x.value("unread_because", "not read") << "\n";
      if (x.contains("fields"))
        for (const auto& [field, f] : x["fields"].items())
          std::cout << "    " << field << " = " << f.value("value", "") << "   <- \"" << f.value("text", "") << "\"\n";
      if (x.contains("person"))
        std::cout << "    holder: "
                  << (x["person"].value("matched", false) ? "matched in the people register by "
                                                          : "not matched: ")
                  << x["person"].value("by", "") << "\n";
    }
  if (e.is_object() && e.contains("image"))
    std::cout << "  image '" << e["image"].value("file", "") << "': " << e["image"].value("width", 0) << "x"
              << e["image"].value("height", 0)
              << (e["image"].value("datetime_original", "").empty()
                      ? std::string(", no EXIF date")
                      : ", EXIF DateTimeOriginal " + e["image"].value("datetime_original", ""))
              << "\n";
  const auto aliases = ctx.store().aliases_of(r.id);
  for (const auto& a : aliases)
    std::cout << "  also seen (the same content, not counted twice): " << a.source << ":" << a.natural_key << " ("
              << a.locator << ") since " << a.first_seen << "\n";
  if (r.classified_by.empty())
    std::cout << "=> no rule matched: the record stays local (unclassified). Add a [[rule]] or run "
                 "'sseccoe-agent classify " << r.id << " --activity A --kind K'\n";
  else
    std::cout << "=> " << r.activity << "/" << r.kind << " by " << r.classified_by << "; status " << r.status
              << (r.status_reason.empty() ? "" : " (" + r.status_reason + ")") << "\n";
  return 0;
}

}  // namespace sseccoe::agent
