// How the maildir source sleeps between passes: on an inotify descriptor
// watching the root (new folders) and each folder's new/ and cur/ (a
// delivery is a rename into new/, a client's first look a rename into cur/),
// plus an eventfd a stop request signals, in one poll(). Idle costs no CPU;
// a burst of deliveries wakes the source once, after it ends.
//
// inotify is only a hint (network mounts deliver no events, watches may run
// out, events may overflow): the caller's timeout, the poll interval,
// always applies.
#pragma once

#include <chrono>
#include <map>
#include <stop_token>
#include <string>
#include <vector>

#include "maildir_tree.hpp"

namespace sseccoe::maildir {

class MaildirWatcher {
 public:
  static constexpr std::chrono::milliseconds kQuietPeriod{200};
  static constexpr std::chrono::milliseconds kMaxBurst{2000};

  // `use_inotify` false: wait() only sleeps until the timeout or a stop.
  // Throws std::system_error when no eventfd can be created.
  explicit MaildirWatcher(bool use_inotify);
  ~MaildirWatcher();
  MaildirWatcher(const MaildirWatcher&) = delete;
  MaildirWatcher& operator=(const MaildirWatcher&) = delete;

  // Watches exactly these directories from now on (the root and the
  // folders' new/ and cur/); watches of folders no longer listed go away.
  void watch(const std::string& root, const std::vector<MaildirFolder>& folders);

  enum class Wake { Changed, Timeout, Stopped };
  Wake wait(std::chrono::milliseconds timeout, std::stop_token stop);

  // Problems met while watching, each said once, for the source to log.
  std::vector<std::string> take_notes();
  bool active() const { return inotify_fd_ >= 0; }
  std::size_t watch_count() const { return watches_.size(); }

 private:
  bool drain();  // true when an event was read
  int inotify_fd_ = -1;
  int event_fd_ = -1;
  std::map<std::string, int> watches_;  // directory -> watch descriptor
  bool limit_noted_ = false;
  std::vector<std::string> notes_;
};

}  // namespace sseccoe::maildir
