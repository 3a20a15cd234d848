// The files a source's `path` names: one file, or every file a glob
// matches, in a stable order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sseccoe::csv {

struct FoundFile {
  std::string path;   // as opened: the configured base joined with the relative name
  std::string table;  // the name within the source: the relative path below the glob's base, or the file name
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  // "size:mtime_ns": the cheap change token kept in the cursor.
  std::string version() const { return std::to_string(size) + ":" + std::to_string(mtime_ns); }
};

struct FileSet {
  std::vector<FoundFile> files;  // sorted by `table`, byte order
  // Directories below the glob's base that could not be listed: files may
  // be missing from `files`, so the pass is not complete.
  std::vector<std::string> unlisted;
};

// True when `path` holds an unescaped *, ? or [ in some component.
bool is_glob(const std::string& path);

// Expands `path`. A path without glob characters (or naming an existing
// file, such as "[2021] plantilla.csv") must be a regular file; with them,
// the components before the first glob component name the base directory,
// which must exist, and the rest is matched (the SDK's glob rules, ignoring
// case: "**" spans directories) against paths below it.
// Hidden files (".*") and Office lock files ("~$*") never match. Throws
// std::runtime_error, naming the source and path and saying what to do,
// when the file or base directory is missing or nothing matches.
FileSet find_files(const std::string& instance, const std::string& path);

}  // namespace sseccoe::csv
