#include "file_set.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "sseccoe/sdk/glob.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::csv {

namespace {

// Deeper than any export share; shallow enough to stop a link cycle that
// the no-follow rule below somehow missed.
constexpr int kMaxDepth = 32;

bool glob_component(std::string_view c) {
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c[i] == '\\') {
      ++i;
      continue;
    }
    if (c[i] == '*' || c[i] == '?' || c[i] == '[') return true;
  }
  return false;
}

std::int64_t mtime_of(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// A name as the glob sees it: NFC when it is well-formed UTF-8, else as is
// (the matcher reads malformed bytes as code points no pattern contains).
std::string glob_name(const std::string& name) {
  if (!sdk::utf8::is_valid(name)) return name;
  try {
    return sdk::utf8::nfc(name);
  } catch (const std::invalid_argument&) {
    return name;
  }
}

// a + "/" + b, written out: GCC 12 warns falsely (-Wrestrict) on the chain.
std::string join(const std::string& a, const std::string& b) {
  std::string out;
  out.reserve(a.size() + 1 + b.size());
  out.append(a).push_back('/');
  out.append(b);
  return out;
}

bool hidden(const char* name) { return name[0] == '.' || (name[0] == '~' && name[1] == '$'); }

std::string head(const std::string& instance, const std::string& path) {
  return "source '" + instance + "': " + path;
}

struct Walk {
  const sdk::Glob& glob;
  FileSet& out;
  int base_error = 0;  // errno when the base directory itself cannot be listed

  void dir(const std::string& abs, const std::string& rel, int depth) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(abs.empty() ? "/" : abs.c_str()), ::closedir);
    if (!d) {
      const int e = errno;
      if (rel.empty()) base_error = e;
      else out.unlisted.push_back(rel + std::string(" (").append(std::strerror(e)).append(")"));
      return;
    }
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(d.get())) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0 || hidden(e->d_name)) continue;
      names.emplace_back(e->d_name);
    }
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
      const std::string child_abs = join(abs, name);
      const std::string child_rel = rel.empty() ? name : join(rel, name);
      const std::string key = glob_name(child_rel);
      struct stat lst {};
      if (::lstat(child_abs.c_str(), &lst) != 0) continue;  // vanished since listed
      if (S_ISDIR(lst.st_mode)) {
        // Directories are entered only when real (no link cycles) and
        // when something below could match.
        if (depth < kMaxDepth && glob.could_match_below(key)) dir(child_abs, child_rel, depth + 1);
        continue;
      }
      if (!glob.matches(key)) continue;
      struct stat st {};
      if (::stat(child_abs.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;  // a dangling link, a FIFO
      out.files.push_back({child_abs, child_rel, static_cast<std::uint64_t>(st.st_size), mtime_of(st)});
    }
  }
};

FileSet one_file(const std::string& instance, const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int e = errno;
    if (e == ENOENT || e == ENOTDIR)
      throw std::runtime_error(head(instance, path) +
                               " does not exist: check the path, and that the share holding it is mounted");
    throw std::runtime_error(head(instance, path) + " cannot be reached (" + std::strerror(e) +
                             "): check that the agent's user may read it and that its share is mounted");
  }
  if (S_ISDIR(st.st_mode))
    throw std::runtime_error(head(instance, path) + " is a directory: name one file, or a glob such as \"" + path +
                             "/*.csv\"");
  if (!S_ISREG(st.st_mode)) throw std::runtime_error(head(instance, path) + " is not a regular file");
  const auto slash = path.find_last_of('/');
  FileSet set;
  set.files.push_back({path, slash == std::string::npos ? path : path.substr(slash + 1),
                       static_cast<std::uint64_t>(st.st_size), mtime_of(st)});
  return set;
}

}  // namespace

bool is_glob(const std::string& path) { return glob_component(path); }

FileSet find_files(const std::string& instance, const std::string& path) {
  // A file really named "[2021] plantilla.csv" is that file, not a pattern.
  struct stat lit {};
  if (!is_glob(path) || ::stat(path.c_str(), &lit) == 0) return one_file(instance, path);

  // Split at the first component with a glob character.
  std::size_t start = 0, cut = std::string::npos;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    if (glob_component(std::string_view(path).substr(start, end - start))) {
      cut = start;
      break;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  // The base without its trailing slashes ("/" stays "/", "" becomes ".").
  std::size_t base_end = cut;
  while (base_end > 1 && path[base_end - 1] == '/') --base_end;
  const std::string base = base_end == 0 ? std::string(".") : path.substr(0, base_end);
  const std::string pattern = path.substr(cut);

  sdk::Glob glob = [&] {
    try {
      return sdk::Glob::compile(pattern, true);
    } catch (const sdk::GlobError& e) {
      throw std::runtime_error(head(instance, path) + ": the glob is malformed: " + e.what());
    }
  }();
  struct stat st {};
  if (::stat(base.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw std::runtime_error("source '" + instance + "': the directory " + base + " of path " + path +
                             " does not exist: check the path, and that the share holding it is mounted");
  FileSet set;
  Walk walk{glob, set};
  walk.dir(base == "/" ? "" : base, "", 0);
  if (walk.base_error != 0)
    throw std::runtime_error("source '" + instance + "': the directory " + base + " of path " + path +
                             " cannot be listed (" + std::strerror(walk.base_error) +
                             "): give the agent's user read access to it");
  if (set.files.empty() && set.unlisted.empty())
    throw std::runtime_error(head(instance, path) +
                             ": no file matches: check the pattern, and that the export has been written and its "
                             "share is mounted");
  std::sort(set.files.begin(), set.files.end(),
            [](const FoundFile& a, const FoundFile& b) { return a.table < b.table; });
  return set;
}

}  // namespace sseccoe::csv
