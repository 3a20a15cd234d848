// The imap source: harvests the configured folders of one mailbox over IMAP
// (see README.md in this folder).
//
// One connection is kept between passes (and used for IDLE in between); a
// connection lost during a pass is re-established a few times and the pass
// resumes from the cursor, which covers only durable messages.
//
// harvest() and wait_for_change() are called by one pipeline thread, never
// at the same time; probe() (doctor) uses a connection of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "folder_resolver.hpp"
#include "imap_options.hpp"
#include "imap_session.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::imap {

class ImapSource final : public sdk::Source {
 public:
  explicit ImapSource(ImapSettings settings);
  ~ImapSource() override;
  ImapSource(const ImapSource&) = delete;
  ImapSource& operator=(const ImapSource&) = delete;

  sdk::Cursor harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) override;
  void wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) override;
  std::string probe() override;

  // How many times a pass reconnects after losing the connection before it
  // gives up (the next pass starts over from the committed cursor).
  static constexpr int kMaxReconnects = 3;
  // IDLE is renewed before the 30 minutes after which servers may drop an
  // idle client (RFC 2177).
  static constexpr std::chrono::minutes kIdleRenew{29};

  // Why the last wait_for_change() returned (diagnostics and tests).
  enum class Wake { Changed, Timeout, Stopped, Polled };
  Wake last_wake() const { return last_wake_; }

 private:
  std::unique_ptr<ImapSession> open_session(int cancel_fd) const;
  FolderResolution resolve(ImapSession& session) const;
  void drop_session() noexcept;
  // Sleeps up to `timeout` unless a stop comes first (the cancel fd).
  void sleep(std::chrono::milliseconds timeout) const;
  bool idle_wait(std::chrono::milliseconds timeout);

  ImapSettings s_;
  std::string locator_base_;
  int cancel_fd_ = -1;
  std::unique_ptr<ImapSession> session_;
  std::vector<ResolvedFolder> folders_;      // as resolved by the last pass
  std::map<std::string, std::uint32_t> uidnext_;  // per folder (wire name) at the end of the last pass
  // From wait_for_change() (which has no logger), logged by the next harvest().
  std::vector<std::pair<sdk::LogLevel, std::string>> notes_;
  Wake last_wake_ = Wake::Timeout;
};

}  // namespace sseccoe::imap
