// The directory walk: which entries are files to consider, which are
// directories to enter, and what must be refused. It knows nothing of
// versions or emitting; a WalkVisitor receives what it finds.
//
// Safety rules it enforces:
//   - a symbolic link is followed only when it resolves inside the root
//     (realpath prefix check against the root's realpath); one that leads
//     out is reported, never entered or read;
//   - every directory is checked again on the opened descriptor (a link
//     swapped during the walk cannot lead it outside);
//   - a directory already on the current path (same dev and inode: a link
//     or bind mount back to an ancestor) is reported, not entered, so link
//     loops end;
//   - FIFOs, sockets and device nodes are skipped without being opened
//     (opening a FIFO would block forever);
//   - nothing deeper than max_depth levels below the root is entered.
// Entries are visited in byte order of their names, so a walk is repeatable.
#pragma once

#include <cstdint>
#include <string>
#include <system_error>

#include "env.hpp"
#include "sdk_text.hpp"

namespace sseccoe::folder {

struct WalkOptions {
  std::string root;  // canonical (realpath) root directory
  bool follow_symlinks = true;
  std::int64_t max_depth = 64;  // directory levels entered below the root
  const GlobSet* include = nullptr;
  const GlobSet* exclude = nullptr;
};

struct FoundFile {
  std::string key;        // natural key (natural_key.hpp)
  std::string walk_path;  // absolute path as walked, through followed links
  std::string open_path;  // what to open: walk_path, or a link's canonical target
  std::string raw_name;   // the entry's own name, raw bytes
  FileStat stat;          // the regular file (for a link: its target)
};

enum class Skip {
  NotRegular,       // FIFO, socket, device node
  LinkNotFollowed,  // follow_symlinks = false
  DanglingLink,     // the link's target does not exist
  Vanished,         // gone between listing and examining
  Filtered,         // include/exclude said no
  PrunedDirectory,  // no file below could pass include/exclude
};

class WalkVisitor {
 public:
  virtual ~WalkVisitor() = default;
  // Polled between entries; true ends the walk early (incomplete).
  virtual bool stop_requested() = 0;
  // A directory was listed (the root included, with key "").
  virtual void directory(const std::string& walk_path, const std::string& key) = 0;
  virtual void file(const FoundFile& file) = 0;
  // An entry the walk cannot or will not take, with a reason for the
  // quarantine. `subtree_unknown`: what lies below (or at) `key` was not
  // seen, so earlier items there must not be taken for gone.
  virtual void problem(const std::string& key, const std::string& reason, const std::string& locator,
                       bool subtree_unknown) = 0;
  virtual void skipped(Skip why) = 0;
};

struct WalkResult {
  std::error_code root_error;    // the root itself could not be listed
  bool complete = false;         // every reachable entry was visited
  std::size_t root_entries = 0;  // entries directly in the root
};

WalkResult walk(Env& env, const WalkOptions& options, WalkVisitor& visitor);

}  // namespace sseccoe::folder
