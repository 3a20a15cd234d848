#include "plugins/plugin_registry.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <stdexcept>

#include <Poco/ClassLoader.h>
#include <Poco/Exception.h>
#include <Poco/Manifest.h>

#include "plugins/plugin_check.hpp"

namespace sseccoe::core {

namespace fs = std::filesystem;

struct PluginRegistry::Impl {
  // Declared first, so destroyed last: every plugin object below has its code
  // in a library this loader opened. Poco's ~ClassLoader frees its handles
  // but leaves the libraries mapped (SharedLibrary does not dlclose), so a
  // Source or a thread a plugin leaves behind can never jump into unmapped
  // code; the process's exit unmaps them.
  Poco::ClassLoader<sdk::Plugin> loader;

  struct Loaded {
    std::unique_ptr<sdk::Plugin> plugin;
    std::string origin;  // the library's path, or "(added directly)"
  };
  std::vector<Loaded> plugins;
  std::set<std::string> libraries;  // every path tried, loaded or not: each is reported once

  const Loaded* find(std::string_view name) const {
    for (const auto& l : plugins)
      if (l.plugin->name() == name) return &l;
    return nullptr;
  }
};

PluginRegistry::PluginRegistry() : impl_(std::make_unique<Impl>()) {}

PluginRegistry::~PluginRegistry() {
  // Objects first, explicitly, before the loader that owns their code.
  impl_->plugins.clear();
}

namespace {

// Loading code from a place others can write to would hand them the agent's
// privileges.
bool writable_by_others(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IWOTH) != 0;
}

}  // namespace

void PluginRegistry::load_directory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems_.push_back(dir + ": the plugin directory does not exist or is not a directory: set [agent] "
                              "plugin_dir, or install the plugins there");
    return;
  }
  if (writable_by_others(dir)) {
    problems_.push_back(dir + ": the plugin directory is writable by every user, so no plugin is loaded from it: "
                              "chmod o-w " + dir);
    return;
  }
  std::vector<std::string> libraries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::error_code type_ec;
    if (p.extension() == ".so" && it->is_regular_file(type_ec)) libraries.push_back(p.string());
  }
  if (ec) problems_.push_back(dir + ": cannot be listed: " + ec.message());
  std::sort(libraries.begin(), libraries.end());

  for (const auto& path : libraries) {
    if (!impl_->libraries.insert(path).second) continue;
    if (writable_by_others(path)) {
      problems_.push_back(path + ": writable by every user, not loaded: chmod o-w " + path);
      continue;
    }
    try {
      impl_->loader.loadLibrary(path);
    } catch (const Poco::LibraryLoadException& e) {
      // "No manifest" or "Manifest class mismatch" (built against another
      // SDK) end up here, as do dlopen() failures with the loader's reason.
      problems_.push_back(path + ": not a plugin library: " + e.displayText() +
                          " (a plugin declares itself with SSECCOE_PLUGIN(Class))");
      continue;
    } catch (const Poco::Exception& e) {
      problems_.push_back(path + ": cannot be loaded: " + e.displayText());
      continue;
    } catch (const std::exception& e) {
      problems_.push_back(path + ": cannot be loaded: " + e.what());
      continue;
    }
    const auto* manifest = impl_->loader.findManifest(path);
    if (manifest == nullptr || manifest->begin() == manifest->end()) {
      problems_.push_back(path + ": its manifest declares no plugin class");
      continue;
    }
    for (auto it = manifest->begin(); it != manifest->end(); ++it) {
      const std::string class_name = it->name();
      std::unique_ptr<sdk::Plugin> plugin;
      try {
        plugin.reset(it->create());
      } catch (const Poco::Exception& e) {
        problems_.push_back(path + ": class " + class_name + " cannot be created: " + e.displayText());
        continue;
      } catch (const std::exception& e) {
        problems_.push_back(path + ": class " + class_name + " cannot be created: " + e.what());
        continue;
      }
      if (!plugin) continue;
      if (const std::string why = check_plugin(*plugin); !why.empty()) {
        problems_.push_back(path + ": class " + class_name + " refused: " + why);
        continue;
      }
      if (const auto* other = impl_->find(plugin->name())) {
        problems_.push_back(path + ": plugin '" + std::string(plugin->name()) + "' is already loaded from " +
                            other->origin + ": remove one of the two libraries");
        continue;
      }
      impl_->plugins.push_back({std::move(plugin), path});
    }
  }
}

void PluginRegistry::add(std::unique_ptr<sdk::Plugin> plugin) {
  if (!plugin) throw std::invalid_argument("PluginRegistry::add: null plugin");
  if (const std::string why = check_plugin(*plugin); !why.empty())
    throw std::invalid_argument("PluginRegistry::add: " + why);
  if (impl_->find(plugin->name()))
    throw std::invalid_argument("PluginRegistry::add: plugin '" + std::string(plugin->name()) +
                                "' is already registered");
  impl_->plugins.push_back({std::move(plugin), "(added directly)"});
}

const sdk::Plugin* PluginRegistry::find(const std::string& name) const {
  const auto* l = impl_->find(name);
  return l ? l->plugin.get() : nullptr;
}

std::string PluginRegistry::origin(const std::string& name) const {
  const auto* l = impl_->find(name);
  return l ? l->origin : std::string();
}

std::vector<const sdk::Plugin*> PluginRegistry::all() const {
  std::vector<const sdk::Plugin*> out;
  for (const auto& l : impl_->plugins) out.push_back(l.plugin.get());
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->name() < b->name(); });
  return out;
}

std::vector<std::string> PluginRegistry::names() const {
  std::vector<std::string> out;
  for (const auto* p : all()) out.emplace_back(p->name());
  return out;
}

std::string PluginRegistry::default_directory() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  // Without /proc (a chroot, say) fall back to where the package installs.
  if (ec || exe.empty()) return "/usr/lib/sseccoe-agent/plugins";
  return (exe.parent_path() / ".." / "lib" / "sseccoe-agent" / "plugins").lexically_normal().string();
}

}  // namespace sseccoe::core
