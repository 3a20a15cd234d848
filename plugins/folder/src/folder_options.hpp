// The folder source's option table (the single source of truth: validation,
// `plugins describe folder` and docs/plugins/folder.md are generated from it
// by the core) and the typed settings read from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::folder {

std::span<const sdk::OptionSpec> option_table();

// The deepest max_depth accepted: deeper than any real share, shallow enough
// that the recursive walk stays far from the thread's stack limit.
constexpr std::int64_t kMaxDepthLimit = 1024;

struct FolderSettings {
  std::string instance;  // the [[source]] name, for messages
  std::string root;      // as configured
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  bool case_insensitive_globs = true;
  bool follow_symlinks = true;
  std::chrono::milliseconds settle{5000};
  std::uint64_t max_file_size = 8ull << 30;
  bool watch = true;
  std::int64_t max_depth = 64;
  bool track_inode = true;
};

// Reads options the core has already validated against the table and filled
// with defaults. Throws std::invalid_argument, naming the source and the
// option, for what types alone cannot rule out (a negative max_depth).
// Globs are checked by the source when it compiles them.
FolderSettings read_settings(const sdk::SourceConfig& config);

}  // namespace sseccoe::folder
