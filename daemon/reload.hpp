// Reading the configuration again for a running service (SIGHUP, `systemctl
// reload`). Everything that can fail is done here, before the running
// workers are touched: loading and validating (the loader check-config
// uses), refusing what only a restart can change, loading the catalog,
// compiling the rules, creating each source on a scratch directory and
// reading the registry token. Only a plan that passed all of that replaces
// the running set.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "context.hpp"
#include "workers.hpp"

namespace sseccoe::agent {

// The [agent] keys a reload cannot apply, each with what to do; empty when
// none changed. state_dir, institution and program are the store's identity
// (record ids hash the institution); plugin_dir and timezone are read once,
// before any thread starts.
std::vector<std::string> restart_only_changes(const core::AgentSection& running, const core::AgentSection& next);

// One line for the log: which sources were added and removed, whether the
// registry or the rules changed.
std::string describe_changes(const core::Config& running, const core::Config& next);

// The catalog a configuration names: catalog_file, or the program's
// catalog installed beside the binary (as Context::catalog_path()).
std::string catalog_path_for(const core::Config& config);

// The blueprint of the new configuration, or nullopt after logging every
// reason it cannot be applied (each configuration error with its
// file:line:column). The running set is not touched either way.
std::optional<Blueprint> plan_reload(Context& ctx, const Blueprint& running, store::Store& store);

}  // namespace sseccoe::agent
