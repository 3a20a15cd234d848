#include "maildir_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::maildir {

namespace {

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Names in a directory; false (errno kept) when it cannot be opened.
bool read_names(const std::string& dir, std::vector<std::string>& names) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return false;
  errno = 0;
  while (const dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
  const int e = errno;
  ::closedir(d);
  errno = e;
  return e == 0;
}

}  // namespace

std::string_view unique_of(std::string_view name) {
  // The info part starts at the first ':' (":2,FLAGS"; ":1,..." is
  // experimental but is info all the same).
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(0, colon);
}

bool folder_named(const MaildirFolder& folder, std::string_view name) {
  if (!name.empty() && name.front() == '.') name.remove_prefix(1);
  if (folder.name == "INBOX")
    return name.size() == 5 && std::equal(name.begin(), name.end(), "INBOX", [](char a, char b) {
             return std::toupper(static_cast<unsigned char>(a)) == b;
           });
  return folder.name == name;
}

std::vector<MaildirFolder> list_folders(const std::string& root, std::error_code& ec) {
  std::vector<MaildirFolder> out;
  std::vector<std::string> names;
  if (!read_names(root, names)) {
    ec = std::error_code(errno, std::generic_category());
    return out;
  }
  if (is_dir(root + "/cur") || is_dir(root + "/new")) out.push_back({"INBOX", root});
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    if (n.size() < 2 || n[0] != '.' || n == "..") continue;
    const std::string path = root + "/" + n;
    if (!is_dir(path + "/cur")) continue;
    out.push_back({sdk::mail::decode_mailbox_name(std::string_view(n).substr(1)), path});
  }
  return out;
}

std::vector<MessageFile> list_messages(const MaildirFolder& folder, std::vector<std::string>& problems) {
  std::vector<MessageFile> out;
  for (const char* sub : {"new", "cur"}) {
    const std::string dir = folder.path + "/" + sub;
    std::vector<std::string> names;
    if (!read_names(dir, names)) {
      if (errno != ENOENT || std::string_view(sub) == "cur")
        problems.push_back("folder '" + folder.name + "': cannot list " + dir + " (" + std::strerror(errno) + ")");
      continue;
    }
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) continue;
    for (const auto& n : names) {
      if (n.empty() || n[0] == '.') continue;
      struct stat st {};
      // A file renamed by a mail client since readdir is simply not there:
      // the next pass finds it under its new name.
      if (::fstatat(dfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
      out.push_back({dir + "/" + n, std::string(unique_of(n)), static_cast<std::uint64_t>(st.st_size),
                     static_cast<std::int64_t>(st.st_mtim.tv_sec)});
    }
    ::close(dfd);
  }
  std::sort(out.begin(), out.end(), [](const MessageFile& a, const MessageFile& b) { return a.unique < b.unique; });
  return out;
}

}  // namespace sseccoe::maildir
