// Test doubles for the sql plugin: option values as the core would pass
// them, and an emitter that records what a pass emitted without storing it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"
#include "option_defaults.hpp"

namespace sseccoe::sql::testing {

// Every default of the plugin's table parsed from its TOML text, plus the
// required options and a key/columns mapping.
// Option-table defaults parsed by the agent's own configuration code.
using sseccoe::testing::parse_default;
sdk::SourceConfig config_with(const std::string& dsn_file, const std::string& query,
                              const std::vector<std::string>& key, const sdk::StringPairs& columns,
                              const std::string& instance = "rh");

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `name` in the directory with mode 0600; returns its path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// Records items, quarantines, gone keys and log lines. `keep_items` and
// `remember` false keep only counts, so that a 200,000-row pass measures the
// plugin's memory, not the test's.
class RecordingEmitter : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) override;
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override;
  std::optional<sdk::KnownItem> known(std::string_view key) override;
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view key) override;
  void log(sdk::LogLevel level, std::string_view message) override;
  bool for_each_known(const std::function<void(std::string_view)>& visit) override;

  bool keep_items = true;
  bool remember = true;  // false: every item is New, no versions are kept
  std::function<void()> after_emit;  // e.g. to request a stop mid-pass
  std::map<std::string, std::string, std::less<>> known_versions;  // natural key -> version, across passes
  std::vector<sdk::Item> items;
  std::vector<std::pair<std::string, std::string>> quarantined;  // key, reason
  std::vector<std::string> gone_keys;
  std::vector<std::string> logs;
  std::uint64_t emitted = 0, changed = 0, unchanged = 0;
};

// Peak resident memory of this process (VmHWM), in bytes.
std::uint64_t peak_rss();
// Current resident memory (VmRSS), in bytes.
std::uint64_t current_rss();

}  // namespace sseccoe::sql::testing
