#include "byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sseccoe::csv {

namespace {

// Release the page cache in steps of this size behind the reader.
constexpr std::uint64_t kDropStep = 8u << 20;

std::error_code last_error() { return {errno, std::generic_category()}; }

}  // namespace

std::size_t StringSource::read(char* buf, std::size_t cap) {
  const std::size_t n = std::min({cap, chunk_, static_cast<std::size_t>(data_.size() - pos_)});
  std::memcpy(buf, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

std::string StringSource::peek(std::uint64_t offset, std::size_t cap) {
  if (offset >= data_.size()) return {};
  return data_.substr(offset, cap);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::error_code FileSource::open(const std::string& path) {
  // O_NONBLOCK: a FIFO put where the export should be must not hang the
  // pass in open(); it is refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return last_error();
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::error_code ec = last_error();
    ::close(fd);
    return ec;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return std::make_error_code(S_ISDIR(st.st_mode) ? std::errc::is_a_directory : std::errc::invalid_argument);
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  pos_ = 0;
  dropped_to_ = 0;
  return {};
}

std::error_code FileSource::stat(std::uint64_t& size, std::int64_t& mtime_ns) const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return last_error();
  size = static_cast<std::uint64_t>(st.st_size);
  mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return {};
}

std::size_t FileSource::read(char* buf, std::size_t cap) {
  for (;;) {
    const ssize_t n = ::pread(fd_, buf, cap, static_cast<off_t>(pos_));
    if (n >= 0) {
      pos_ += static_cast<std::uint64_t>(n);
      if (pos_ >= dropped_to_ + 2 * kDropStep) {
        const std::uint64_t upto = pos_ - kDropStep;
        ::posix_fadvise(fd_, static_cast<off_t>(dropped_to_), static_cast<off_t>(upto - dropped_to_),
                        POSIX_FADV_DONTNEED);
        dropped_to_ = upto;
      }
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) throw std::system_error(last_error(), "read");
  }
}

void FileSource::seek(std::uint64_t offset) {
  pos_ = offset;
  dropped_to_ = std::min(dropped_to_, offset);
}

std::string FileSource::peek(std::uint64_t offset, std::size_t cap) {
  std::string out(cap, '\0');
  std::size_t got = 0;
  while (got < cap) {
    const ssize_t n = ::pread(fd_, out.data() + got, cap - got, static_cast<off_t>(offset + got));
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(last_error(), "read");
    }
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace sseccoe::csv
