// `catalog show|import` and `plugins list|describe`.
#include <iostream>

#include "catalog/pat_import.hpp"
#include "commands.hpp"
#include "output.hpp"

namespace sseccoe::agent {

int cmd_catalog(Context& ctx) {
  const std::string sub = ctx.args().word(1);
  if (sub == "import") {
    const std::string file = ctx.args().word(2);
    if (file.empty()) throw UsageError("catalog import FILE: the PAT document as plain text");
    catalog::ImportOptions opts{ctx.args().value("program"), ctx.args().value("institution")};
    catalog::ImportResult result;
    try {
      result = catalog::import_pat_file(file, opts);
    } catch (const std::exception& e) {
      throw Failure(std::string("catalog import: ") + e.what());
    }
    for (const auto& w : result.warnings) std::cerr << "warning: " << w << "\n";
    std::cout << model::catalog_to_pretty_json(result.catalog);
    std::cerr << result.catalog.program << ": " << result.catalog.activities.size() << " activities, "
              << result.catalog.indicators.size() << " indicators\n";
    return 0;
  }
  if (sub == "show" || sub.empty()) {
    const auto& c = ctx.catalog();
    if (ctx.args().flag("json")) {
      std::cout << model::catalog_to_pretty_json(c);
      return 0;
    }
    std::cout << c.program << " — " << c.institution_name << " (" << c.institution << ")\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : c.activities) {
      std::string kinds;
      for (const auto& k : a.evidence_kinds) kinds += (kinds.empty() ? "" : ",") + k;
      rows.push_back({a.key, a.window.start + ".." + a.window.end, kinds.empty() ? "-" : kinds,
                      a.text.size() > 60 ? a.text.substr(0, a.text.find(' ', 50)) + " …" : a.text});
    }
    print_table(std::cout, {"ACTIVITY", "WINDOW", "EVIDENCE", "TEXT"}, rows);
    return 0;
  }
  throw UsageError("catalog: unknown sub-command '" + sub + "' (show, import)");
}

int cmd_plugins(Context& ctx) {
  const std::string sub = ctx.args().word(1);
  auto& plugins = ctx.plugins();
  for (const auto& p : plugins.problems()) std::cerr << "warning: " << p << "\n";
  if (sub == "list" || sub.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto* p : plugins.all()) rows.push_back({std::string(p->name()), std::string(p->description())});
    print_table(std::cout, {"PLUGIN", "DESCRIPTION"}, rows);
    return 0;
  }
  if (sub == "describe") {
    const std::string name = ctx.args().word(2);
    const sdk::Plugin* p = plugins.find(name);
    if (!p) {
      std::string hint = core::suggest(name, plugins.names());
      throw Failure("no plugin '" + name + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                    " (see 'sseccoe-agent plugins list')");
    }
    std::cout << (ctx.args().flag("markdown") ? core::describe_plugin_markdown(*p) : core::describe_plugin_text(*p));
    return 0;
  }
  throw UsageError("plugins: unknown sub-command '" + sub + "' (list, describe)");
}

std::chrono::milliseconds parse_duration_arg(const std::string& flag, const std::string& text) {
  try {
    return core::parse_duration(text);
  } catch (const std::exception& e) {
    throw UsageError(flag + ": " + e.what());
  }
}

}  // namespace sseccoe::agent
