// Reading a Maildir++ tree: which folders it has, and which message files
// each holds (new/ and cur/, never tmp/). Listing costs one readdir per
// directory and one fstatat per file; no message is opened here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace sseccoe::maildir {

struct MaildirFolder {
  std::string name;  // "INBOX", "Sent", "Archivo.2021" (modified UTF-7 decoded)
  std::string path;  // the directory holding cur/ and new/
};

struct MessageFile {
  std::string path;    // the file as listed
  std::string unique;  // its Maildir unique name: the file name before ":2," (flags are not identity)
  std::uint64_t size = 0;
  std::int64_t mtime = 0;  // seconds
};

// The root as INBOX (when it has cur/ or new/), then every Maildir++
// subfolder (".Name" holding cur/), by name. Fails (ec set) only when the
// root itself cannot be listed.
std::vector<MaildirFolder> list_folders(const std::string& root, std::error_code& ec);

// The regular files of new/ and cur/ not starting with '.', sorted by
// unique name (delivery order: unique names start with the delivery time).
// Directories that cannot be read are described in `problems`.
std::vector<MessageFile> list_messages(const MaildirFolder& folder, std::vector<std::string>& problems);

// "1621015200.M1P2.host,S=123:2,RS" -> "1621015200.M1P2.host,S=123"
std::string_view unique_of(std::string_view file_name);

// Whether a folder name selects `folder`: "INBOX" in any case for the root,
// others exactly, a leading '.' ignored (".Sent" == "Sent").
bool folder_named(const MaildirFolder& folder, std::string_view name);

}  // namespace sseccoe::maildir
