#include "folder_options.hpp"

#include <stdexcept>

namespace sseccoe::folder {

namespace {

using sdk::OptionSpec;
using sdk::OptionType;

// The defaults are TOML, parsed by the core like a user's value.
constexpr OptionSpec kOptions[] = {
    {"path", OptionType::Path, "", true, false,
     "Root directory to harvest: a local directory or the mount point of an SMB/NFS share"},
    {"include", OptionType::StringList, R"(["**"])", false, false,
     "Globs of files to harvest, matched against the path relative to the root ('**' spans directories, "
     "'*' and '?' stay within one, [abc] is a class)"},
    {"exclude", OptionType::StringList,
     R"(["**/.*", "**/.*/**", "**/~$*", "**/*.tmp", "**/Thumbs.db", "**/desktop.ini", "**/$RECYCLE.BIN/**", )"
     R"("**/System Volume Information/**"])",
     false, false,
     "Globs of files to skip even when included; the default skips hidden files and folders, Office lock "
     "files (~$*), temporary files (*.tmp) and Windows' Thumbs.db, desktop.ini, recycle bin and system folders"},
    {"case_insensitive_globs", OptionType::Boolean, "true", false, false,
     "Match include and exclude globs without regard to letter case, as Windows shares name files"},
    {"follow_symlinks", OptionType::Boolean, "true", false, false,
     "Follow symbolic links that stay inside the root; a link leading out of the root is never followed and "
     "is quarantined"},
    {"settle", OptionType::Duration, "5s", false, false,
     "How long a file must stay unchanged (size and modification time) before it is harvested, so that a file "
     "still being copied is not taken half-written"},
    {"max_file_size", OptionType::Size, "8GiB", false, false,
     "Files larger than this are quarantined, with their size, instead of harvested"},
    {"watch", OptionType::Boolean, "true", false, false,
     "Use inotify to notice local changes at once; set false on network mounts changed from other machines, "
     "where it only spends watches (the poll interval covers them either way)"},
    {"max_depth", OptionType::Integer, "64", false, false,
     "How many directory levels below the root are walked (0: only the root's own files, at most 1024); "
     "deeper directories are quarantined"},
    {"track_inode", OptionType::Boolean, "true", false, false,
     "Include the inode number in a file's change token, so that a file replaced by another of the same size "
     "and time is noticed; set false on CIFS mounts with 'noserverino', whose inode numbers are not stable"},
};

}  // namespace

std::span<const sdk::OptionSpec> option_table() { return kOptions; }

FolderSettings read_settings(const sdk::SourceConfig& config) {
  const sdk::OptionValues& o = config.options;
  FolderSettings s;
  s.instance = config.instance;
  s.root = o.str("path");
  s.include = o.list("include");
  s.exclude = o.list("exclude");
  s.case_insensitive_globs = o.boolean("case_insensitive_globs");
  s.follow_symlinks = o.boolean("follow_symlinks");
  s.settle = o.duration("settle");
  s.max_file_size = o.size("max_file_size");
  s.watch = o.boolean("watch");
  s.max_depth = o.integer("max_depth");
  s.track_inode = o.boolean("track_inode");

  const std::string where = "source '" + s.instance + "': ";
  if (s.root.empty()) throw std::invalid_argument(where + "option 'path' is empty: set it to the directory to harvest");
  if (s.max_depth < 0 || s.max_depth > kMaxDepthLimit)
    throw std::invalid_argument(where + "option 'max_depth' is " + std::to_string(s.max_depth) + ": it must be 0 to " +
                                std::to_string(kMaxDepthLimit));
  if (s.settle.count() < 0) throw std::invalid_argument(where + "option 'settle' must not be negative");
  if (s.include.empty())
    throw std::invalid_argument(where + "option 'include' is empty, so nothing would be harvested: "
                                        "leave it out to harvest every file, or list globs such as \"**/*.pdf\"");
  return s;
}

}  // namespace sseccoe::folder
