// Internal to the configuration loader: finding, reading and parsing the
// main file and its conf.d drop-ins.
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace sseccoe::core::config_detail {

struct ParsedFile {
  std::string path;
  toml::table root;
};

// `path` first, then <dir of path>/conf.d/*.toml in byte order of their
// names. Every file considered is appended to `files_read`; only those that
// could be read and parsed are returned, the others are reported.
std::vector<ParsedFile> read_config_files(const std::string& path, const LoadOptions& options,
                                          Diagnostics& diag, std::vector<std::string>& files_read);

// The directory that relative paths written in `file` are resolved against.
std::string base_directory(const std::string& file);

// `value` made absolute against the directory of `file` (unchanged when
// already absolute), normalised lexically.
std::string resolve_path(const std::string& value, const std::string& file);

}  // namespace sseccoe::core::config_detail
