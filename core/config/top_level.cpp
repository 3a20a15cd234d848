#include <algorithm>

#include "config/schema.hpp"
#include "config/sections.hpp"

namespace sseccoe::core::config_detail {

namespace {

const std::vector<std::string> kSections = {"agent", "registry", "source", "rule"};

bool declared_in(std::span<const sdk::OptionSpec> specs, const std::string& name) {
  return std::any_of(specs.begin(), specs.end(), [&](const auto& s) { return s.name == name; });
}

void single_table(const std::string& name, const toml::key& key, const toml::node& node, Entries& entries,
                  Location& where, bool& seen, Diagnostics& diag) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    diag.error(location_of(key), name,
               node.is_array() ? "write [" + name + "] (single brackets): there is only one " + name + " section"
                               : "must be a table: write [" + name + "] on a line of its own, its keys below it");
    return;
  }
  if (!seen) {
    where = location_of(node);
    seen = true;
  }
  for (auto&& e : entries_of(*table)) entries.push_back(e);
}

void array_of_tables(const std::string& name, const toml::key& key, const toml::node& node,
                     std::vector<const toml::table*>& out, Diagnostics& diag) {
  const auto* array = node.as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    if (array != nullptr && array->empty()) return;  // "source = []": none, and that is what it says
    diag.error(location_of(key), name,
               "write each " + name + " as its own [[" + name + "]] table (double brackets)" +
                   (name == "source" ? ", with name = \"...\" and plugin = \"...\" below it" : ""));
    return;
  }
  for (const auto& element : *array) out.push_back(element.as_table());
}

}  // namespace

TopLevel gather_top_level(const std::vector<ParsedFile>& files, Diagnostics& diag) {
  TopLevel top;
  for (const auto& file : files) {
    for (auto&& [key, node] : file.root) {
      const std::string name(key.str());
      if (name == "agent") {
        single_table(name, key, node, top.agent, top.agent_where, top.has_agent, diag);
      } else if (name == "registry") {
        single_table(name, key, node, top.registry, top.registry_where, top.has_registry, diag);
      } else if (name == "source" || name == "rule") {
        array_of_tables(name, key, node, name == "source" ? top.sources : top.rules, diag);
      } else if (!node.is_table() && !node.is_array() && declared_in(kAgentOptions, name)) {
        diag.error(location_of(key), name, "belongs in the [agent] section: move it below the [agent] line");
      } else if (!node.is_table() && !node.is_array() && declared_in(kRegistryOptions, name)) {
        diag.error(location_of(key), name,
                   "belongs in the [registry] section: move it below the [registry] line");
      } else {
        std::string message = node.is_table() || node.is_array() ? "unknown section" : "unknown top-level key";
        const std::string close = suggest(name, kSections);
        message += close.empty() ? " (sections are [agent], [registry], [[source]] and [[rule]])"
                                 : ": did you mean '" + close + "'?";
        diag.error(location_of(key), name, message);
      }
    }
  }
  return top;
}

}  // namespace sseccoe::core::config_detail
