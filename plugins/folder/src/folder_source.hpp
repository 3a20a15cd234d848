// The folder source: harvests the regular files below a root directory (a
// local directory or a mounted SMB/NFS share). See README.md in this folder.
//
// Every pass walks the whole tree; a file whose version (size, mtime, inode)
// the core already holds costs one stat and is never opened. The cursor
// therefore carries no position, only when the last complete walk ended
// ("folder-v1 complete=2021-05-14T10:02:11Z"), for `status`; a pass stopped
// midway returns the cursor it was given.
//
// harvest() and wait_for_change() are called by one pipeline thread, never
// at the same time; the watcher guards its own state regardless.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "change_watcher.hpp"
#include "env.hpp"
#include "folder_options.hpp"
#include "sdk_text.hpp"
#include "harvest_pass.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::folder {

class FolderSource final : public sdk::Source {
 public:
  // Throws std::invalid_argument naming the source and option when a glob is
  // malformed. `add_watch` replaces inotify_add_watch (tests).
  FolderSource(FolderSettings settings, std::shared_ptr<Env> env, ChangeWatcher::AddWatch add_watch = nullptr);

  sdk::Cursor harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) override;
  void wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) override;
  std::string probe() override;

  // When a file that is settling (or was deferred) is next due for a look,
  // if any: wait_for_change() returns by then at the latest.
  std::optional<std::chrono::steady_clock::time_point> next_due() const { return next_due_; }
  const PassCounters& last_pass() const { return last_pass_; }
  // Why the last wait_for_change() returned (diagnostics and tests).
  ChangeWatcher::Wake last_wake() const { return last_wake_; }
  const ChangeWatcher& watcher() const { return *watcher_; }

 private:
  // The canonical root, or a message for the whole source in `problem`.
  std::string resolve_root(std::string& problem) const;
  std::string root_unreadable(const std::error_code& ec) const;
  bool event_matters(std::string_view dir_key, std::string_view dir_path, std::string_view raw_name,
                     bool is_dir) const;
  void log_notes(sdk::Emitter& out);

  FolderSettings s_;
  std::shared_ptr<Env> env_;
  GlobSet include_;
  GlobSet exclude_;
  PendingFiles pending_;
  std::optional<std::chrono::steady_clock::time_point> next_due_;
  PassCounters last_pass_;
  ChangeWatcher::Wake last_wake_ = ChangeWatcher::Wake::Timeout;
  bool gone_unsupported_logged_ = false;
  std::unique_ptr<ChangeWatcher> watcher_;  // last: its filter reads the globs above
};

}  // namespace sseccoe::folder
