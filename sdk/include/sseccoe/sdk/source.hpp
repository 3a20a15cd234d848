// The source interface and the plugin entry point loaded with
// Poco::ClassLoader. This directory is the only thing a plugin includes.
#pragma once

#include <chrono>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/item.hpp"
#include "sseccoe/sdk/options.hpp"

namespace sseccoe::sdk {

// 2: Item::people, Content::role/only_for_kind, SourceConfig::work_dir/role,
//    OptionType::StringMap.
// 3: Emitter::people_seen (a census's people for the people register).
constexpr int kAbiVersion = 3;

// Everything a source instance is created with.
struct SourceConfig {
  std::string instance;     // the [[source]] name, e.g. "constancias"
  std::string institution;  // [agent] institution
  OptionValues options;     // validated against the plugin's option table
  // A private directory on the state disk (same file system as the blob
  // store) for spooling (a mail being fetched). The core creates it and
  // empties it at start; a source must not keep anything there between passes.
  std::string work_dir;
  // "evidence" (default) or "census": a census source's rows never leave the
  // machine; it emits one item per export carrying only the row count
  // (metadata "count") and the export's date (occurred_on).
  std::string role = "evidence";
};

class Source {
 public:
  virtual ~Source() = default;

  // One pass: emit every new or changed item after `from`, return the new
  // cursor. Must return promptly (between items) once `stop` is requested.
  // A failure of the whole source (root missing, server unreachable) throws
  // std::runtime_error with a message that says what to do.
  virtual Cursor harvest(const Cursor& from, Emitter& out, std::stop_token stop) = 0;

  // Blocks until something may have changed (inotify, IMAP IDLE), `timeout`
  // passes or `stop` is requested. The default polls: it just waits.
  virtual void wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop);

  // A quick reachability check for `doctor`: empty when fine, else what is
  // wrong and what to do.
  virtual std::string probe() { return {}; }
};

// One per plugin library, exported with POCO_EXPORT_CLASS in the plugin's
// manifest. The class name in the manifest is what the loader looks for.
class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual int abi_version() const { return kAbiVersion; }
  virtual std::string_view name() const = 0;         // "folder"
  virtual std::string_view description() const = 0;  // one line
  virtual std::span<const OptionSpec> options() const = 0;
  virtual std::unique_ptr<Source> create(const SourceConfig& config) const = 0;
};

}  // namespace sseccoe::sdk

#include "sseccoe/sdk/detail/wait.hpp"
