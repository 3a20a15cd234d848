// What most commands need: the validated configuration, the loaded plugins,
// the program's catalog, the rules and the store. Loaded lazily, each piece
// failing with a message that says what to do.
#pragma once

#include <memory>
#include <optional>

#include "args.hpp"
#include "config/config.hpp"
#include "model/catalog.hpp"
#include "plugins/plugin_registry.hpp"
#include "rules/rules.hpp"
#include "store/store.hpp"

namespace sseccoe::agent {

// Thrown for configuration problems (exit 2) and operational ones (exit 1).
struct ConfigFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Context {
 public:
  explicit Context(const Args& args) : args_(args) {}

  const Args& args() const { return args_; }
  core::PluginRegistry& plugins();
  // Loads and validates; throws ConfigFailure listing every error.
  const core::Config& config();
  core::ConfigResult load_config_result();  // for check-config: errors returned, not thrown
  const model::Catalog& catalog();          // throws ConfigFailure
  const model::Catalog* catalog_or_null();  // nullptr when it cannot be loaded
  std::string catalog_path();
  const core::RuleSet& rules();
  store::Store& store();                   // throws Failure (damaged, newer schema, unwritable)

 private:
  const Args& args_;
  std::unique_ptr<core::PluginRegistry> plugins_;
  std::optional<core::Config> config_;
  std::optional<model::Catalog> catalog_;
  bool catalog_tried_ = false;
  std::unique_ptr<core::RuleSet> rules_;
  std::unique_ptr<store::Store> store_;
};

std::string exe_dir();

}  // namespace sseccoe::agent
