#include "reload.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace sseccoe::agent {

namespace {

void refuse_change(std::vector<std::string>& out, const std::string& key, const std::string& before,
                   const std::string& after, const std::string& why) {
  if (before == after) return;
  out.push_back("[agent] " + key + " changed from \"" + before + "\" to \"" + after + "\": restart the service to change " +
                key + " (" + why + ")");
}

std::set<std::string> enabled_sources(const core::Config& c) {
  std::set<std::string> out;
  for (const auto& s : c.sources)
    if (s.enabled) out.insert(s.name);
  return out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool same_registry(const core::RegistrySection& a, const core::RegistrySection& b) {
  return a.url == b.url && a.token_file == b.token_file && a.ca_file == b.ca_file && a.timeout == b.timeout &&
         a.retry_initial == b.retry_initial && a.retry_max == b.retry_max && a.concurrency == b.concurrency;
}

void log_refusal(const std::string& why) {
  spdlog::error("reload refused, the running configuration stays: {}", why);
}

std::optional<Blueprint> plan(Context& ctx, const Blueprint& running, store::Store& store);

}  // namespace

std::vector<std::string> restart_only_changes(const core::AgentSection& running, const core::AgentSection& next) {
  std::vector<std::string> out;
  refuse_change(out, "state_dir", running.state_dir, next.state_dir,
                "the store stays open and locked while the service runs");
  refuse_change(out, "institution", running.institution, next.institution,
                "it is part of every record id; a change makes every item a new record");
  refuse_change(out, "program", running.program, next.program, "records already stored belong to the running one");
  refuse_change(out, "plugin_dir", running.plugin_dir, next.plugin_dir, "plugins are loaded when the service starts");
  refuse_change(out, "timezone", running.timezone, next.timezone,
                "the time zone is set once, before the threads that use it start");
  return out;
}

std::string describe_changes(const core::Config& running, const core::Config& next) {
  const auto before = enabled_sources(running), after = enabled_sources(next);
  std::vector<std::string> added, removed;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(removed));
  std::string text = std::to_string(after.size()) + " source(s)";
  if (!added.empty()) text += ", added: " + join(added);
  if (!removed.empty()) text += ", removed: " + join(removed);
  text += "; " + std::to_string(next.rules.size()) + " rule(s)";
  if (next.rules.size() != running.rules.size()) text += " (were " + std::to_string(running.rules.size()) + ")";
  if (next.registry.url.empty()) text += "; registry not configured";
  else if (!same_registry(running.registry, next.registry)) text += "; registry settings changed";
  return text;
}

std::string catalog_path_for(const core::Config& config) {
  if (!config.agent.catalog_file.empty()) return config.agent.catalog_file;
  return std::filesystem::weakly_canonical(exe_dir() + "/../share/sseccoe-agent/catalog/" + config.agent.program +
                                           ".json")
      .string();
}

std::optional<Blueprint> plan_reload(Context& ctx, const Blueprint& running, store::Store& store) {
  try {
    return plan(ctx, running, store);
  } catch (const std::exception& e) {
    // Whatever went wrong, nothing was touched yet: the service runs on.
    log_refusal(e.what());
    return std::nullopt;
  }
}

namespace {

std::optional<Blueprint> plan(Context& ctx, const Blueprint& running, store::Store& store) {
  core::ConfigResult result = ctx.load_config_result();
  for (const auto& w : result.warnings) spdlog::warn("reload: {}", w.str());
  if (!result.ok()) {
    for (const auto& e : result.errors) spdlog::error("reload: {}", e.str());
    log_refusal("the configuration has " + std::to_string(result.errors.size()) +
                " error(s); fix them ('sseccoe-agent check-config' lists them) and reload again");
    return std::nullopt;
  }
  const auto restart_only = restart_only_changes(running.config->agent, result.config.agent);
  if (!restart_only.empty()) {
    for (const auto& why : restart_only) spdlog::error("reload: {}", why);
    log_refusal("put the key(s) back or restart the service");
    return std::nullopt;
  }
  // The catalog is read again even from the same path: `catalog import` may
  // have replaced it.
  const std::string path = catalog_path_for(result.config);
  std::shared_ptr<const model::Catalog> catalog;
  try {
    catalog = std::make_shared<const model::Catalog>(model::load_catalog_file(path));
  } catch (const std::exception& e) {
    log_refusal(std::string("cannot load the catalog: ") + e.what());
    return std::nullopt;
  }
  if (catalog->program != result.config.agent.program) {
    log_refusal("the catalog " + path + " is for " + catalog->program + ", not " + result.config.agent.program);
    return std::nullopt;
  }
  // check-config refuses these; `run` starts with them and holds the
  // records they classify, so a reload does the same, but says so.
  for (const auto& r : result.config.rules) {
    if (!catalog->activity(r.activity))
      spdlog::warn("reload: {}: rule[{}].activity: {} is not an activity of {}: what it classifies is held",
                   r.where.str(), r.index, r.activity, catalog->program);
    else if (!catalog->allows(r.activity, r.kind))
      spdlog::warn("reload: {}: rule[{}].kind: activity {} does not take evidence of kind {}: what it classifies "
                   "is held",
                   r.where.str(), r.index, r.activity, r.kind);
  }
  Blueprint next = make_blueprint(std::move(result.config), std::move(catalog));
  try_blueprint(next, ctx.plugins(), store);  // throws what is wrong, caught by plan_reload
  return next;
}

}  // namespace

}  // namespace sseccoe::agent
