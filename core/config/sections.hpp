// Internal to the configuration loader: one function per kind of section.
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/diagnostics.hpp"
#include "config/files.hpp"
#include "config/option_table.hpp"

namespace sseccoe::core::config_detail {

// The top level of every file, sorted into its sections. [agent] and
// [registry] keys from all files are listed in file order (the last wins);
// [[source]] and [[rule]] tables are concatenated.
struct TopLevel {
  Entries agent, registry;
  Location agent_where, registry_where;  // the first [agent] / [registry] header
  bool has_agent = false, has_registry = false;
  std::vector<const toml::table*> sources, rules;
};

TopLevel gather_top_level(const std::vector<ParsedFile>& files, Diagnostics& diag);

void validate_agent(const TopLevel& top, const std::string& main_file, const LoadOptions& options,
                    AgentSection& out, Diagnostics& diag);
void validate_registry(const TopLevel& top, const LoadOptions& options, RegistrySection& out, Diagnostics& diag);
void validate_sources(const TopLevel& top, const std::vector<const sdk::Plugin*>& plugins,
                      const LoadOptions& options, std::vector<SourceSection>& out, Diagnostics& diag);
void validate_rules(const TopLevel& top, const std::vector<SourceSection>& sources, const LoadOptions& options,
                    std::vector<RuleSection>& out, Diagnostics& diag);

// Empty when `url` may be used for the registry, else what is wrong and what
// to write instead.
std::string check_registry_url(const std::string& url);

}  // namespace sseccoe::core::config_detail
