#include "walker.hpp"

#include <algorithm>
#include <cerrno>
#include <unordered_set>
#include <utility>
#include <vector>

#include "natural_key.hpp"
#include "paths.hpp"

namespace sseccoe::folder {

namespace {

class Walker {
 public:
  Walker(Env& env, const WalkOptions& o, WalkVisitor& v) : env_(env), o_(o), v_(v) {}

  WalkResult run() {
    WalkResult result;
    FileStat root_stat;
    if (std::error_code ec = env_.stat(o_.root, root_stat)) {
      result.root_error = ec;
      return result;
    }
    std::vector<DirEntry> entries;
    std::string resolved;
    if (std::error_code ec = env_.list_dir(o_.root, entries, resolved)) {
      result.root_error = ec;
      return result;
    }
    result.root_entries = entries.size();
    v_.directory(o_.root, "");
    ancestors_.emplace_back(root_stat.dev, root_stat.ino);
    list_entries(o_.root, "", 0, entries);
    result.complete = !stopped_;
    return result;
  }

 private:
  bool wanted_file(const std::string& key) const { return o_.include->matches(key) && !o_.exclude->matches(key); }

  void list_entries(const std::string& dir_path, const std::string& dir_key, std::int64_t depth,
                    std::vector<DirEntry>& entries) {
    std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    std::vector<std::string> name_keys;
    name_keys.reserve(entries.size());
    for (const auto& e : entries) name_keys.push_back(encode_name(e.name));
    std::unordered_set<std::string_view> taken;
    taken.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (v_.stop_requested()) {
        stopped_ = true;
        return;
      }
      const std::string key = join_key(dir_key, name_keys[i]);
      const std::string path = join_path(dir_path, entries[i].name);
      if (!taken.insert(name_keys[i]).second) {
        // Possible on Linux file systems, impossible on SMB or macOS: "é" as
        // one code point and as "e" + U+0301 side by side. The first (in
        // byte order) keeps the key; the second would overwrite its item.
        v_.problem(key,
                   "another entry in the same directory has this name once Unicode-normalised (NFC); "
                   "rename one of the two so that both can be harvested",
                   file_locator(path), false);
        continue;
      }
      visit_entry(path, key, depth, entries[i]);
      if (stopped_) return;
    }
  }

  void visit_entry(const std::string& path, const std::string& key, std::int64_t depth, const DirEntry& entry) {
    // Cheap filter first: a file the globs reject costs no system call.
    if (entry.hint == FileKind::Regular && !wanted_file(key)) {
      v_.skipped(Skip::Filtered);
      return;
    }
    FileStat st;
    if (std::error_code ec = env_.lstat(path, st)) {
      if (ec.value() == ENOENT) {
        v_.skipped(Skip::Vanished);
      } else {
        v_.problem(key, "the entry cannot be examined (" + ec.message() + "); it is tried again on the next pass",
                   file_locator(path), true);
      }
      return;
    }
    std::string open_path = path;
    if (st.kind == FileKind::Symlink) {
      if (!o_.follow_symlinks) {
        v_.skipped(Skip::LinkNotFollowed);
        return;
      }
      if (!resolve_link(path, key, st, open_path)) return;
    }
    switch (st.kind) {
      case FileKind::Directory: enter_directory(path, key, depth, st); return;
      case FileKind::Regular:
        if (!wanted_file(key)) {
          v_.skipped(Skip::Filtered);
          return;
        }
        v_.file(FoundFile{key, path, open_path, entry.name, st});
        return;
      default: v_.skipped(Skip::NotRegular); return;
    }
  }

  // Replaces `st` and `open_path` by the link's target; false when the link
  // is not to be followed (already reported).
  bool resolve_link(const std::string& path, const std::string& key, FileStat& st, std::string& open_path) {
    std::string target;
    if (std::error_code ec = env_.real_path(path, target)) {
      if (ec.value() == ENOENT) {
        v_.skipped(Skip::DanglingLink);
      } else if (ec.value() == ELOOP) {
        v_.problem(key, "symbolic link loop: the link resolves through itself; it is not followed",
                   file_locator(path), false);
      } else {
        v_.problem(key, "the symbolic link cannot be resolved (" + ec.message() + "); it is not followed",
                   file_locator(path), false);
      }
      return false;
    }
    FileStat target_stat;
    if (std::error_code ec = env_.stat(target, target_stat)) {
      if (ec.value() == ENOENT) {
        v_.skipped(Skip::Vanished);
      } else {
        v_.problem(key, "the target of the symbolic link cannot be examined (" + ec.message() + ")",
                   file_locator(path), true);
      }
      return false;
    }
    if (!is_within(o_.root, target)) {
      // Names the kind of target, never the target's path: it lies outside
      // what the operator chose to harvest and may name people.
      v_.problem(key,
                 std::string("symbolic link to ") + describe(target_stat.kind) +
                     " outside the source root; it is not followed (links may only lead inside the root)",
                 file_locator(path), false);
      return false;
    }
    st = target_stat;
    open_path = target;
    return true;
  }

  void enter_directory(const std::string& path, const std::string& key, std::int64_t depth, const FileStat& st) {
    if (o_.exclude->matches_everything_below(key) || !o_.include->could_match_below(key)) {
      v_.skipped(Skip::PrunedDirectory);
      return;
    }
    const auto id = std::make_pair(st.dev, st.ino);
    if (std::find(ancestors_.begin(), ancestors_.end(), id) != ancestors_.end()) {
      v_.problem(key,
                 "directory loop: this entry leads back to a directory that contains it (a symbolic link or bind "
                 "mount); it is not followed",
                 file_locator(path), false);
      return;
    }
    if (depth + 1 > o_.max_depth) {
      v_.problem(key,
                 "the directory lies deeper than max_depth = " + std::to_string(o_.max_depth) +
                     " levels below the root; it is not walked (raise max_depth for this source to harvest it)",
                 file_locator(path), true);
      return;
    }
    std::vector<DirEntry> entries;
    std::string resolved;
    if (std::error_code ec = env_.list_dir(path, entries, resolved)) {
      if (ec.value() == ENOENT || ec.value() == ENOTDIR) {
        v_.skipped(Skip::Vanished);
      } else {
        v_.problem(key,
                   "the directory cannot be read (" + ec.message() +
                       "); its files are not harvested until the agent's user can read it",
                   file_locator(path), true);
      }
      return;
    }
    if (!resolved.empty() && !is_within(o_.root, resolved)) {
      v_.problem(key,
                 "the directory lies outside the source root once opened (a link was changed during the walk); "
                 "it is not walked",
                 file_locator(path), false);
      return;
    }
    v_.directory(path, key);
    ancestors_.push_back(id);
    list_entries(path, key, depth + 1, entries);
    ancestors_.pop_back();
  }

  Env& env_;
  const WalkOptions& o_;
  WalkVisitor& v_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ancestors_;  // (dev, inode) on the current path
  bool stopped_ = false;
};

}  // namespace

WalkResult walk(Env& env, const WalkOptions& options, WalkVisitor& visitor) {
  return Walker(env, options, visitor).run();
}

}  // namespace sseccoe::folder
