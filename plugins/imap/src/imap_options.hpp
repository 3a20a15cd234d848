// The imap source's option table (the single source of truth: validation,
// `plugins describe imap` and docs/plugins/imap.md are generated from it by
// the core), followed by the options every mail source shares, and the typed
// settings read from it.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "imap_url.hpp"
#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::imap {

std::span<const sdk::OptionSpec> option_table();

struct ImapSettings {
  std::string instance;  // the [[source]] name, for messages
  std::string url;       // as configured
  ServerUrl server;
  std::string username;
  std::string password_file;  // exactly one of these two
  std::string token_file;
  std::vector<std::string> folders;
  std::string ca_file;  // empty: the system trust store
  std::chrono::milliseconds timeout{60000};
  bool idle = true;
  std::string work_dir;      // where messages are spooled while fetched
  sdk::OptionValues options;  // everything, for the shared mail options
};

// Reads options the core has already validated against the table and filled
// with defaults. Throws std::invalid_argument, naming the source and the
// option, for what types alone cannot rule out.
ImapSettings read_settings(const sdk::SourceConfig& config);

}  // namespace sseccoe::imap
