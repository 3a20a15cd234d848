// The parent side of sseccoe-reader (reader/main.cpp): run the child on one
// file under limits, read its JSON, and turn every way it can go wrong into
// a ReaderError that says which. The parent never opens the document: only
// the child, with its memory limit, reads it.
//
// fork + execve rather than posix_spawn, because the limits must be in place
// before the child's first instruction of parsing, and posix_spawn cannot
// set them (prlimit after the spawn would race the child). Between fork and
// execve the child of this multi-threaded process calls only
// async-signal-safe functions; everything it needs (argv, envp, limits) is
// prepared before the fork.
#include "extract/reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <system_error>

namespace sseccoe::core::extract {

namespace {

using Clock = std::chrono::steady_clock;
using Cause = ReaderError::Cause;

// Kept of the child's stderr: its last words (glibc's "terminate called
// after throwing 'std::bad_alloc'", poppler's "Out of memory") are at the
// end, and a hostile child must not make us hold more than this.
constexpr std::size_t kStderrKeep = 4096;

std::string sys_error(const std::string& what) { return what + ": " + std::strerror(errno); }

// "512 MiB", "8 MiB", or bytes when not a whole number of MiB.
std::string mib(std::uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// "30 s", "1.5 s".
std::string seconds(std::chrono::milliseconds ms) {
  std::ostringstream out;
  if (ms.count() % 1000 == 0)
    out << ms.count() / 1000;
  else
    out << double(ms.count()) / 1000.0;
  return out.str() + " s";
}

// A file descriptor closed when it goes out of scope, exceptions included.
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

void make_pipe(Fd& read_end, Fd& write_end) {
  int p[2];
  // O_CLOEXEC: another harvest thread forking at this moment must not carry
  // our write end into its child, or we would wait for that child's EOF.
  if (::pipe2(p, O_CLOEXEC) != 0) throw ReaderError(Cause::failed, sys_error("the document reader: pipe"));
  read_end.fd = p[0];
  write_end.fd = p[1];
}

// The child, killed and reaped when it goes out of scope unless already
// reaped: no zombie is left behind, whatever throws.
struct Child {
  pid_t pid = -1;
  bool reaped = false;
  int status = 0;
  struct rusage usage = {};

  Child() = default;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid > 0 && !reaped) {
      kill();
      wait(0);
    }
  }
  // The whole process group (the child made itself its leader), so that a
  // program that forked (a shell script standing in for the reader) leaves
  // nothing behind; the pid alone too, in case the child was killed before
  // its setpgid.
  void kill() const {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  // True when the child has been reaped; flags 0 blocks, WNOHANG does not.
  bool wait(int flags) {
    if (reaped) return true;
    for (;;) {
      const pid_t r = ::wait4(pid, &status, flags, &usage);
      if (r == pid) {
        reaped = true;
        return true;
      }
      if (r == 0) return false;
      if (errno == EINTR) continue;
      // ECHILD: someone else reaped it (SIGCHLD ignored, or a stray
      // waitpid(-1)); there is no status to read.
      reaped = true;
      status = -1;
      return true;
    }
  }
};

struct Outcome {
  std::string out, err;
  int status = 0;
  double cpu_seconds = 0;
};

rlim_t clamp_to_hard(int resource, rlim_t wanted) {
  struct rlimit cur {};
  if (::getrlimit(resource, &cur) == 0 && cur.rlim_max != RLIM_INFINITY && cur.rlim_max < wanted)
    return cur.rlim_max;  // a limit can only be lowered: keep the stricter one
  return wanted;
}

// Run `program args...` under `limits`; return what it printed and how it
// ended, or throw ReaderError for a wall-clock or output limit.
Outcome run(const std::string& program, const std::vector<std::string>& args, const ReaderLimits& limits) {
  if (::access(program.c_str(), X_OK) != 0)
    throw ReaderError(Cause::failed, sys_error("the document reader " + program + " cannot be run"));

  std::vector<std::string> argv_s;
  argv_s.push_back(program);
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  // A fixed, minimal environment: the child needs none, and the agent's
  // (proxies, credentials directories) is none of its business.
  static const char* const envp[] = {"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", nullptr};

  // Limits, computed before the fork. RLIMIT_CPU's hard limit one second
  // above the soft one: SIGXCPU at the soft limit, SIGKILL at the hard one
  // if the child ignores that.
  const rlim_t cpu = rlim_t(std::max<long long>(1, limits.cpu.count()));
  struct Limit {
    int resource;
    struct rlimit value;
  };
  const std::array<Limit, 6> rlimits = {{
      {RLIMIT_CPU, {clamp_to_hard(RLIMIT_CPU, cpu), clamp_to_hard(RLIMIT_CPU, cpu + 1)}},
      {RLIMIT_AS, {clamp_to_hard(RLIMIT_AS, limits.memory_bytes), clamp_to_hard(RLIMIT_AS, limits.memory_bytes)}},
      {RLIMIT_FSIZE, {0, 0}},  // it writes no file: an attempt dies of SIGXFSZ
      {RLIMIT_CORE, {0, 0}},   // no core dump of a hostile document's parse
      {RLIMIT_NPROC, {0, 0}},  // it starts no process (not enforced for root)
      {RLIMIT_NOFILE, {clamp_to_hard(RLIMIT_NOFILE, 64), clamp_to_hard(RLIMIT_NOFILE, 64)}},
  }};
  const long max_fd = std::max(256L, ::sysconf(_SC_OPEN_MAX));

  Fd out_r, out_w, err_r, err_w;
  make_pipe(out_r, out_w);
  make_pipe(err_r, err_w);
  Fd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (devnull.fd < 0) throw ReaderError(Cause::failed, sys_error("the document reader: /dev/null"));

  const Clock::time_point deadline = Clock::now() + limits.wall;
  Child child;
  child.pid = ::fork();
  if (child.pid < 0) throw ReaderError(Cause::failed, sys_error("the document reader cannot be started: fork"));
  if (child.pid == 0) {
    // The child. Async-signal-safe calls only, then execve or _exit.
    ::setpgid(0, 0);
    // Signals blocked or ignored in the agent (its signal thread blocks
    // SIGTERM and friends; SIGPIPE is ignored) would otherwise stay so
    // across execve, and SIGXCPU must be able to end the child.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s)
      if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
    if (::dup2(devnull.fd, 0) < 0 || ::dup2(out_w.fd, 1) < 0 || ::dup2(err_w.fd, 2) < 0) ::_exit(126);
    // Nothing else of the agent's (the store, sockets, inotify) is inherited.
    if (::close_range(3, ~0U, 0) != 0)
      for (int fd = 3; fd < max_fd; ++fd) ::close(fd);
    for (const Limit& l : rlimits)
      if (::setrlimit(l.resource, &l.value) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), const_cast<char* const*>(envp));
    ::_exit(127);
  }
  out_w.reset();
  err_w.reset();
  devnull.reset();
  // Reaping: poll a pidfd when the kernel has them (5.3+), else check with
  // WNOHANG every few milliseconds once the pipes are closed.
  // (The syscall itself: glibc 2.36's <sys/pidfd.h> lacks extern "C".)
  Fd pidfd(int(::syscall(SYS_pidfd_open, child.pid, 0)));

  Outcome o;
  auto wall_exceeded = [&] {
    child.kill();
    child.wait(0);
    return ReaderError(Cause::wall_limit,
                       "the document reader took longer than " + seconds(limits.wall) + " (limit) and was killed");
  };
  char buf[65536];
  bool out_open = true, err_open = true;
  while (out_open || err_open || !child.reaped) {
    if (!out_open && !err_open && child.wait(WNOHANG)) break;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) throw wall_exceeded();
    struct pollfd fds[3];
    nfds_t n = 0;
    int out_i = -1, err_i = -1;
    if (out_open) {
      out_i = int(n);
      fds[n++] = {out_r.fd, POLLIN, 0};
    }
    if (err_open) {
      err_i = int(n);
      fds[n++] = {err_r.fd, POLLIN, 0};
    }
    if (!out_open && !err_open && pidfd.fd >= 0) fds[n++] = {pidfd.fd, POLLIN, 0};
    int timeout = int(std::min<long long>(left.count() + 1, INT_MAX));
    if (!out_open && !err_open && pidfd.fd < 0) timeout = std::min(timeout, 10);
    const int r = ::poll(fds, n, timeout);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw ReaderError(Cause::failed, sys_error("the document reader: poll"));
    }
    if (out_i >= 0 && fds[out_i].revents != 0) {
      const ssize_t got = ::read(out_r.fd, buf, sizeof buf);
      if (got > 0) {
        if (o.out.size() + std::size_t(got) > limits.output_bytes) {
          child.kill();
          child.wait(0);
          throw ReaderError(Cause::output_limit,
                            "the document reader printed more than " + mib(limits.output_bytes) + " (limit) and was killed");
        }
        o.out.append(buf, std::size_t(got));
      } else if (got == 0 || errno != EINTR) {
        out_open = false;
      }
    }
    if (err_i >= 0 && fds[err_i].revents != 0) {
      const ssize_t got = ::read(err_r.fd, buf, sizeof buf);
      if (got > 0) {
        o.err.append(buf, std::size_t(got));
        if (o.err.size() > 2 * kStderrKeep) o.err.erase(0, o.err.size() - kStderrKeep);
      } else if (got == 0 || errno != EINTR) {
        err_open = false;
      }
    }
  }
  o.status = child.status;
  o.cpu_seconds = double(child.usage.ru_utime.tv_sec + child.usage.ru_stime.tv_sec) +
                  double(child.usage.ru_utime.tv_usec + child.usage.ru_stime.tv_usec) / 1e6;
  return o;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// The last non-empty line of the child's stderr, short, for a message.
std::string last_words(const std::string& err) {
  std::string s = err;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  const auto nl = s.rfind('\n');
  if (nl != std::string::npos) s.erase(0, nl + 1);
  if (s.size() > 200) s = s.substr(0, 200) + "...";
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return s;
}

// How the child ended, when that was not success: a ReaderError to throw.
// Exit status 2 carries the child's own JSON verdict (reader/main.cpp).
ReaderError failure(const Outcome& o, const ReaderLimits& limits) {
  const std::string memory = "the document reader exceeded its " + mib(limits.memory_bytes) + " memory limit";
  if (o.status == -1) return ReaderError(Cause::failed, "the document reader's exit status was lost (reaped elsewhere)");
  if (WIFSIGNALED(o.status)) {
    const int sig = WTERMSIG(o.status);
    if (sig == SIGXCPU || (sig == SIGKILL && o.cpu_seconds + 0.05 >= double(limits.cpu.count())))
      return ReaderError(Cause::cpu_limit, "the document reader was killed after " +
                                               std::to_string(limits.cpu.count()) + " s of CPU time (limit)");
    // poppler's allocator prints "Out of memory" and aborts; an uncaught
    // std::bad_alloc ends in std::terminate. Both are the memory limit.
    if ((sig == SIGABRT || sig == SIGSEGV) &&
        (contains(o.err, "Out of memory") || contains(o.err, "bad_alloc") || contains(o.err, "memory exhausted")))
      return ReaderError(Cause::memory_limit, memory);
    const char* abbrev = ::sigabbrev_np(sig);
    return ReaderError(Cause::crashed, "the document reader crashed with signal " + std::to_string(sig) +
                                           (abbrev ? std::string(" (SIG") + abbrev + ")" : std::string()));
  }
  const int code = WIFEXITED(o.status) ? WEXITSTATUS(o.status) : -1;
  if (code == 3) return ReaderError(Cause::memory_limit, memory);
  if (code == 2) {
    try {
      const auto j = nlohmann::json::parse(o.out);
      const std::string kind = j.value("kind", "");
      const std::string error = j.at("error").get<std::string>();
      const Cause cause = kind == "not_pdf"       ? Cause::not_a_pdf
                          : kind == "damaged"     ? Cause::damaged
                          : kind == "password"    ? Cause::password
                          : kind == "unsupported" ? Cause::unsupported
                          : kind == "memory"      ? Cause::memory_limit
                                                  : Cause::failed;
      if (cause == Cause::memory_limit) return ReaderError(cause, memory);
      return ReaderError(cause, error);
    } catch (const nlohmann::json::exception&) {
      // fall through: an exit status 2 without our JSON
    }
  }
  if (code == 126) return ReaderError(Cause::failed, "the document reader could not be started (setrlimit or dup2 failed)");
  if (code == 127) return ReaderError(Cause::failed, "the document reader could not be executed");
  std::string msg = "the document reader failed with exit status " + std::to_string(code);
  const std::string words = last_words(o.err);
  if (!words.empty()) msg += ": " + words;
  return ReaderError(Cause::failed, msg);
}

nlohmann::json parse_success(const Outcome& o, const ReaderLimits& limits) {
  if (o.status != 0) throw failure(o, limits);
  try {
    return nlohmann::json::parse(o.out);
  } catch (const nlohmann::json::exception&) {
    throw ReaderError(Cause::failed, "the document reader printed something that is not JSON");
  }
}

bool is_space_only(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {  // U+00A0
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

bool PdfText::no_text() const { return std::all_of(pages.begin(), pages.end(), is_space_only); }

DocumentReader::DocumentReader(std::string program, ReaderLimits limits)
    : program_(std::move(program)), limits_(limits) {}

std::string DocumentReader::default_program() {
  // An explicit choice wins: tests and unusual installs point at their own.
  if (const char* env = std::getenv("SSECCOE_READER"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "sseccoe-reader";  // no /proc: pdf_text will say it cannot be run
  return (exe.parent_path() / ".." / "lib" / "sseccoe-agent" / "sseccoe-reader").lexically_normal().string();
}

PdfText DocumentReader::pdf_text(const std::string& file) const {
  const Outcome o = run(program_, {"pdf", file, "--max-pages", std::to_string(std::max(0, limits_.max_pages))}, limits_);
  const auto j = parse_success(o, limits_);
  PdfText t;
  try {
    t.pages = j.at("pages").get<std::vector<std::string>>();
    t.page_count = j.at("page_count").get<int>();
    t.encrypted = j.at("encrypted").get<bool>();
  } catch (const nlohmann::json::exception& e) {
    throw ReaderError(Cause::failed, std::string("the document reader's answer has an unexpected shape: ") + e.what());
  }
  return t;
}

ImageInfo DocumentReader::image_info(const std::string& file) const {
  const Outcome o = run(program_, {"image", file}, limits_);
  const auto j = parse_success(o, limits_);
  ImageInfo info;
  try {
    info.width = j.at("width").get<int>();
    info.height = j.at("height").get<int>();
    info.format = j.at("format").get<std::string>();
    info.datetime_original = j.value("datetime_original", "");
  } catch (const nlohmann::json::exception& e) {
    throw ReaderError(Cause::failed, std::string("the document reader's answer has an unexpected shape: ") + e.what());
  }
  return info;
}

}  // namespace sseccoe::core::extract
