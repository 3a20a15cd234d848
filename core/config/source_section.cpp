// [[source]]: the core's common keys, then the plugin's own option table.
#include <algorithm>
#include <map>

#include "sseccoe/sdk/regex.hpp"
#include "config/sections.hpp"
#include "plugins/source_options.hpp"

namespace sseccoe::core::config_detail {

namespace {

bool valid_source_name(const std::string& name) {
  static const sdk::Regex pattern = sdk::Regex::compile("[a-z0-9_-]{1,64}", false);
  return pattern.full_match(name);
}

const sdk::Plugin* find_plugin(const std::vector<const sdk::Plugin*>& plugins, const std::string& name) {
  for (const auto* p : plugins)
    if (p != nullptr && p->name() == name) return p;
  return nullptr;
}

std::string unknown_plugin_message(const std::string& name, const std::vector<const sdk::Plugin*>& plugins,
                                   const LoadOptions& options) {
  std::vector<std::string> names;
  for (const auto* p : plugins)
    if (p != nullptr) names.emplace_back(p->name());
  std::string message = "unknown plugin " + quoted(name);
  if (names.empty()) {
    message += ": no plugin is loaded; check [agent] plugin_dir and run 'sseccoe-agent plugins list'";
  } else {
    const std::string close = suggest(name, names);
    if (!close.empty()) {
      message += ": did you mean '" + close + "'?";
    } else {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      message += " (loaded plugins: " + list + ")";
    }
  }
  if (!options.plugin_hint.empty()) message += " (" + options.plugin_hint + ")";
  return message;
}

}  // namespace

void validate_sources(const TopLevel& top, const std::vector<const sdk::Plugin*>& plugins,
                      const LoadOptions& options, std::vector<SourceSection>& out, Diagnostics& diag) {
  const auto core_names = names_of(core_source_options());
  std::map<std::string, Location> first_seen;
  int index = 0;
  for (const toml::table* table : top.sources) {
    ++index;
    const Entries entries = entries_of(*table);
    SourceSection source;
    source.where = location_of(*table);

    // The name is the option path's middle part when it is usable, so that a
    // message reads "source.constancias.incldue", not "source[3].incldue".
    std::string prefix = "source[" + std::to_string(index) + "]";
    if (const Entry* e = find_entry(entries, "name"); e && e->node->is_string() &&
                                                      valid_source_name(e->node->as_string()->get()))
      prefix = "source." + e->node->as_string()->get();

    sdk::OptionValues core;
    std::map<std::string, Location> where;
    apply_specs(entries, core_source_options(), {prefix, source.where, "the agent", options.check_files}, core,
                where, diag);
    if (core.has("name")) {
      source.name = core.str("name");
      if (!valid_source_name(source.name)) {
        diag.error(where["name"], prefix + ".name",
                   "must be 1 to 64 lower-case letters, digits, '_' or '-', e.g. \"constancias\"");
      } else if (auto [it, fresh] = first_seen.emplace(source.name, where["name"]); !fresh) {
        diag.error(where["name"], prefix + ".name",
                   "duplicate source name: already used at " + it->second.str() +
                       "; every source needs a name of its own");
      }
    }
    if (core.has("enabled")) source.enabled = core.boolean("enabled");
    if (core.has("role")) {
      source.role = core.str("role");
      if (source.role != "evidence" && source.role != "census")
        diag.error(where["role"], prefix + ".role",
                   "unknown role " + quoted(source.role) + ": expected \"evidence\" or \"census\"" +
                       (suggest(source.role, {"evidence", "census"}).empty()
                            ? std::string()
                            : ": did you mean '" + suggest(source.role, {"evidence", "census"}) + "'?"));
    }
    if (core.has("interval")) {
      source.interval = core.duration("interval");
      if (source.interval < std::chrono::seconds(1))
        diag.error(where.count("interval") ? where["interval"] : source.where, prefix + ".interval",
                   "must be at least 1s, e.g. \"5m\"");
    }

    const sdk::Plugin* plugin = nullptr;
    if (core.has("plugin")) {
      source.plugin = core.str("plugin");
      plugin = find_plugin(plugins, source.plugin);
      // A disabled source may name a plugin this host does not have (it is
      // kept for another host, or until the plugin is installed).
      if (plugin == nullptr && source.enabled)
        diag.error(where["plugin"], prefix + ".plugin", unknown_plugin_message(source.plugin, plugins, options));
      else if (plugin == nullptr)
        diag.warning(where["plugin"], prefix + ".plugin",
                     unknown_plugin_message(source.plugin, plugins, options) + "; the source is disabled");
    }
    if (plugin != nullptr) {
      // A plugin's option named like a core key would be shadowed; the
      // registry refuses such plugins, this guards plugins handed in directly.
      std::vector<sdk::OptionSpec> specs;
      for (const auto& spec : plugin->options())
        if (std::find(core_names.begin(), core_names.end(), spec.name) == core_names.end()) specs.push_back(spec);
      std::vector<std::string> known = core_names;
      for (const auto& spec : specs) known.emplace_back(spec.name);
      report_unknown_keys(entries, known, prefix, diag);
      std::map<std::string, Location> plugin_where;
      apply_specs(entries, specs,
                  {prefix, source.where, "plugin '" + source.plugin + "'", options.check_files}, source.options,
                  plugin_where, diag);
    }
    out.push_back(std::move(source));
  }
}

}  // namespace sseccoe::core::config_detail
