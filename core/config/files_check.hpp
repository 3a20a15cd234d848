// Internal to the configuration loader: path options that name files the
// agent reads later (secrets, CA bundles, the catalog). Only their existence
// and permissions are checked here; their contents are never read, so a
// secret cannot end up in a message.
#pragma once

#include <string>

#include "config/diagnostics.hpp"

namespace sseccoe::core::config_detail {

// Replaces a leading "${CREDENTIALS_DIRECTORY}" (systemd's LoadCredential=)
// with its value. Returns false, after a warning, when the variable is unset
// (check-config run from a shell): the path can then not be checked.
bool expand_credentials(std::string& value, const Location& where, const std::string& option,
                        Diagnostics& diag);

// Reports a file that is missing, not a regular file or unreadable, and warns
// when a secret is readable by every user.
void check_readable_file(const std::string& path, const Location& where, const std::string& option,
                         bool secret, Diagnostics& diag);

}  // namespace sseccoe::core::config_detail
