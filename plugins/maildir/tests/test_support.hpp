// Test doubles for the mail library and the maildir plugin: temporary
// directories, a fake emitter that behaves like the core (reads every stream
// it would store to its end, decides by digest, opens only_for_kind streams
// only for that kind), raw test messages, and memory measurement.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/options.hpp"
#include "option_defaults.hpp"

namespace sseccoe::mailtest {

using sseccoe::testing::parse_default;

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }
  // Writes a file (parents created); returns its path.
  std::string write(const std::string& rel, const std::string& content) const;
  void mkdir(const std::string& rel) const;
  std::size_t count_files(const std::string& rel = "") const;

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
std::string sha256_hex(const std::string& data);

struct StoredContent {
  std::string name, media_type, role, digest;
  std::uint64_t size = 0;
  std::string data;  // kept only when FakeEmitter::keep_data and small
};

struct Emitted {
  sdk::Item item;
  sdk::EmitOutcome outcome = sdk::EmitOutcome::New;
  std::vector<StoredContent> contents;
  std::string reason;
};

struct Quarantined {
  std::string key, reason, locator;
};

class FakeEmitter : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after = std::nullopt) override;
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override;
  std::optional<sdk::KnownItem> known(std::string_view key) override;
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view key) override { gone_keys.emplace_back(key); }
  void log(sdk::LogLevel level, std::string_view message) override { logs.emplace_back(level, message); }

  const Emitted* find(const std::string& key) const;  // the last emit of that key
  const Quarantined* find_quarantine(const std::string& key) const;
  std::set<std::string> keys() const;  // of every item stored
  std::size_t count(sdk::EmitOutcome o) const;
  bool logged(const std::string& fragment) const;
  void clear_pass();

  // What the "core" holds: version and digest per key.
  std::map<std::string, sdk::KnownItem, std::less<>> store;
  std::vector<Emitted> emitted;
  std::vector<Quarantined> quarantined;
  std::vector<std::string> gone_keys;
  std::vector<std::pair<sdk::LogLevel, std::string>> logs;
  std::size_t known_calls = 0;

  // The kind the "rules" give an item (opens only_for_kind streams of it).
  std::function<std::string(const sdk::Item&)> kind_of;
  bool keep_data = true;  // keep stream bytes up to 1 MiB each
};

// Option values as the core passes them: the defaults of `table`, parsed,
// plus the given overrides.
sdk::OptionValues options_with_defaults(std::span<const sdk::OptionSpec> table);

// Peak resident memory of this process (VmHWM), in bytes, and a reset of it
// (writes 5 to /proc/self/clear_refs); false when the kernel refuses.
std::uint64_t peak_rss();
bool reset_peak_rss();

// base64 with 76-character lines (LF), as mailers write it.
std::string base64_lines(const std::string& data);

}  // namespace sseccoe::mailtest
