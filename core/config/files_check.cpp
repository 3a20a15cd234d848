#include "config/files_check.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace sseccoe::core::config_detail {

namespace {
constexpr std::string_view kCredentials = "${CREDENTIALS_DIRECTORY}";
}

bool expand_credentials(std::string& value, const Location& where, const std::string& option,
                        Diagnostics& diag) {
  if (value.compare(0, kCredentials.size(), kCredentials) != 0) return true;
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') {
    diag.warning(where, option,
                 "refers to ${CREDENTIALS_DIRECTORY}, which is set only when systemd starts the service with "
                 "LoadCredential=: the file cannot be checked from here");
    return false;
  }
  value = std::string(dir) + value.substr(kCredentials.size());
  return true;
}

void check_readable_file(const std::string& path, const Location& where, const std::string& option,
                         bool secret, Diagnostics& diag) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT)
      diag.error(where, option,
                 "file " + path + " does not exist: create it" +
                     (secret ? " (owner root, mode 0600)" : "") + " or correct the path");
    else
      diag.error(where, option, "file " + path + " cannot be examined: " + std::strerror(err));
    return;
  }
  if (!S_ISREG(st.st_mode)) {
    diag.error(where, option, path + " is not a regular file: name the file itself");
    return;
  }
  if (::access(path.c_str(), R_OK) != 0) {
    diag.error(where, option,
               "file " + path + " cannot be read by this user (uid " + std::to_string(::geteuid()) +
                   "): " + std::strerror(errno) + "; make it readable by the agent's user");
    return;
  }
  if (secret && (st.st_mode & S_IROTH) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    diag.warning(where, option,
                 "secret file " + path + " is readable by every user (mode " + mode + "): chmod 600 " + path);
  }
}

}  // namespace sseccoe::core::config_detail
