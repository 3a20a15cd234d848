// Internal to the configuration loader: where a TOML node was written, and the
// collector that gathers every error and warning instead of stopping at the
// first one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/config.hpp"

namespace sseccoe::core::config_detail {

Location location_of(const toml::source_region& region);
inline Location location_of(const toml::node& node) { return location_of(node.source()); }
inline Location location_of(const toml::key& key) { return location_of(key.source()); }

class Diagnostics {
 public:
  // A broken file can yield thousands of errors; past `max_errors` only a
  // count is kept, so that check-config stays readable.
  explicit Diagnostics(std::size_t max_errors = 200) : max_errors_(max_errors) {}

  void error(Location where, std::string option, std::string message);
  void warning(Location where, std::string option, std::string message);

  std::size_t error_count() const { return errors_.size() + dropped_; }

  // Errors sorted by file (in the order `files` lists them), line and
  // column, followed by a note when some were dropped.
  std::vector<ConfigError> take_errors(const std::vector<std::string>& files);
  std::vector<ConfigError> take_warnings(const std::vector<std::string>& files);

 private:
  std::size_t max_errors_;
  std::size_t dropped_ = 0;
  std::vector<ConfigError> errors_;
  std::vector<ConfigError> warnings_;
};

// Quotes a user's value for a message, cut short so that a pasted blob does
// not flood the terminal. Never used for secret options.
std::string quoted(const std::string& value);

}  // namespace sseccoe::core::config_detail
