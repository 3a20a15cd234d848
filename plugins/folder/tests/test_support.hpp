// Test doubles for the folder plugin: a temporary tree, a fake emitter that
// behaves like the core (reads every stream to its end, decides by digest),
// and a fault-injecting Env.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "env.hpp"
#include "folder_options.hpp"
#include "known_keys.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/options.hpp"
#include "option_defaults.hpp"

namespace sseccoe::folder::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempTree {
 public:
  TempTree();
  ~TempTree();
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return rel.empty() ? root_ : root_ + "/" + rel; }

  void mkdir(const std::string& rel) const;  // with parents
  // Writes a file (parents created) whose mtime lies `age` in the past, so
  // that it has settled unless a test says otherwise.
  void write(const std::string& rel, const std::string& content,
             std::chrono::seconds age = std::chrono::hours(1)) const;
  void append(const std::string& rel, const std::string& content) const;
  void set_age(const std::string& rel, std::chrono::seconds age) const;
  void symlink(const std::string& target, const std::string& rel) const;
  void remove(const std::string& rel) const;

 private:
  std::string root_;
};

std::string read_file(const std::string& path);

// Option values as the core would pass them: every default of the plugin's
// table, parsed from its TOML text, plus `path`.
sdk::OptionValues default_options(const std::string& root);
// Option-table defaults parsed by the agent's own configuration code.
using sseccoe::testing::parse_default;
FolderSettings settings_for(const std::string& root, const std::string& instance = "test");

struct Emitted {
  sdk::Item item;
  sdk::EmitOutcome outcome = sdk::EmitOutcome::New;
  std::uint64_t bytes = 0;
  std::string digest;
  std::string reason;
};

struct Quarantine {
  std::string key;
  std::string reason;
  std::string locator;
};

// Behaves like the core for the plugin's purposes.
class FakeEmitter : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) override;
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override;
  std::optional<sdk::KnownItem> known(std::string_view key) override;
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view key) override;
  void log(sdk::LogLevel level, std::string_view message) override;
  bool for_each_known(const std::function<void(std::string_view)>& visit) override;

  // Per pass.
  void clear_pass();
  const Emitted* find(const std::string& key) const;
  const Quarantine* find_quarantine(const std::string& key) const;
  std::set<std::string> emitted_keys() const;
  bool logged(const std::string& fragment) const;

  std::map<std::string, sdk::KnownItem, std::less<>> store;  // what the "core" holds
  std::vector<Emitted> emitted;
  std::vector<Quarantine> quarantined;
  std::vector<std::string> gone_keys;
  std::vector<std::pair<sdk::LogLevel, std::string>> logs;

  bool hash_contents = true;  // false: only count bytes (a 4 GiB file)
  std::function<void(const sdk::Item&)> before_open;
  std::function<void(const sdk::Item&)> after_emit;
};

// A FakeEmitter whose core cannot list its keys (for_each_known not overridden).
class PlainEmitter : public sdk::Emitter {
 public:
  explicit PlainEmitter(FakeEmitter& inner) : inner_(inner) {}
  sdk::EmitResult emit(const sdk::Item& i, const std::optional<sdk::Cursor>& c) override { return inner_.emit(i, c); }
  void quarantine(std::string_view k, std::string_view r, std::string_view l) override { inner_.quarantine(k, r, l); }
  std::optional<sdk::KnownItem> known(std::string_view k) override { return inner_.known(k); }
  void checkpoint(const sdk::Cursor& c) override { inner_.checkpoint(c); }
  void gone(std::string_view k) override { inner_.gone(k); }
  void log(sdk::LogLevel l, std::string_view m) override { inner_.log(l, m); }

 private:
  FakeEmitter& inner_;
};

// Wraps the real Env and injects faults by absolute path.
class FaultEnv : public Env {
 public:
  explicit FaultEnv(std::shared_ptr<Env> real = Env::posix()) : real_(std::move(real)) {}

  std::error_code list_dir(const std::string& path, std::vector<DirEntry>& entries, std::string& resolved) override;
  std::error_code lstat(const std::string& path, FileStat& out) override;
  std::error_code stat(const std::string& path, FileStat& out) override { return real_->stat(path, out); }
  std::error_code real_path(const std::string& path, std::string& out) override { return real_->real_path(path, out); }
  std::error_code open_read(const std::string& path, std::unique_ptr<ReadableFile>& out) override;
  std::chrono::system_clock::time_point now() override { return fixed_now ? *fixed_now : real_->now(); }

  std::map<std::string, std::error_code> list_errors;
  std::map<std::string, std::error_code> lstat_errors;
  std::map<std::string, std::error_code> read_errors;  // on the first read
  std::map<std::string, std::string> grow_on_read;     // appended to the real file after the first read
  std::map<std::string, std::string> resolved_override;  // what list_dir/current_path claim
  std::function<void(const std::string& dir)> after_list;
  std::function<void(const std::string& path)> before_open;
  std::map<std::string, int> opens;
  std::optional<std::chrono::system_clock::time_point> fixed_now;

 private:
  std::shared_ptr<Env> real_;
};

std::error_code errc(int e);

// Peak resident memory of this process (VmHWM), in bytes.
std::uint64_t peak_rss();

}  // namespace sseccoe::folder::testing
