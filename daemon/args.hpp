// Command-line parsing for sseccoe-agent: global options, then a command and
// its words. Small on purpose: sub-commands read their own flags from Args.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sseccoe::agent {

struct Args {
  std::string config = "/etc/sseccoe-agent/agent.toml";
  std::optional<std::string> state_dir, plugin_dir, log_level;
  std::vector<std::string> words;               // command and positional arguments
  std::map<std::string, std::string> flags;     // --json -> "", --out FILE -> "FILE"

  bool flag(const std::string& name) const { return flags.count(name) > 0; }
  std::string value(const std::string& name, const std::string& fallback = {}) const {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  }
  std::string word(std::size_t i) const { return i < words.size() ? words[i] : std::string(); }
};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Flags that take a value; every other --flag is a switch.
Args parse_args(int argc, char** argv);

extern const char* kUsage;

}  // namespace sseccoe::agent
