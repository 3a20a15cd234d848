// Internal to the configuration loader: checking one TOML table against an
// option table (the core's [agent], [registry] and common source options, or
// a plugin's own). The same code types a user's value and a table default.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/diagnostics.hpp"
#include "sseccoe/sdk/options.hpp"

namespace sseccoe::core::config_detail {

// One key = value as written. A table assembled from several files (e.g.
// [agent] in agent.toml and conf.d/) lists them in file order; the last
// occurrence of a name wins.
struct Entry {
  std::string name;
  const toml::key* key;
  const toml::node* node;
};
using Entries = std::vector<Entry>;

Entries entries_of(const toml::table& table);

// The last occurrence of `name`, or null.
const Entry* find_entry(const Entries& entries, const std::string& name);

// Reports every key not in `known`, with "did you mean ...?" when one is
// close, and the secrets rule when a "<name>_file" option exists.
void report_unknown_keys(const Entries& entries, const std::vector<std::string>& known, const std::string& prefix,
                         Diagnostics& diag);

struct TableContext {
  std::string prefix;  // "agent", "source.constancias": option paths are prefix.name
  Location where;      // the table itself, for "required" errors
  std::string owner;   // who wrote `specs` ("plugin 'folder'"), for a broken default
  bool check_files = true;
};

// Types each option of `specs` found in `entries`, fills in defaults, and
// reports required options that are missing. Path values are made absolute
// against the file that sets them; secret files are checked to exist (never
// read). `where` receives the location of every value that was written.
void apply_specs(const Entries& entries, std::span<const sdk::OptionSpec> specs, const TableContext& context,
                 sdk::OptionValues& out, std::map<std::string, Location>& where, Diagnostics& diag);

std::vector<std::string> names_of(std::span<const sdk::OptionSpec> specs);

// `name = <example>`, for "add ..." hints and generated docs.
std::string example_assignment(const sdk::OptionSpec& spec);

}  // namespace sseccoe::core::config_detail
