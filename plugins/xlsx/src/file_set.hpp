// The files a source reads: `path` is one file, or a glob of them. A glob's
// base is its longest leading directory without glob characters; the rest
// is matched against paths relative to that base with the SDK's glob rules
// (case-insensitive). Hidden files and Excel's "~$" lock files (left beside
// a workbook while it is open) are never taken; neither is anything that is
// not a regular file. Links to files are read; links to directories are not
// followed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sseccoe::xlsx {

struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t inode = 0;
  // "size:mtime_ns:inode": equal stamps mean an unchanged file.
  std::string text() const;
  bool operator==(const FileStamp&) const = default;
};

struct FoundFile {
  std::string path;  // absolute (as configured, joined to the base)
  std::string name;  // for people and table names: relative to the glob's base, or the file's own name
  FileStamp stamp;
};

struct FileSet {
  std::vector<FoundFile> files;  // sorted by name
  // Directories below a glob's base that could not be listed: files may be
  // missing from `files`, so no row may be reported gone.
  std::vector<std::string> unlisted;
};

// True when `path` has glob characters (*, ? or [).
bool is_glob(const std::string& path);

// Empty when `path` is no glob or a valid one; else what is wrong with it.
std::string glob_problem(const std::string& path);

// The files `path` names. Throws std::runtime_error (the source's failure,
// with what to do) when a plain path does not exist or is a directory, or
// when a glob's base directory cannot be read.
FileSet find_files(const std::string& path);

// The stamp of one file now; false when it cannot be read.
bool stamp_of(const std::string& path, FileStamp& out);

}  // namespace sseccoe::xlsx
