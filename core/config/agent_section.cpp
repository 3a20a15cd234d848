// [agent]: who the agent files evidence for, and where it keeps its state.
#include <cstdlib>
#include <filesystem>
#include <regex>

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
  static const std::regex shape("[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*");
  if (!std::regex_match(tz, shape)) {
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
    static const std::regex code("[A-Z0-9]{1,32}");
    if (!std::regex_match(out.institution, code)) {
      std::string message = "must be the institution's code in upper-case letters and digits, e.g. \"INM\"";
      if (std::regex_match(upper(out.institution), code)) message += ": write " + quoted(upper(out.institution));
      diag.error(at(where, "institution", top.agent_where), "agent.institution", message);
    }
  }
  if (values.has("program")) {
    out.program = values.str("program");
    static const std::regex name("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    if (!std::regex_match(out.program, name))
      diag.error(at(where, "program", top.agent_where), "agent.program",
                 "must be a program name of letters, digits, '.', '_' and '-', e.g. \"PAT-2021\"");
  }
  // A value that failed to convert was reported and is absent from `values`:
  // the struct's default then stands.
  if (values.has("state_dir")) out.state_dir = values.str("state_dir");
  if (values.has("catalog_file")) {
    out.catalog_file = values.str("catalog_file");
    if (options.check_files)
      check_readable_file(out.catalog_file, at(where, "catalog_file", top.agent_where), "agent.catalog_file",
                          false, diag);
  }
  if (values.has("plugin_dir")) out.plugin_dir = values.str("plugin_dir");
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
