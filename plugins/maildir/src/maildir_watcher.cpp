#include "maildir_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <system_error>
#include <utility>

namespace sseccoe::maildir {

namespace {

constexpr std::uint32_t kMask = IN_MOVED_TO | IN_CREATE | IN_ONLYDIR;

}  // namespace

MaildirWatcher::MaildirWatcher(bool use_inotify) {
  event_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (event_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  if (!use_inotify) return;
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0)
    notes_.push_back(std::string("inotify is not available (") + std::strerror(errno) +
                     "): new mail is noticed on the poll interval only");
}

MaildirWatcher::~MaildirWatcher() {
  if (inotify_fd_ >= 0) ::close(inotify_fd_);
  if (event_fd_ >= 0) ::close(event_fd_);
}

void MaildirWatcher::watch(const std::string& root, const std::vector<MaildirFolder>& folders) {
  if (inotify_fd_ < 0) return;
  std::set<std::string> wanted{root};
  for (const auto& f : folders) {
    wanted.insert(f.path + "/new");
    wanted.insert(f.path + "/cur");
  }
  for (auto it = watches_.begin(); it != watches_.end();) {
    if (wanted.count(it->first) == 0) {
      ::inotify_rm_watch(inotify_fd_, it->second);
      it = watches_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& dir : wanted) {
    if (watches_.count(dir) != 0) continue;
    const int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(), kMask);
    if (wd >= 0) {
      watches_[dir] = wd;
    } else if (errno == ENOSPC && !limit_noted_) {
      limit_noted_ = true;
      notes_.push_back("the inotify watch limit is reached (fs.inotify.max_user_watches): some folders are "
                       "noticed on the poll interval only");
    }
  }
}

std::vector<std::string> MaildirWatcher::take_notes() { return std::exchange(notes_, {}); }

bool MaildirWatcher::drain() {
  alignas(inotify_event) char buf[16 * 1024];
  bool any = false;
  for (;;) {
    const ssize_t n = ::read(inotify_fd_, buf, sizeof buf);
    if (n <= 0) break;  // EAGAIN: drained
    any = true;
  }
  return any;
}

MaildirWatcher::Wake MaildirWatcher::wait(std::chrono::milliseconds timeout, std::stop_token stop) {
  if (stop.stop_requested()) return Wake::Stopped;
  std::stop_callback wake(stop, [this] {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_, &one, sizeof one);
  });
  auto poll_for = [&](std::chrono::milliseconds ms) {
    pollfd fds[2] = {{event_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    const int nfds = inotify_fd_ >= 0 ? 2 : 1;
    int rc;
    do rc = ::poll(fds, static_cast<nfds_t>(nfds), static_cast<int>(std::max<long long>(ms.count(), 0)));
    while (rc < 0 && errno == EINTR);
    if (fds[0].revents != 0) return Wake::Stopped;
    if (nfds == 2 && fds[1].revents != 0 && drain()) return Wake::Changed;
    return Wake::Timeout;
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Wake::Timeout;
    const Wake w = poll_for(left);
    if (w == Wake::Stopped || stop.stop_requested()) return Wake::Stopped;
    if (w == Wake::Timeout) {
      if (std::chrono::steady_clock::now() >= deadline) return Wake::Timeout;
      continue;
    }
    // A burst (a client moving a thousand messages): wait until it is quiet.
    const auto burst_end = std::chrono::steady_clock::now() + kMaxBurst;
    while (std::chrono::steady_clock::now() < burst_end) {
      const Wake more = poll_for(kQuietPeriod);
      if (more == Wake::Stopped) return Wake::Stopped;
      if (more == Wake::Timeout) break;
    }
    return Wake::Changed;
  }
}

}  // namespace sseccoe::maildir
