// The maildir source: every message of a Maildir++ tree as mail items
// (sdk::mail: one per message, or one per attachment), keyed by Message-ID.
//
// Each pass lists every folder (readdir + fstatat; no message opened) and
// takes the files it has not settled yet:
//   - a file settled earlier in this process (by its unique name: flags and
//     new/ -> cur/ moves keep it) costs nothing;
//   - otherwise its header block gives the key (quick_key) and the core says
//     what it holds: the same version (size + unique name) is settled
//     without reading further; a version whose unique name still lies in
//     the tree is another copy of a stored message (the same message in two
//     folders, or a resend with the same Message-ID): settled, so that the
//     record never flips between copies;
//   - anything else is spooled (copied while hashed into the work
//     directory), parsed and emitted; the core's digest decides whether it
//     is new, a revision or the same.
// Mail that disappears is never reported gone: deleting a message does not
// retract the evidence it was. The cursor carries only when the last
// complete pass ended ("maildir-v1 complete=..."), for `status`.
//
// harvest() and wait_for_change() are called by one pipeline thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "maildir_options.hpp"
#include "maildir_tree.hpp"
#include "maildir_watcher.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::maildir {

struct PassCounters {
  std::size_t folders = 0;
  std::size_t files = 0;
  std::size_t settled = 0;     // seen before in this process: not opened
  std::size_t unchanged = 0;   // same version as stored, or another copy of a stored message
  std::size_t duplicates = 0;  // ... of which copies in other folders
  std::size_t stored = 0;      // new or revised items
  std::size_t emitted = 0;     // items handed to the core
  std::size_t quarantined = 0;
  std::size_t deferred = 0;    // vanished or unreadable for now: tried again next pass
};

class MaildirSource final : public sdk::Source {
 public:
  static constexpr std::chrono::minutes kQuarantineRecheck{60};

  // `quarantine_recheck`: how long a quarantined message is left alone
  // (tests shorten it).
  explicit MaildirSource(MaildirSettings settings,
                         std::chrono::milliseconds quarantine_recheck = kQuarantineRecheck);

  sdk::Cursor harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) override;
  void wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) override;
  std::string probe() override;

  const PassCounters& last_pass() const { return last_pass_; }
  MaildirWatcher::Wake last_wake() const { return last_wake_; }
  const MaildirWatcher& watcher() const { return watcher_; }

 private:
  // Settled: not looked at again in this process; Retry: next pass;
  // Quarantined: again after kQuarantineRecheck (so that `quarantine retry`
  // on a running service takes effect without a restart).
  enum class Take { Settled, Retry, Quarantined };
  Take take(const MaildirFolder& folder, const MessageFile& file, sdk::Emitter& out, PassCounters& c);
  Take emit_spooled(const MaildirFolder& folder, const MessageFile& file, const std::string& version,
                    sdk::Emitter& out, PassCounters& c);
  bool another_copy_stored(const sdk::KnownItem& known, const MessageFile& file) const;
  std::vector<MaildirFolder> selected(const std::vector<MaildirFolder>& all, sdk::Emitter& out);
  std::string root_problem(const std::error_code& ec) const;
  std::string summary(const PassCounters& c) const;

  MaildirSettings s_;
  std::chrono::milliseconds quarantine_recheck_;
  MaildirWatcher watcher_;
  // Hashes of the unique names settled in this process: 8 bytes a message.
  std::unordered_set<std::uint64_t> settled_;
  // Quarantined messages (by unique name) and when to look at them again.
  std::unordered_map<std::uint64_t, std::chrono::steady_clock::time_point> recheck_;
  // Hashes of the unique names present in the tree, rebuilt every pass.
  std::unordered_set<std::uint64_t> present_;
  std::unordered_set<std::string> missing_noted_;
  PassCounters last_pass_;
  MaildirWatcher::Wake last_wake_ = MaildirWatcher::Wake::Timeout;
};

// "<size>:<unique>": the change token; a flag change or a move from new/ to
// cur/ keeps it.
std::string file_version(const MessageFile& file);

}  // namespace sseccoe::maildir
