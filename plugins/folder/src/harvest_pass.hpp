// One harvest pass: what to do with each file the walk finds (skip it as
// unchanged, wait for it to settle, quarantine it as too big, emit it), what
// to quarantine, and, after a complete walk, which known keys are gone.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "env.hpp"
#include "folder_options.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "walker.hpp"

namespace sseccoe::folder {

class ChangeWatcher;

// A file seen modified less than `settle` ago. Kept between passes so that a
// file whose mtime is in the future (a share whose clock runs ahead) still
// settles: once it is seen unchanged for `settle`, it is taken.
struct PendingFile {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::chrono::system_clock::time_point first_seen;
};
using PendingFiles = std::unordered_map<std::string, PendingFile>;

struct PassCounters {
  std::size_t directories = 0;
  std::size_t files = 0;        // regular files that passed include/exclude
  std::size_t unchanged = 0;    // same version as stored: not opened
  std::size_t emitted = 0;      // handed to the core (new, changed, or same digest)
  std::size_t stored = 0;       // ... of which the core stored as new or changed
  std::size_t settling = 0;     // modified less than `settle` ago
  std::size_t deferred = 0;     // changed or vanished while read
  std::size_t quarantined = 0;  // by the source or by the core
  std::size_t skipped = 0;      // not regular files, links not followed, vanished, filtered
  std::size_t gone = 0;
};

class HarvestPass final : public WalkVisitor {
 public:
  HarvestPass(const FolderSettings& settings, std::shared_ptr<Env> env, std::string root, sdk::Emitter& out,
              std::stop_token stop, const PendingFiles& previous, ChangeWatcher* watcher);

  bool stop_requested() override { return stop_.stop_requested(); }
  void directory(const std::string& walk_path, const std::string& key) override;
  void file(const FoundFile& file) override;
  void problem(const std::string& key, const std::string& reason, const std::string& locator,
               bool subtree_unknown) override;
  void skipped(Skip why) override;

  // After a complete walk: every key the core knows that this pass did not
  // see, and that does not lie where the walk could not look, is reported
  // with out.gone(). Skipped (with a warning) when the root was empty but
  // the core knows items: an unmounted share looks like an empty directory.
  // Returns false when the emitter cannot list its keys.
  bool report_gone(std::size_t root_entries);

  PendingFiles take_pending() { return std::move(pending_); }
  // How long until a settling or deferred file should be looked at again.
  std::optional<std::chrono::milliseconds> next_due() const { return next_due_; }
  const PassCounters& counters() const { return counters_; }
  std::string summary() const;

 private:
  bool settled(const FoundFile& file);
  void due_in(std::chrono::milliseconds d);

  const FolderSettings& s_;
  std::shared_ptr<Env> env_;
  std::string root_;
  sdk::Emitter& out_;
  std::stop_token stop_;
  const PendingFiles& previous_;
  ChangeWatcher* watcher_;
  std::chrono::system_clock::time_point now_;

  PendingFiles pending_;
  std::optional<std::chrono::milliseconds> next_due_;
  std::vector<std::uint64_t> seen_;       // hashes of keys seen: 8 bytes a file
  std::vector<std::string> unexplored_;   // keys whose subtree was not seen
  PassCounters counters_;
};

}  // namespace sseccoe::folder
