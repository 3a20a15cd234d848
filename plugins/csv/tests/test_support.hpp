// Test doubles for the csv plugin: a temporary directory, option values as
// the core would pass them, and a fake emitter that behaves like the core for
// items without contents (their version decides New/Changed/Unchanged).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "csv_options.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"
#include "option_defaults.hpp"

namespace sseccoe::csv::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return root_ + "/" + rel; }
  // Writes bytes (parents created) with an mtime `age` in the past, so that
  // the file has settled unless a test says otherwise. Returns the path.
  std::string write(const std::string& rel, const std::string& bytes,
                    std::chrono::seconds age = std::chrono::hours(1)) const;
  void set_age(const std::string& rel, std::chrono::seconds age) const;
  void remove(const std::string& rel) const;

 private:
  std::string root_;
};

// Option-table defaults parsed by the agent's own configuration code.
using sseccoe::testing::parse_default;

// A training-list source over `path`: key = [employee_id, course], columns
// employee_id, name, curp, course, occurred_on mapped to the Spanish headers
// used throughout the tests ("No. Empleado;Nombre;CURP;Curso;Fecha"), settle 0.
sdk::SourceConfig training_config(const std::string& path);
// The same with other columns and key.
sdk::SourceConfig config_with(const std::string& path, const sdk::StringPairs& columns,
                              const std::vector<std::string>& key);

struct Emitted {
  sdk::Item item;
  sdk::EmitOutcome outcome = sdk::EmitOutcome::New;
};

struct Quarantine {
  std::string key;
  std::string reason;
  std::string locator;
};

class FakeEmitter : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) override;
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override;
  std::optional<sdk::KnownItem> known(std::string_view key) override;
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view key) override;
  void log(sdk::LogLevel level, std::string_view message) override;
  bool for_each_known(const std::function<void(std::string_view)>& visit) override;

  void clear_pass();
  const Emitted* find(const std::string& key) const;
  const Quarantine* find_quarantine(const std::string& key) const;
  // Quarantine entries whose reason contains `fragment`.
  std::vector<Quarantine> quarantined_with(const std::string& fragment) const;
  std::set<std::string> emitted_keys() const;
  bool logged(const std::string& fragment) const;
  std::string dump() const;  // for failure messages

  std::map<std::string, sdk::KnownItem, std::less<>> store;  // what the "core" holds
  std::vector<Emitted> emitted;
  std::vector<Quarantine> quarantined;
  std::vector<std::string> gone_keys;
  std::vector<std::pair<sdk::LogLevel, std::string>> logs;
  std::function<void(const sdk::Item&)> after_emit;  // e.g. to change the file being read
};

// Peak resident memory of this process (VmHWM), in bytes.
std::uint64_t peak_rss();
// Resets VmHWM to the current RSS (Linux >= 4.0), so that a later peak_rss()
// measures only what happened in between. False if the kernel refuses.
bool reset_peak_rss();

}  // namespace sseccoe::csv::testing
