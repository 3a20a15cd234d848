// The agent's configuration: /etc/sseccoe-agent/agent.toml plus conf.d/*.toml
// drop-ins, parsed with toml++ (which reports line and column), validated
// against the core's own option tables and each plugin's table.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sseccoe/sdk/options.hpp"

namespace sseccoe::core {

class PluginRegistry;

struct Location {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:column" (parts omitted when unknown)
};

struct ConfigError {
  Location where;
  std::string option;   // "source.constancias.incldue", "rule[2].activity", ...
  std::string message;  // what is wrong and what to do ("did you mean 'include'?")
  std::string str() const;  // "file:line:col: option: message"
};

struct AgentSection {
  std::string institution;   // required, e.g. "INM"
  std::string program;       // required, e.g. "PAT-2021"
  std::string state_dir = "/var/lib/sseccoe-agent";
  std::string catalog_file;  // default: <datadir>/catalog/<program>.json, resolved by the daemon
  std::string plugin_dir;    // default: <exe>/../lib/sseccoe-agent/plugins
  std::string log_level = "info";
  std::string timezone;      // for mtime -> date; empty: the machine's
};

struct RegistrySection {
  std::string url;         // empty: no sync (harvest and classify only)
  std::string token_file;  // secret: a file or a systemd credential path
  std::string ca_file;     // extra CA bundle; TLS is always verified
  std::chrono::milliseconds timeout{30000};
  std::chrono::milliseconds retry_initial{1000};
  std::chrono::milliseconds retry_max{300000};
  int concurrency = 2;
  Location where;
};

struct SourceSection {
  std::string name;    // unique
  std::string plugin;  // a loaded plugin's name
  bool enabled = true;
  std::chrono::milliseconds interval{300000};  // poll interval when not told of changes
  sdk::OptionValues options;  // the plugin's own options, typed and defaulted
  Location where;
};

struct RuleSection {
  int index = 0;        // 1-based position in file order (first match wins)
  std::string source;   // empty: any source
  std::string glob;     // match.glob on the natural key; empty: any
  std::map<std::string, std::string> regex;  // match.<field> = regex on metadata[field]
  std::string kind;
  std::string activity;
  std::string title;    // template, "{stem}" "{name}" "{path}" "{meta.subject}"; empty: the file name
  std::map<std::string, std::string> attributes;  // attribute templates
  Location where;
};

struct Config {
  AgentSection agent;
  RegistrySection registry;
  std::vector<SourceSection> sources;
  std::vector<RuleSection> rules;
  std::vector<std::string> files;  // every file read, in order
};

struct ConfigResult {
  Config config;
  std::vector<ConfigError> errors;  // empty: valid
  bool ok() const { return errors.empty(); }
};

// Reads `path` and, when present, every `<dir of path>/conf.d/*.toml` in name
// order. [[source]] and [[rule]] arrays concatenate across files; [agent] and
// [registry] keys in later files override earlier ones. Every problem is
// collected (not just the first) with file, line, column and option.
ConfigResult load_config(const std::string& path, const PluginRegistry& plugins);

// Parses a value written in TOML syntax against an option type, as used for
// both option-table defaults and users' values. Throws std::invalid_argument.
sdk::OptionValue parse_duration_or_size(sdk::OptionType type, const std::string& text);

// The closest candidate by edit distance, or "" when nothing is close.
std::string suggest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sseccoe::core
