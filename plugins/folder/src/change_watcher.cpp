#include "change_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <utility>

namespace sseccoe::folder {

namespace {

// What may mean a file to harvest appeared, changed or went away. Not
// IN_MODIFY (one event per write(): a 1 GiB copy would be a storm; its
// IN_CLOSE_WRITE follows) and not IN_ACCESS/IN_OPEN (our own reads would
// wake us).
constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB |
                                IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK;

int default_add_watch(int fd, const char* path, std::uint32_t mask) { return ::inotify_add_watch(fd, path, mask); }

std::string max_user_watches() {
  std::ifstream in("/proc/sys/fs/inotify/max_user_watches");
  std::string v;
  in >> v;
  return v.empty() ? "?" : v;
}

void drain_eventfd(int fd) {
  std::uint64_t v;
  while (::read(fd, &v, sizeof v) == static_cast<ssize_t>(sizeof v)) {
  }
}

}  // namespace

ChangeWatcher::ChangeWatcher(bool use_inotify, Filter filter, AddWatch add_watch)
    : filter_(std::move(filter)), add_watch_(add_watch != nullptr ? add_watch : &default_add_watch) {
  event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot create an eventfd");
  if (use_inotify) {
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (inotify_fd_ < 0) {
      note(std::string("inotify is unavailable (") + std::strerror(errno) +
           "): changes are noticed on the poll interval only; raise fs.inotify.max_user_instances if it is "
           "exhausted");
    }
  }
}

ChangeWatcher::~ChangeWatcher() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  ::close(event_fd_);
}

void ChangeWatcher::note(std::string message) { notes_.push_back(std::move(message)); }

std::vector<std::string> ChangeWatcher::take_notes() {
  std::lock_guard lock(mu_);
  return std::exchange(notes_, {});
}

std::size_t ChangeWatcher::watch_count() const {
  std::lock_guard lock(mu_);
  return watches_.size();
}

void ChangeWatcher::begin_pass() {
  std::lock_guard lock(mu_);
  ++pass_;
  limit_hit_this_pass_ = false;
}

void ChangeWatcher::watch(const std::string& dir_path, const std::string& dir_key) {
  if (inotify_fd_ < 0) return;
  const int wd = add_watch_(inotify_fd_, dir_path.c_str(), kMask);
  const int err = errno;
  std::lock_guard lock(mu_);
  if (wd < 0) {
    if (err == ENOSPC) {
      limit_hit_this_pass_ = true;
      if (!limit_noted_) {
        limit_noted_ = true;
        note("inotify watch limit reached (fs.inotify.max_user_watches = " + max_user_watches() +
             "): changes in some directories are noticed on the poll interval only; raise the limit with "
             "sysctl fs.inotify.max_user_watches");
      }
    }
    // ENOENT (the directory just went away), EACCES: the poll interval covers it.
    return;
  }
  // One watch per inode: a directory seen again (or renamed) keeps its wd.
  Watched& w = watches_[wd];
  w.key = dir_key;
  w.path = dir_path;
  w.pass = pass_;
}

void ChangeWatcher::end_pass(bool complete) {
  std::lock_guard lock(mu_);
  // Once a pass gets every watch it asked for, a later shortage is news again.
  if (!limit_hit_this_pass_) limit_noted_ = false;
  if (!complete || inotify_fd_ < 0) return;
  for (auto it = watches_.begin(); it != watches_.end();) {
    if (it->second.pass != pass_) {
      ::inotify_rm_watch(inotify_fd_, it->first);
      it = watches_.erase(it);
    } else {
      ++it;
    }
  }
}

bool ChangeWatcher::drain_events() {
  alignas(inotify_event) char buf[64 * 1024];
  bool relevant = false;
  for (;;) {
    const ssize_t n = ::read(inotify_fd_, buf, sizeof buf);
    if (n <= 0) break;  // EAGAIN: drained
    for (ssize_t off = 0; off < n;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      if (ev->mask & IN_Q_OVERFLOW) {
        relevant = true;  // events were lost: assume the worst
        continue;
      }
      std::lock_guard lock(mu_);
      if (ev->mask & IN_IGNORED) {  // the kernel dropped the watch (directory deleted)
        watches_.erase(ev->wd);
        continue;
      }
      if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
        relevant = true;
        continue;
      }
      if (ev->len == 0) continue;  // attributes of the watched directory itself
      const auto it = watches_.find(ev->wd);
      if (it == watches_.end()) {
        relevant = true;  // a watch we no longer track: err on the side of a pass
        continue;
      }
      const std::string_view name(ev->name, ::strnlen(ev->name, ev->len));
      if (!relevant && filter_(it->second.key, it->second.path, name, (ev->mask & IN_ISDIR) != 0)) relevant = true;
    }
  }
  return relevant;
}

ChangeWatcher::Wake ChangeWatcher::wait(std::chrono::milliseconds timeout, std::stop_token stop) {
  using Clock = std::chrono::steady_clock;
  drain_eventfd(event_fd_);  // a signal left over from an earlier stop token
  const int efd = event_fd_;
  std::stop_callback on_stop(stop, [efd] {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = ::write(efd, &one, sizeof one);
  });
  if (stop.stop_requested()) return Wake::Stopped;

  // A caller may pass milliseconds::max() for "no timeout": keep the
  // arithmetic finite.
  timeout = std::clamp(timeout, std::chrono::milliseconds(0), std::chrono::milliseconds(std::chrono::hours(24 * 365)));
  const Clock::time_point deadline = Clock::now() + timeout;
  bool changed = false;
  Clock::time_point quiet_until{};
  Clock::time_point burst_until{};
  for (;;) {
    const Clock::time_point now = Clock::now();
    const Clock::time_point until = changed ? std::min(quiet_until, burst_until) : deadline;
    if (now >= until) return changed ? Wake::Changed : Wake::Timeout;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - now).count();
    pollfd fds[2] = {{efd, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    const int r = ::poll(fds, inotify_fd_ >= 0 ? 2 : 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Wake::Timeout;  // cannot wait: let the caller take a pass rather than spin
    }
    if (fds[0].revents != 0) {
      drain_eventfd(efd);
      return Wake::Stopped;
    }
    if (inotify_fd_ >= 0 && fds[1].revents != 0 && drain_events()) {
      const Clock::time_point t = Clock::now();
      if (!changed) burst_until = t + kMaxBurst;
      changed = true;
      quiet_until = t + kQuietPeriod;
    }
  }
}

}  // namespace sseccoe::folder
