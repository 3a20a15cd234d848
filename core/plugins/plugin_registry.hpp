// Loads source plugins (shared libraries) with Poco::ClassLoader and keeps
// them for the life of the process. Core never names a plugin: it knows only
// what the libraries in the plugin directory declare.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sseccoe/sdk/source.hpp"

namespace sseccoe::core {

class PluginRegistry {
 public:
  PluginRegistry();
  ~PluginRegistry();

  // Loads every shared library in `dir` (non-recursive). A library that fails
  // to load, or has no manifest, or a wrong ABI version, is reported in
  // `problems()` and skipped: one broken plugin does not stop the others.
  void load_directory(const std::string& dir);

  // For tests: registers a plugin object directly.
  void add(std::unique_ptr<sdk::Plugin> plugin);

  const sdk::Plugin* find(const std::string& name) const;
  std::vector<const sdk::Plugin*> all() const;  // sorted by name
  std::vector<std::string> names() const;
  // The library a plugin was loaded from ("(added directly)" for add()), or
  // "" for an unknown name: for `plugins list`.
  std::string origin(const std::string& name) const;
  const std::vector<std::string>& problems() const { return problems_; }

  // <directory of the running executable>/../lib/sseccoe-agent/plugins
  static std::string default_directory();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> problems_;
};

// `plugins describe NAME` output, generated from the option table. Markdown
// is what docs/plugins/NAME.md holds (a test keeps the two equal).
std::string describe_plugin_text(const sdk::Plugin& plugin);
std::string describe_plugin_markdown(const sdk::Plugin& plugin);

}  // namespace sseccoe::core
