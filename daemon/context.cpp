#include "context.hpp"

#include <unistd.h>

#include <filesystem>

#include "catalog/evidence_map.hpp"

namespace sseccoe::agent {

std::string exe_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : p.parent_path().string();
}

core::PluginRegistry& Context::plugins() {
  if (!plugins_) {
    plugins_ = std::make_unique<core::PluginRegistry>();
    std::string dir = args_.plugin_dir.value_or("");
    // The configuration may name the plugin dir, but the configuration is
    // validated against the plugins: read just that key first.
    if (dir.empty()) dir = core::configured_plugin_dir(args_.config);
    if (dir.empty()) dir = core::PluginRegistry::default_directory();
    plugins_->load_directory(dir);
  }
  return *plugins_;
}

core::ConfigResult Context::load_config_result() {
  core::LoadOptions opts;
  opts.known_kinds = catalog::known_evidence_kinds();
  auto result = core::load_config(args_.config, plugins(), opts);
  if (args_.state_dir) result.config.agent.state_dir = *args_.state_dir;
  if (args_.log_level) result.config.agent.log_level = *args_.log_level;
  return result;
}

const core::Config& Context::config() {
  if (!config_) {
    auto result = load_config_result();
    if (!result.ok()) {
      std::string msg = "the configuration has " + std::to_string(result.errors.size()) + " error(s):";
      for (const auto& e : result.errors) msg += "\n  " + e.str();
      msg += "\nrun 'sseccoe-agent check-config' after fixing them";
      throw ConfigFailure(msg);
    }
    config_ = std::move(result.config);
  }
  return *config_;
}

std::string Context::catalog_path() {
  const auto& cfg = config();
  if (!cfg.agent.catalog_file.empty()) return cfg.agent.catalog_file;
  return std::filesystem::weakly_canonical(exe_dir() + "/../share/sseccoe-agent/catalog/" + cfg.agent.program + ".json")
      .string();
}

const model::Catalog& Context::catalog() {
  if (!catalog_) {
    std::string path = catalog_path();
    try {
      catalog_ = model::load_catalog_file(path);
    } catch (const std::exception& e) {
      throw ConfigFailure(std::string("cannot load the catalog of program ") + config().agent.program + ": " +
                          e.what() + "\nset [agent] catalog_file, or make one with 'sseccoe-agent catalog import PAT.txt'");
    }
    if (catalog_->program != config().agent.program)
      throw ConfigFailure("the catalog " + path + " is for " + catalog_->program + ", not " + config().agent.program);
  }
  return *catalog_;
}

const model::Catalog* Context::catalog_or_null() {
  try {
    return &catalog();
  } catch (const ConfigFailure&) {
    return nullptr;
  }
}

const core::RuleSet& Context::rules() {
  if (!rules_) rules_ = std::make_unique<core::RuleSet>(config().rules);
  return *rules_;
}

store::Store& Context::store() {
  if (!store_) {
    const std::string dir = config().agent.state_dir;
    try {
      store_ = std::make_unique<store::Store>(dir);
    } catch (const std::exception& e) {
      throw Failure("cannot open the store in " + dir + ": " + e.what());
    }
  }
  return *store_;
}

}  // namespace sseccoe::agent
