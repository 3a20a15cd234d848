#include "plugins/plugin_check.hpp"

#include <algorithm>
#include <set>

#include "plugins/source_options.hpp"

namespace sseccoe::core {

namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool valid_plugin_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) { return is_lower_alnum(c) || c == '_' || c == '-'; });
}

bool valid_option_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 && name.front() >= 'a' && name.front() <= 'z' &&
         std::all_of(name.begin(), name.end(), [](char c) { return is_lower_alnum(c) || c == '_'; });
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string check_plugin(const sdk::Plugin& plugin) {
  if (plugin.abi_version() != sdk::kAbiVersion)
    return "built for plugin ABI version " + std::to_string(plugin.abi_version()) + ", this agent speaks version " +
           std::to_string(sdk::kAbiVersion) + ": rebuild the plugin against this agent's SDK";
  const std::string_view name = plugin.name();
  if (!valid_plugin_name(name))
    return "has an invalid name '" + std::string(name) +
           "': plugin names are 1 to 64 lower-case letters, digits, '_' or '-'";
  if (plugin.description().empty()) return "plugin '" + std::string(name) + "' has no description";
  std::set<std::string_view> seen;
  for (const auto& spec : plugin.options()) {
    const std::string option = "plugin '" + std::string(name) + "' option '" + std::string(spec.name) + "'";
    if (!valid_option_name(spec.name))
      return option + ": option names are lower-case letters, digits and '_', starting with a letter";
    if (!seen.insert(spec.name).second) return option + " is declared twice";
    for (const auto& core : core_source_options())
      if (core.name == spec.name) return option + " has the name of an option every source has";
    if (spec.secret && (spec.type != sdk::OptionType::Path || !ends_with(spec.name, "_file")))
      return option + " is secret, so it must be a path option whose name ends in \"_file\"";
    if (spec.required && !spec.default_value.empty())
      return option + " is required and has a default: make it one or the other";
  }
  return {};
}

}  // namespace sseccoe::core
