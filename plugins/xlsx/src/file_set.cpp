#include "file_set.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "sseccoe/sdk/glob.hpp"

namespace sseccoe::xlsx {

namespace {

// A glob may span directories with '**'; deeper than this is no HR share.
constexpr int kMaxDepth = 32;

bool skipped_name(const std::string& name) {
  return name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0;
}

FileStamp stamp_from(const struct stat& st) {
  FileStamp s;
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  s.inode = static_cast<std::uint64_t>(st.st_ino);
  return s;
}

void walk(const std::string& dir, const std::string& rel_dir, const sdk::Glob& glob, int depth, FileSet& out) {
  DIR* d = ::opendir(dir.empty() ? "/" : dir.c_str());
  if (d == nullptr) {
    if (rel_dir.empty())
      throw std::runtime_error("cannot read the directory " + (dir.empty() ? std::string("/") : dir) + ": " +
                               std::strerror(errno) + " (check option 'path' and that the share is mounted)");
    // A subdirectory closed to us: the rest is still read, but the pass
    // cannot know every file.
    out.unlisted.push_back(dir + " (" + std::strerror(errno) + ")");
    return;
  }
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (!skipped_name(name)) names.push_back(name);
  }
  ::closedir(d);
  for (const auto& name : names) {
    const std::string path = dir + "/" + name;
    const std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) continue;
    // A link to a workbook is read; a link to a directory is not followed,
    // so that a link loop cannot list the same files under endless names.
    const bool link = S_ISLNK(st.st_mode);
    if (link && ::stat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (link) continue;
      if (!glob.could_match_below(rel)) continue;
      if (depth < kMaxDepth)
        walk(path, rel, glob, depth + 1, out);
      else
        out.unlisted.push_back(path + " (more than " + std::to_string(kMaxDepth) + " levels deep)");
    } else if (S_ISREG(st.st_mode) && glob.matches(rel)) {
      out.files.push_back({path, rel, stamp_from(st)});
    }
  }
}

}  // namespace

std::string FileStamp::text() const {
  return std::to_string(size) + ":" + std::to_string(mtime_ns) + ":" + std::to_string(inode);
}

bool is_glob(const std::string& path) { return path.find_first_of("*?[") != std::string::npos; }

bool stamp_of(const std::string& path, FileStamp& out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  out = stamp_from(st);
  return true;
}

namespace {

std::string pattern_of(const std::string& path) {
  const auto first_meta = path.find_first_of("*?[");
  const auto slash = path.rfind('/', first_meta);
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string glob_problem(const std::string& path) {
  if (!is_glob(path)) return {};
  const std::string why = sdk::glob_error(pattern_of(path));
  return why.empty() ? why : "option 'path' is not a valid glob: " + why;
}

FileSet find_files(const std::string& path) {
  FileSet out;
  if (!is_glob(path)) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      throw std::runtime_error("cannot find " + path + ": " + std::strerror(errno) +
                               " (check option 'path' and that the share is mounted)");
    if (S_ISDIR(st.st_mode))
      throw std::runtime_error(path + " is a directory: set option 'path' to a workbook, or to a glob such as " +
                               path + "/*.xlsx");
    if (!S_ISREG(st.st_mode)) throw std::runtime_error(path + " is not a regular file (option 'path')");
    const auto slash = path.rfind('/');
    out.files.push_back({path, slash == std::string::npos ? path : path.substr(slash + 1), stamp_from(st)});
    return out;
  }
  // The base: everything up to the last '/' before the first glob character.
  const auto first_meta = path.find_first_of("*?[");
  const auto slash = path.rfind('/', first_meta);
  const std::string base = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string pattern = pattern_of(path);
  if (const std::string problem = glob_problem(path); !problem.empty()) throw std::invalid_argument(problem);
  const sdk::Glob glob = sdk::Glob::compile(pattern, true);
  walk(base == "/" ? "" : base, "", glob, 0, out);
  std::sort(out.files.begin(), out.files.end(),
            [](const FoundFile& a, const FoundFile& b) { return a.name < b.name; });
  return out;
}

}  // namespace sseccoe::xlsx
