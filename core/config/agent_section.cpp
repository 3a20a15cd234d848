// [agent]: who the agent files evidence for, and where it keeps its state.
#include <sys/statvfs.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "sseccoe/sdk/regex.hpp"
#include "config/files_check.hpp"
#include "config/schema.hpp"
#include "config/sections.hpp"

namespace sseccoe::core::config_detail {

namespace {

const std::vector<std::string> kLogLevels = {"trace", "debug", "info", "warn", "error"};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Location at(const std::map<std::string, Location>& where, const std::string& name, const Location& fallback) {
  auto it = where.find(name);
  return it == where.end() ? fallback : it->second;
}

std::string zoneinfo_dir() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

void check_timezone(const std::string& tz, const Location& where, Diagnostics& diag) {
  static const sdk::Regex shape = sdk::Regex::compile("[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*", false);
  if (!shape.full_match(tz)) {
    diag.error(where, "agent.timezone",
               "is not a time zone name: write an IANA name such as \"America/Mexico_City\", or remove the "
               "key to use the machine's");
    return;
  }
  // Without a zone database on this machine the name cannot be checked here;
  // the daemon reports it when it resolves the zone.
  std::error_code ec;
  const std::filesystem::path db(zoneinfo_dir());
  if (!std::filesystem::is_directory(db, ec)) return;
  if (!std::filesystem::is_regular_file(db / tz, ec))
    diag.error(where, "agent.timezone",
               "unknown time zone " + quoted(tz) + " (not in " + db.string() +
                   "): write an IANA name such as \"America/Mexico_City\"");
}

// Below this, SQLite's journal and the syncer's bookkeeping could not be
// written even while harvesting is paused.
constexpr std::uint64_t kMinFreeSpaceFloor = 1ULL << 20;

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

// A reserve as large as the whole state filesystem would keep harvesting
// paused for ever: worth a warning. The state directory may not exist yet
// (first start): its nearest existing parent is on the same filesystem.
void check_min_free_space(std::uint64_t bytes, const std::string& state_dir, const Location& where,
                          Diagnostics& diag) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(state_dir, ec);
  if (ec) return;
  while (!std::filesystem::exists(dir, ec) && dir.has_parent_path() && dir != dir.parent_path())
    dir = dir.parent_path();
  struct statvfs st{};
  if (::statvfs(dir.c_str(), &st) != 0) return;
  const std::uint64_t total = static_cast<std::uint64_t>(st.f_blocks) * (st.f_frsize ? st.f_frsize : st.f_bsize);
  if (total > 0 && bytes >= total)
    diag.warning(where, "agent.min_free_space",
                 "is " + mib(bytes) + ", not less than the whole filesystem of state_dir (" + mib(total) +
                     "): harvesting would stay paused; lower it or move state_dir to a larger disk");
}

void check_metrics_file(const std::string& path, bool check_files, const Location& where, Diagnostics& diag) {
  const std::filesystem::path p(path);
  std::error_code ec;
  if (!p.has_filename() || std::filesystem::is_directory(p, ec)) {
    diag.error(where, "agent.metrics_file",
               quoted(path) + " is a directory: name the file, e.g. \"/var/lib/prometheus/node-exporter/sseccoe.prom\"");
    return;
  }
  // node_exporter's textfile collector reads only "*.prom" files.
  if (p.extension() != ".prom")
    diag.warning(where, "agent.metrics_file",
                 quoted(path) + " does not end in \".prom\": node_exporter's textfile collector would ignore it");
  if (!check_files) return;
  if (!std::filesystem::is_directory(p.parent_path(), ec))
    diag.error(where, "agent.metrics_file",
               "the directory " + p.parent_path().string() +
                   " does not exist: create it (writable by the agent, readable by node_exporter) or remove the "
                   "key to write <state_dir>/metrics.prom");
}

}  // namespace

void validate_agent(const TopLevel& top, const std::string& main_file, const LoadOptions& options,
                    AgentSection& out, Diagnostics& diag) {
  if (!top.has_agent) {
    diag.error({main_file, 0, 0}, "agent",
               "the [agent] section is missing: add [agent] with institution = \"...\" (e.g. \"INM\") and "
               "program = \"...\" (e.g. \"PAT-2021\")");
    return;
  }
  report_unknown_keys(top.agent, names_of(kAgentOptions), "agent", diag);
  sdk::OptionValues values;
  std::map<std::string, Location> where;
  apply_specs(top.agent, kAgentOptions, {"agent", top.agent_where, "the agent", options.check_files}, values,
              where, diag);

  if (values.has("institution")) {
    out.institution = values.str("institution");
    static const sdk::Regex code = sdk::Regex::compile("[A-Z0-9]{1,32}", false);
    if (!code.full_match(out.institution)) {
      std::string message = "must be the institution's code in upper-case letters and digits, e.g. \"INM\"";
      if (code.full_match(upper(out.institution))) message += ": write " + quoted(upper(out.institution));
      diag.error(at(where, "institution", top.agent_where), "agent.institution", message);
    }
  }
  if (values.has("program")) {
    out.program = values.str("program");
    static const sdk::Regex name = sdk::Regex::compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}", false);
    if (!name.full_match(out.program))
      diag.error(at(where, "program", top.agent_where), "agent.program",
                 "must be a program name of letters, digits, '.', '_' and '-', e.g. \"PAT-2021\"");
  }
  // A value that failed to convert was reported and is absent from `values`:
  // the struct's default then stands.
  if (values.has("state_dir")) out.state_dir = values.str("state_dir");
  if (values.has("min_free_space")) {
    const std::uint64_t bytes = values.size("min_free_space");
    const Location loc = at(where, "min_free_space", top.agent_where);
    if (bytes < kMinFreeSpaceFloor) {
      diag.error(loc, "agent.min_free_space",
                 "must be at least 1MiB: SQLite's journal and the syncer need that much room even while "
                 "harvesting is paused (remove the key for the default: 64MiB, or 1/20 of a smaller disk)");
    } else {
      out.min_free_space = bytes;
      if (options.check_files) check_min_free_space(bytes, out.state_dir, loc, diag);
    }
  }
  if (values.has("metrics_file") && !values.str("metrics_file").empty()) {
    out.metrics_file = values.str("metrics_file");
    check_metrics_file(out.metrics_file, options.check_files, at(where, "metrics_file", top.agent_where), diag);
  }
  if (values.has("catalog_file")) {
    out.catalog_file = values.str("catalog_file");
    if (options.check_files)
      check_readable_file(out.catalog_file, at(where, "catalog_file", top.agent_where), "agent.catalog_file",
                          false, diag);
  }
  if (values.has("plugin_dir")) out.plugin_dir = values.str("plugin_dir");
  if (values.has("templates_dir")) {
    out.templates_dir = values.str("templates_dir");
    std::error_code ec;
    if (options.check_files && !std::filesystem::is_directory(out.templates_dir, ec))
      diag.error(at(where, "templates_dir", top.agent_where), "agent.templates_dir",
                 "is not a directory: " + out.templates_dir + " (create it, or remove the option)");
  }
  if (values.has("log_level")) out.log_level = values.str("log_level");
  if (std::find(kLogLevels.begin(), kLogLevels.end(), out.log_level) == kLogLevels.end()) {
    const std::string close = suggest(out.log_level, kLogLevels);
    diag.error(at(where, "log_level", top.agent_where), "agent.log_level",
               "must be one of trace, debug, info, warn, error" +
                   (close.empty() ? std::string() : ": did you mean '" + close + "'?"));
  }
  if (values.has("timezone")) {
    out.timezone = values.str("timezone");
    check_timezone(out.timezone, at(where, "timezone", top.agent_where), diag);
  }
}

}  // namespace sseccoe::core::config_detail
