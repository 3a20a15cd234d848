// Secrets (a password, an OAuth2 bearer token) are never written in the
// configuration: `password_file` / `token_file` name a file (or a systemd
// credential in $CREDENTIALS_DIRECTORY) holding them. This reads one.
#pragma once

#include <string>

namespace sseccoe::imap {

// The file's content up to its first line end (CR and LF removed). Throws
// std::runtime_error naming the option and the path, never the content,
// when the file cannot be read, is empty, or is larger than 64 KiB.
std::string read_secret_file(const std::string& option, const std::string& path);

}  // namespace sseccoe::imap
