#include "imap_source.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <unordered_set>

#include "errors.hpp"
#include "folder_pass.hpp"
#include "secret_file.hpp"
#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::imap {

namespace {

using std::chrono::milliseconds;

void drain(int fd) {
  std::uint64_t v;
  while (::read(fd, &v, sizeof v) == static_cast<ssize_t>(sizeof v)) {
  }
}

struct Signal {
  int fd;
  void operator()() const noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = ::write(fd, &one, sizeof one);
  }
};

// For the duration of a call: a stop request makes the cancel descriptor
// readable, which aborts any network wait at once.
class CancelScope {
 public:
  CancelScope(int fd, std::stop_token stop) : cb_((drain(fd), std::move(stop)), Signal{fd}) {}

 private:
  std::stop_callback<Signal> cb_;
};

std::string human_bytes(std::uint64_t n) {
  if (n < (1u << 20)) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n >> 20) + " MiB";
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string summary(const std::string& folder, const FolderCounters& c) {
  return "folder '" + folder + "': " + std::to_string(c.listed) + " messages above the cursor: " +
         std::to_string(c.stored) + " new or changed, " + std::to_string(c.unchanged) + " unchanged, " +
         std::to_string(c.known) + " already harvested (by Message-ID), " + std::to_string(c.quarantined) +
         " quarantined, " + std::to_string(c.deferred) + " deferred, " + std::to_string(c.expunged) +
         " expunged meanwhile; " + human_bytes(c.bytes) + " fetched";
}

}  // namespace

ImapSource::ImapSource(ImapSettings settings) : s_(std::move(settings)) {
  const std::string host = s_.server.host.find(':') != std::string::npos ? "[" + s_.server.host + "]" : s_.server.host;
  locator_base_ = "imap://" + host + ":" + std::to_string(s_.server.port) + "/";
  cancel_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (cancel_fd_ < 0) throw std::system_error(errno, std::generic_category(), "cannot create an eventfd");
}

ImapSource::~ImapSource() {
  drop_session();
  ::close(cancel_fd_);
}

std::unique_ptr<ImapSession> ImapSource::open_session(int cancel_fd) const {
  SessionSettings ss;
  ss.host = s_.server.host;
  ss.port = s_.server.port;
  ss.implicit_tls = s_.server.implicit_tls;
  ss.ca_file = s_.ca_file;
  ss.timeout = s_.timeout;
  Credentials c;
  c.username = s_.username;
  c.oauth2 = !s_.token_file.empty();
  // Read at every connection: a renewed token or changed password is used
  // without a restart, and the secret is held only while logging in.
  c.secret = c.oauth2 ? read_secret_file("token_file", s_.token_file)
                      : read_secret_file("password_file", s_.password_file);
  auto session = ImapSession::connect(ss, cancel_fd);
  session->login(c);
  return session;
}

FolderResolution ImapSource::resolve(ImapSession& session) const {
  return resolve_folders(s_.folders, session.list(),
                         [](std::string_view wire) { return sdk::mail::decode_mailbox_name(wire); });
}

void ImapSource::drop_session() noexcept {
  if (session_ && session_->usable()) session_->logout();
  session_.reset();
}

void ImapSource::sleep(milliseconds timeout) const {
  pollfd p{cancel_fd_, POLLIN, 0};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::ceil<milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return;
    const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (r > 0) return;  // stopped
    if (r < 0 && errno != EINTR) return;
  }
}

sdk::Cursor ImapSource::harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) {
  CancelScope scope(cancel_fd_, stop);
  for (const auto& [level, text] : notes_) out.log(level, text);
  notes_.clear();
  if (stop.stop_requested()) return from;

  std::string problem;
  HarvestCursor cursor = HarvestCursor::parse(from.value, problem);
  if (!problem.empty())
    out.log(sdk::LogLevel::Warn, problem + ": every folder is read again from its start; messages already "
                                           "harvested are recognised by Message-ID and not fetched again");
  std::unordered_set<std::uint64_t> fetched_keys;
  PassContext ctx{out, s_, locator_base_, stop, cursor, fetched_keys};

  FolderResolution resolution;
  bool resolved = false;
  std::size_t next = 0;
  std::vector<std::string> folder_errors;
  int reconnects = 0;
  std::string progress_at_drop;  // the cursor when the connection was last lost
  for (;;) {
    try {
      if (!session_ || !session_->usable()) {
        session_.reset();
        session_ = open_session(cancel_fd_);
      }
      if (!resolved) {
        resolution = resolve(*session_);
        resolved = true;
        folders_ = resolution.folders;
        if (folders_.empty())
          throw std::runtime_error("none of the configured folders can be read: " + join(resolution.problems) +
                                   "; check option 'folders'");
      }
      for (; next < folders_.size(); ++next) {
        const ResolvedFolder& f = folders_[next];
        FolderPass pass(*session_, f, ctx);
        bool complete = false;
        try {
          complete = pass.run();
        } catch (const CommandRefused& e) {
          folder_errors.push_back(e.what());
          if (!session_->usable()) throw NetworkError(e.what());
          continue;
        }
        uidnext_[f.mailbox.wire] = pass.uidnext();
        const FolderCounters& c = pass.counters();
        // Quiet when there was nothing above the cursor (most passes).
        out.log(c.listed > 0 ? sdk::LogLevel::Info : sdk::LogLevel::Debug, summary(f.mailbox.name, c));
        if (!complete) return sdk::Cursor{cursor.serialize()};
      }
      break;
    } catch (const Cancelled&) {
      drop_session();
      return sdk::Cursor{cursor.serialize()};
    } catch (const NetworkError& e) {
      drop_session();
      if (stop.stop_requested()) return sdk::Cursor{cursor.serialize()};
      // Reconnect only while that gets somewhere: a connection that drops
      // at the same place again and again is a problem for the next pass.
      const std::string position = cursor.serialize();
      reconnects = position == progress_at_drop ? reconnects + 1 : 1;
      progress_at_drop = position;
      if (!resolved) throw;  // not even connected: nothing to resume
      if (reconnects > kMaxReconnects)
        throw std::runtime_error(std::string(e.what()) +
                                 "; the next pass resumes after the last message stored");
      out.log(sdk::LogLevel::Warn, std::string(e.what()) + "; connecting again to resume");
      // 1 s, 2 s, 4 s: room for a server restart, not long enough to matter.
      sleep(milliseconds(1000) * (1 << (reconnects - 1)));
      if (stop.stop_requested()) return sdk::Cursor{cursor.serialize()};
    } catch (...) {
      drop_session();
      throw;
    }
  }
  std::vector<std::string> problems = resolution.problems;
  problems.insert(problems.end(), folder_errors.begin(), folder_errors.end());
  if (!problems.empty()) {
    out.checkpoint(sdk::Cursor{cursor.serialize()});
    throw std::runtime_error(join(problems) + "; check option 'folders' (the other folders were harvested)");
  }
  return sdk::Cursor{cursor.serialize()};
}

bool ImapSource::idle_wait(milliseconds timeout) {
  // Only on the connection a successful pass left open: after a failed pass
  // (a refused login above all) the next attempt waits for the interval.
  if (!session_ || !session_->usable()) return false;
  if (!session_->has_capability("IDLE")) return false;
  if (folders_.empty()) return false;
  const ResolvedFolder& first = folders_.front();
  const MailboxStatus st = session_->examine(first.mailbox);
  // Mail that arrived between the end of the pass and now: no IDLE needed.
  if (const auto it = uidnext_.find(first.mailbox.wire); it == uidnext_.end() || it->second != st.uidnext) {
    last_wake_ = Wake::Changed;
    return true;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::ceil<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      last_wake_ = Wake::Timeout;
      return true;
    }
    if (session_->idle(std::min<milliseconds>(left, kIdleRenew)) == ImapSession::IdleWake::Changed) {
      last_wake_ = Wake::Changed;
      return true;
    }
  }
}

void ImapSource::wait_for_change(milliseconds timeout, std::stop_token stop) {
  CancelScope scope(cancel_fd_, stop);
  if (stop.stop_requested()) {
    last_wake_ = Wake::Stopped;
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  if (s_.idle) {
    try {
      if (idle_wait(timeout)) return;
    } catch (const Cancelled&) {
      session_.reset();  // mid-IDLE: nothing polite to say
      last_wake_ = Wake::Stopped;
      return;
    } catch (const std::exception& e) {
      // Some servers end idle connections after a while; the next pass
      // connects again (and reports real trouble). Until then only poll,
      // without spinning on a server that drops us at once.
      drop_session();
      notes_.emplace_back(sdk::LogLevel::Info, std::string("the connection waiting for new mail (IDLE) ended (") +
                                                   e.what() + "); the next pass connects again");
    }
  }
  sleep(timeout - std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started));
  last_wake_ = stop.stop_requested() ? Wake::Stopped : Wake::Polled;
}

std::string ImapSource::probe() {
  try {
    auto session = open_session(-1);
    const FolderResolution r = resolve(*session);
    session->logout();
    if (!r.problems.empty()) return join(r.problems) + "; check option 'folders'";
    return {};
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace sseccoe::imap
