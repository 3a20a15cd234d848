// How the folder source sleeps between passes: on an inotify descriptor
// (watches on every walked directory) and an eventfd that a stop request
// signals, in one poll(). Idle costs no CPU, stop is immediate, and a burst
// of events (a copy of 500 files) wakes the source once, shortly after the
// burst ends.
//
// inotify is only ever a hint: a network mount delivers no events for
// changes made on other machines, a watch limit may be reached, events may
// overflow. The poll interval (the caller's timeout) always applies.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sseccoe::folder {

class ChangeWatcher {
 public:
  // Says whether an event about entry `raw_name` in the watched directory
  // (`dir_key`, `dir_path`) should wake the source. `is_dir`: the entry is a
  // directory.
  using Filter = std::function<bool(std::string_view dir_key, std::string_view dir_path, std::string_view raw_name,
                                    bool is_dir)>;
  // inotify_add_watch, replaceable so that tests can simulate the limit.
  using AddWatch = int (*)(int fd, const char* path, std::uint32_t mask);

  // After this long without a relevant event, a burst is over.
  static constexpr std::chrono::milliseconds kQuietPeriod{200};
  // A burst that never ends (a file written continuously) still wakes the
  // source after this long.
  static constexpr std::chrono::milliseconds kMaxBurst{2000};

  // `use_inotify` false: wait() only sleeps until the timeout or a stop.
  // Throws std::system_error when no eventfd can be created.
  ChangeWatcher(bool use_inotify, Filter filter, AddWatch add_watch = nullptr);
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  // A walk marks every directory it lists; at the end of a complete walk the
  // watches of directories it did not list (moved out, excluded) go away.
  void begin_pass();
  void watch(const std::string& dir_path, const std::string& dir_key);
  void end_pass(bool complete);

  // Problems met while watching (inotify unavailable, watch limit reached),
  // each said once, for the source to log during its next harvest (there is
  // no logger here).
  std::vector<std::string> take_notes();

  enum class Wake { Changed, Timeout, Stopped };
  Wake wait(std::chrono::milliseconds timeout, std::stop_token stop);

  bool inotify_active() const { return inotify_fd_ >= 0; }
  std::size_t watch_count() const;

 private:
  struct Watched {
    std::string key;
    std::string path;
    std::uint64_t pass = 0;
  };
  bool drain_events();  // true when a relevant event was read
  void note(std::string message);

  Filter filter_;
  AddWatch add_watch_;
  int inotify_fd_ = -1;
  int event_fd_ = -1;
  mutable std::mutex mu_;  // guards everything below
  std::unordered_map<int, Watched> watches_;
  std::uint64_t pass_ = 0;
  bool limit_hit_this_pass_ = false;
  bool limit_noted_ = false;
  std::vector<std::string> notes_;
};

}  // namespace sseccoe::folder
