// `reclassify [--dry-run] [--source S] [--json]`: today's rules and catalog
// applied to the unclassified and held records (pipeline/reclassify.hpp).
// `run` does the same by itself at start and after a reload; this command
// shows first what a corrected rule would change.
#include <iostream>

#include "commands.hpp"
#include "output.hpp"
#include "workers.hpp"

namespace sseccoe::agent {

namespace {

nlohmann::json change_json(const core::ReclassifyChange& c) {
  return {{"id", c.record_id},
          {"source", c.source},
          {"key", c.natural_key},
          {"record", c.new_record_id},
          {"before", {{"status", c.before_status}, {"activity", c.before_activity}, {"kind", c.before_kind}}},
          {"after",
           {{"status", c.after_status}, {"activity", c.after_activity}, {"kind", c.after_kind},
            {"reason", c.after_reason}, {"classified_by", c.classified_by}}},
          {"reread", c.reread},
          {"reread_why", c.reread_why}};
}

}  // namespace

int cmd_reclassify(Context& ctx) {
  const bool dry_run = ctx.args().flag("dry-run");
  core::ReclassifyOptions options;
  options.dry_run = dry_run;
  options.source = ctx.args().value("source");
  const auto& cfg = ctx.config();
  if (!options.source.empty()) {
    bool known = false;
    for (const auto& s : cfg.sources) known = known || s.name == options.source;
    if (!known) throw UsageError("reclassify: no source named '" + options.source + "' in the configuration");
  }
  const char* user = std::getenv("SUDO_USER") ? std::getenv("SUDO_USER") : std::getenv("USER");
  options.actor = std::string("reclassify:") + (user ? user : "operator");
  std::shared_ptr<const model::Catalog> catalog(std::shared_ptr<void>(), &ctx.catalog());
  const Blueprint blueprint = make_blueprint(cfg, catalog);
  const auto report = reclassify_backlog(blueprint, ctx.store(), options);

  if (ctx.args().flag("json")) {
    nlohmann::json j = {{"dry_run", dry_run},           {"examined", report.examined},
                        {"unchanged", report.unchanged}, {"refreshed", report.refreshed},
                        {"registered", report.registered}, {"unknown_source", report.unknown_source},
                        {"conflicts", report.conflicts}, {"changes", nlohmann::json::array()}};
    for (const auto& c : report.changes) j["changes"].push_back(change_json(c));
    print_json(j);
    return 0;
  }
  std::cout << "reclassify" << (dry_run ? " --dry-run" : "") << ": " << report.examined
            << " unclassified or held record(s) examined; " << report.changes.size()
            << (dry_run ? " would change" : " changed") << "\n";
  for (const auto& c : report.changes) std::cout << "  " << core::describe(c) << "\n";
  if (report.unchanged) std::cout << report.unchanged << " unchanged by today's rules\n";
  if (report.refreshed)
    std::cout << report.refreshed << " keep their verdict; their explanation " << (dry_run ? "would be" : "was")
              << " brought up to date\n";
  if (report.registered)
    std::cout << report.registered << " held revision(s) of registered records left alone (they change only with "
              << "new content or 'classify')\n";
  if (report.unknown_source)
    std::cout << report.unknown_source << " record(s) of sources no longer configured left alone\n";
  if (report.conflicts)
    std::cout << report.conflicts << " record(s) changed by the running agent meanwhile; run reclassify again\n";
  if (dry_run) std::cout << "dry run: nothing was changed; run without --dry-run to apply\n";
  return 0;
}

}  // namespace sseccoe::agent
