// The maildir source's option table (its own options followed by the mail
// options every mail source shares, sdk::mail::shared_options()) and the
// typed settings read from it.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::maildir {

std::span<const sdk::OptionSpec> option_table();

struct MaildirSettings {
  std::string instance;  // the [[source]] name, for messages
  std::string root;      // the Maildir root, as configured
  std::vector<std::string> folders;          // empty: every folder
  std::vector<std::string> exclude_folders;  // never harvested
  bool watch = true;
  std::string work_dir;      // where messages are spooled
  sdk::OptionValues options;  // all of them, for sdk::mail (per_attachment, ...)
};

// Reads options the core has already validated against the table. Throws
// std::invalid_argument, naming the source and option, for what types alone
// cannot rule out (an empty path or folder name, no work directory).
MaildirSettings read_settings(const sdk::SourceConfig& config);

}  // namespace sseccoe::maildir
