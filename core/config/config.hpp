// The agent's configuration: /etc/sseccoe-agent/agent.toml plus conf.d/*.toml
// drop-ins, parsed with toml++ (which reports line and column), validated
// against the core's own option tables and each plugin's table.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plugins/plugin_registry.hpp"
#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::core {

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
  // Free space harvesting keeps on the state disk (bytes); unset: 64 MiB, or
  // 1/20 of the filesystem when that is smaller (store/disk_space.hpp).
  std::optional<std::uint64_t> min_free_space;
  std::string metrics_file;  // Prometheus textfile; empty: <state_dir>/metrics.prom
  std::string templates_dir;  // the operator's certificate templates, before <datadir>/templates
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
  std::string role = "evidence";               // or "census" (sdk::SourceConfig::role)
  sdk::OptionValues options;  // the plugin's own options, typed and defaulted
  Location where;
};

struct RuleSection {
  int index = 0;        // 1-based position in file order (first match wins)
  std::string source;   // empty: any source
  std::string glob;     // match.glob on the natural key; empty: any
  std::map<std::string, std::string> regex;  // match.<field> = regex on metadata[field]
  std::string attachment;  // match.attachment: a glob on each line of metadata "attachment"
  // Which content roles the record cites ("file", "message", "attachment",
  // "acuse", ...); empty: the default for its kind (see rules.hpp).
  std::vector<std::string> files;
  // A metadata field whose value names one record for several items (a mail
  // "thread": a consultation and its answer); empty: one record per item.
  std::string group_by;
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
  // Worth saying but not fatal: a secret file readable by everyone, a
  // ${CREDENTIALS_DIRECTORY} path that cannot be checked outside systemd.
  std::vector<ConfigError> warnings;
  bool ok() const { return errors.empty(); }
};

// What the caller knows that the configuration is checked against.
struct LoadOptions {
  // Evidence kinds a rule may name (e.g. from the catalog); empty: any
  // well-formed kind.
  std::vector<std::string> known_kinds;
  // Activity keys a rule may name (e.g. "1.1.1" from the catalog); empty: any
  // well-formed key.
  std::vector<std::string> known_activities;
  // Check that secret files, ca_file and catalog_file exist and are readable
  // (their contents are never read here).
  bool check_files = true;
  // Read <dir of path>/conf.d/*.toml.
  bool read_drop_ins = true;
  // A larger file is refused before it is parsed: an agent.toml is a few KiB,
  // so a big one is the wrong file, not a configuration.
  std::size_t max_file_bytes = 1024 * 1024;
  // A note appended to "unknown plugin" errors, e.g. that some plugin
  // libraries failed to load.
  std::string plugin_hint;
};

// Reads `path` and, when present, every `<dir of path>/conf.d/*.toml` in name
// order. [[source]] and [[rule]] arrays concatenate across files; [agent] and
// [registry] keys in later files override earlier ones. Every problem is
// collected (not just the first) with file, line, column and option.
// Relative paths in path-typed options are resolved against the directory of
// the file that sets them.
ConfigResult load_config(const std::string& path, const std::vector<const sdk::Plugin*>& plugins,
                         const LoadOptions& options = {});

// The same, with the plugins a registry loaded. Inline, so that
// sseccoe_config itself needs no link to sseccoe_plugins: whoever holds a
// registry already links it.
inline ConfigResult load_config(const std::string& path, const PluginRegistry& plugins,
                                LoadOptions options) {
  if (options.plugin_hint.empty() && !plugins.problems().empty())
    options.plugin_hint = "some plugin libraries failed to load: run 'sseccoe-agent plugins list'";
  return load_config(path, plugins.all(), options);
}

inline ConfigResult load_config(const std::string& path, const PluginRegistry& plugins) {
  return load_config(path, plugins, LoadOptions{});
}

// [agent] plugin_dir as written in `path` or its drop-ins (resolved against
// the file that sets it), without validating anything else: the plugins must
// be loaded before the rest of the configuration can be checked. Empty when
// unset or unreadable (load_config then reports why).
std::string configured_plugin_dir(const std::string& path);

// Checks a rule's glob ("**/*.pdf"): empty when well-formed, else what is
// wrong. The syntax is sdk::glob_match's ('*', '**', '?', '[abc]', '[a-z]',
// '[!abc]'); on top of sdk::glob_error this refuses what that matcher would
// accept but never match: a leading '/', a backslash used as an escape or a
// Windows separator, and '{a,b}' alternatives.
std::string check_glob(const std::string& glob);

// Checks a title or attribute template ("{stem} {meta.subject}"): empty when
// well-formed, else what is wrong. '{{' and '}}' stand for literal braces.
std::string check_template(const std::string& text);

// Parses a value written in TOML syntax against an option type, as used for
// both option-table defaults and users' values. Throws std::invalid_argument.
// For string, path, duration and size a bare word is accepted as well
// ("30s" as much as "\"30s\""), since that is how option tables write defaults.
sdk::OptionValue parse_duration_or_size(sdk::OptionType type, const std::string& text);

// The two unit grammars on their own. Durations: "250ms", "30s", "5m", "2h",
// "1d" or a bare number of seconds ("30"). Sizes: bytes ("512", "512B") or
// binary units "KiB", "MiB", "GiB", "TiB" (also "K", "M", "G", "T", as in
// systemd: 1024-based); "KB", "MB", "GB" are refused as ambiguous. Both throw
// std::invalid_argument with a message that says what is accepted.
std::chrono::milliseconds parse_duration(const std::string& text);
std::uint64_t parse_size(const std::string& text);

// The closest candidate by edit distance, or "" when nothing is close.
std::string suggest(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace sseccoe::core
