#include "metrics/textfile.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace sseccoe::metrics {

namespace {

[[noreturn]] void fail(int err, const std::string& what, const std::string& tmp) {
  if (!tmp.empty()) ::unlink(tmp.c_str());
  throw std::system_error(err, std::generic_category(), what);
}

}  // namespace

void write_textfile(const std::string& path, const std::string& text) {
  // The pid keeps two writers (an old and a new process during a restart)
  // from sharing a temporary file.
  const std::string tmp = path + "." + std::to_string(::getpid()) + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(errno, "cannot create " + tmp, "");
  // The umask may have narrowed the mode; the collector must be able to read it.
  ::fchmod(fd, 0644);
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      fail(err, "cannot write " + tmp, tmp);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) fail(errno, "cannot write " + tmp, tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail(errno, "cannot replace " + path, tmp);
}

}  // namespace sseccoe::metrics
