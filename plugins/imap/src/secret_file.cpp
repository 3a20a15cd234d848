#include "secret_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sseccoe::imap {

namespace {
constexpr std::size_t kMaxSecret = 64 * 1024;
}

std::string read_secret_file(const std::string& option, const std::string& path) {
  const std::string where = "option '" + option + "': " + path;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    throw std::runtime_error(where + " cannot be read (" + std::strerror(errno) +
                             "): create it, readable by the agent's user only (chmod 600)");
  std::string content;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      throw std::runtime_error(where + " cannot be read (" + std::strerror(err) + ")");
    }
    if (n == 0) break;
    content.append(buf, static_cast<std::size_t>(n));
    if (content.size() > kMaxSecret) {
      ::close(fd);
      throw std::runtime_error(where + " is larger than 64 KiB: it must hold only the secret");
    }
  }
  ::close(fd);
  const std::size_t end = content.find_first_of("\r\n");
  if (end != std::string::npos) content.resize(end);
  if (content.empty()) throw std::runtime_error(where + " is empty: write the secret on its first line");
  return content;
}

}  // namespace sseccoe::imap
