// load_config: read every file, sort the top level into sections, then check
// each section in dependency order (sources before the rules that name them).
#include "config/config.hpp"
#include "config/diagnostics.hpp"
#include "config/files.hpp"
#include "config/sections.hpp"

namespace sseccoe::core {

using namespace config_detail;

ConfigResult load_config(const std::string& path, const std::vector<const sdk::Plugin*>& plugins,
                         const LoadOptions& options) {
  ConfigResult result;
  Diagnostics diag;
  std::vector<ParsedFile> files = read_config_files(path, options, diag, result.config.files);
  const TopLevel top = gather_top_level(files, diag);

  // A file that did not parse leaves its sections unknown; checking the rest
  // would only add confusing "missing" errors on top of the syntax error.
  if (files.size() == result.config.files.size()) {
    validate_agent(top, path, options, result.config.agent, diag);
    validate_registry(top, options, result.config.registry, diag);
    validate_sources(top, plugins, options, result.config.sources, diag);
    validate_rules(top, result.config.sources, options, result.config.rules, diag);
    if (top.sources.empty())
      diag.warning({path, 0, 0}, "source", "no [[source]] is configured: the agent will harvest nothing");
    else if (top.rules.empty())
      diag.warning({path, 0, 0}, "rule", "no [[rule]] is configured: every item will stay unclassified");
  }
  result.errors = diag.take_errors(result.config.files);
  result.warnings = diag.take_warnings(result.config.files);
  return result;
}

std::string configured_plugin_dir(const std::string& path) {
  Diagnostics ignored;
  std::vector<std::string> files_read;
  const auto files = read_config_files(path, LoadOptions{}, ignored, files_read);
  std::string dir;
  for (const auto& file : files) {
    const auto* agent = file.root["agent"].as_table();
    if (agent == nullptr) continue;
    const auto* value = agent->get_as<std::string>("plugin_dir");
    if (value == nullptr || value->get().empty()) continue;
    dir = resolve_path(value->get(), file.path);
  }
  return dir;
}

}  // namespace sseccoe::core
