#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "env.hpp"

namespace sseccoe::folder {

namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

FileKind kind_of_mode(mode_t mode) {
  if (S_ISREG(mode)) return FileKind::Regular;
  if (S_ISDIR(mode)) return FileKind::Directory;
  if (S_ISLNK(mode)) return FileKind::Symlink;
  if (S_ISFIFO(mode)) return FileKind::Fifo;
  if (S_ISSOCK(mode)) return FileKind::Socket;
  if (S_ISCHR(mode)) return FileKind::CharDevice;
  if (S_ISBLK(mode)) return FileKind::BlockDevice;
  return FileKind::Unknown;
}

FileKind kind_of_dtype(unsigned char t) {
  switch (t) {
    case DT_REG: return FileKind::Regular;
    case DT_DIR: return FileKind::Directory;
    case DT_LNK: return FileKind::Symlink;
    case DT_FIFO: return FileKind::Fifo;
    case DT_SOCK: return FileKind::Socket;
    case DT_CHR: return FileKind::CharDevice;
    case DT_BLK: return FileKind::BlockDevice;
    default: return FileKind::Unknown;
  }
}

FileStat to_file_stat(const struct stat& st) {
  FileStat out;
  out.kind = kind_of_mode(st.st_mode);
  out.dev = static_cast<std::uint64_t>(st.st_dev);
  out.ino = static_cast<std::uint64_t>(st.st_ino);
  out.size = st.st_size > 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return out;
}

// The path an open descriptor refers to now, "" when /proc is unavailable.
std::string fd_path(int fd) {
  char link[64];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  std::string buf(PATH_MAX, '\0');
  const ssize_t n = ::readlink(link, buf.data(), buf.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= buf.size()) return {};
  buf.resize(static_cast<std::size_t>(n));
  return buf;
}

class PosixFile final : public ReadableFile {
 public:
  explicit PosixFile(int fd) : fd_(fd) {
    // Sequential read-ahead; the whole file is read once, front to back.
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~PosixFile() override { ::close(fd_); }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;

  std::error_code read(char* buf, std::size_t n, std::size_t& got) override {
    for (;;) {
      const ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) {
        got = static_cast<std::size_t>(r);
        return {};
      }
      if (errno != EINTR) return last_error();
    }
  }

  std::error_code stat(FileStat& out) override {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return last_error();
    out = to_file_stat(st);
    return {};
  }

  std::string current_path() override { return fd_path(fd_); }

  void consumed(std::uint64_t upto) override {
    // Harvesting a multi-GiB file must not evict the rest of the machine's
    // page cache: drop what has been read, in large steps.
    constexpr std::uint64_t kStep = 8ull << 20;
    if (upto < dropped_ + kStep) return;
    ::posix_fadvise(fd_, static_cast<off_t>(dropped_), static_cast<off_t>(upto - dropped_), POSIX_FADV_DONTNEED);
    dropped_ = upto;
  }

 private:
  int fd_;
  std::uint64_t dropped_ = 0;
};

class PosixEnv final : public Env {
 public:
  std::error_code list_dir(const std::string& path, std::vector<DirEntry>& entries, std::string& resolved) override {
    entries.clear();
    resolved.clear();
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return last_error();
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
      const std::error_code ec = last_error();
      ::close(fd);
      return ec;
    }
    std::unique_ptr<DIR, int (*)(DIR*)> guard(dir, &::closedir);
    resolved = fd_path(fd);
    for (;;) {
      errno = 0;
      const dirent* e = ::readdir(dir);
      if (e == nullptr) {
        // A listing cut short by an I/O error is not a complete listing.
        if (errno != 0) return last_error();
        break;
      }
      const std::string_view name(e->d_name);
      if (name == "." || name == "..") continue;
      entries.push_back({std::string(name), kind_of_dtype(e->d_type)});
    }
    return {};
  }

  std::error_code lstat(const std::string& path, FileStat& out) override {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return last_error();
    out = to_file_stat(st);
    return {};
  }

  std::error_code stat(const std::string& path, FileStat& out) override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return last_error();
    out = to_file_stat(st);
    return {};
  }

  std::error_code real_path(const std::string& path, std::string& out) override {
    std::unique_ptr<char, decltype(&std::free)> r(::realpath(path.c_str(), nullptr), &std::free);
    if (!r) return last_error();
    out = r.get();
    return {};
  }

  std::error_code open_read(const std::string& path, std::unique_ptr<ReadableFile>& out) override {
    // O_NONBLOCK: if the path was swapped for a FIFO since it was listed, the
    // open must not hang the daemon (the caller then refuses the non-file).
    // O_NOATIME: harvesting must not change what users see on the share;
    // only the owner (or CAP_FOWNER) may ask for it, so retry without.
    constexpr int kFlags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
    int fd = ::open(path.c_str(), kFlags | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = ::open(path.c_str(), kFlags);
    if (fd < 0) return last_error();
    out = std::make_unique<PosixFile>(fd);
    return {};
  }

  std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
};

}  // namespace

std::shared_ptr<Env> Env::posix() { return std::make_shared<PosixEnv>(); }

}  // namespace sseccoe::folder
