#include "config/option_table.hpp"

#include <algorithm>
#include <stdexcept>

#include "config/config.hpp"
#include "config/files.hpp"
#include "config/files_check.hpp"
#include "config/values.hpp"

namespace sseccoe::core::config_detail {

Entries entries_of(const toml::table& table) {
  Entries out;
  for (auto&& [k, v] : table) out.push_back({std::string(k.str()), &k, &v});
  return out;
}

const Entry* find_entry(const Entries& entries, const std::string& name) {
  const Entry* found = nullptr;
  for (const auto& e : entries)
    if (e.name == name) found = &e;
  return found;
}

std::vector<std::string> names_of(std::span<const sdk::OptionSpec> specs) {
  std::vector<std::string> out;
  for (const auto& s : specs) out.emplace_back(s.name);
  return out;
}

void report_unknown_keys(const Entries& entries, const std::vector<std::string>& known, const std::string& prefix,
                         Diagnostics& diag) {
  for (const auto& e : entries) {
    if (std::find(known.begin(), known.end(), e.name) != known.end()) continue;
    const std::string option = prefix.empty() ? e.name : prefix + "." + e.name;
    const std::string as_file = e.name + "_file";
    std::string message;
    if (std::find(known.begin(), known.end(), as_file) != known.end()) {
      // The value is deliberately not repeated: it is probably the secret.
      message = "unknown option; secrets are never written in the configuration: put it in a file (mode 0600) "
                "and set '" + as_file + "' to its path";
    } else {
      message = "unknown option";
      const std::string close = suggest(e.name, known);
      if (!close.empty())
        message += ": did you mean '" + close + "'?";
      else if (!known.empty())
        message += " (known here: " + [&] {
          std::string list;
          for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
          return list;
        }() + ")";
    }
    diag.error(location_of(*e.key), option, message);
  }
}

std::string example_assignment(const sdk::OptionSpec& spec) {
  using sdk::OptionType;
  const std::string name(spec.name);
  switch (spec.type) {
    case OptionType::String: return name + " = \"...\"";
    case OptionType::Path:
      return name + (spec.secret ? " = \"/etc/sseccoe-agent/" + name.substr(0, name.size() - 5) + ".secret\""
                                 : " = \"/path/to/" + name + "\"");
    case OptionType::Integer: return name + " = 1";
    case OptionType::Boolean: return name + " = true";
    case OptionType::Duration: return name + " = \"5m\"";
    case OptionType::Size: return name + " = \"10MiB\"";
    case OptionType::StringList: return name + " = [\"...\"]";
    case OptionType::StringMap: return name + " = { field = \"Header\" }";
  }
  return name + " = ...";
}

namespace {

void finish_path(sdk::OptionValue& value, const sdk::OptionSpec& spec, const toml::node& node,
                 const std::string& option, const TableContext& context, Diagnostics& diag) {
  std::string path = std::get<std::string>(value);
  const Location where = location_of(node);
  const bool checkable = expand_credentials(path, where, option, diag);
  if (checkable && node.source().path) path = resolve_path(path, *node.source().path);
  value = path;
  if (spec.secret && checkable && context.check_files) check_readable_file(path, where, option, true, diag);
}

}  // namespace

void apply_specs(const Entries& entries, std::span<const sdk::OptionSpec> specs, const TableContext& context,
                 sdk::OptionValues& out, std::map<std::string, Location>& where, Diagnostics& diag) {
  for (const auto& spec : specs) {
    const std::string name(spec.name);
    const std::string option = context.prefix.empty() ? name : context.prefix + "." + name;
    if (const Entry* e = find_entry(entries, name)) {
      const Location at = location_of(*e->node);
      Conversion c = convert_value(*e->node, spec.type, spec.secret);
      if (!c.value) {
        diag.error(at, option, c.error);
        continue;
      }
      if (spec.type == sdk::OptionType::Path) finish_path(*c.value, spec, *e->node, option, context, diag);
      out.set(name, std::move(*c.value));
      where[name] = at;
      continue;
    }
    if (spec.required) {
      diag.error(context.where, option,
                 "required option is missing: add " + example_assignment(spec) +
                     (spec.doc.empty() ? std::string() : " (" + std::string(spec.doc) + ")"));
      continue;
    }
    if (spec.default_value.empty()) continue;
    try {
      out.set(name, parse_duration_or_size(spec.type, std::string(spec.default_value)));
    } catch (const std::invalid_argument& e) {
      // The table's author's bug, not the operator's; the operator can still
      // get going by setting the option.
      diag.error(context.where, option,
                 context.owner + " declares an invalid default for this option (" + e.what() +
                     "): set it explicitly, and report the bug");
    }
  }
}

}  // namespace sseccoe::core::config_detail
