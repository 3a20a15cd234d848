// Small path helpers shared by the walk and the content stream.
#pragma once

#include <string>
#include <string_view>
#include <system_error>

namespace sseccoe::folder {

// True when `path` is `root` or lies below it (both absolute, canonical).
inline bool is_within(std::string_view root, std::string_view path) {
  if (root == "/") return !path.empty() && path.front() == '/';
  if (path.size() < root.size() || path.substr(0, root.size()) != root) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

inline std::string join_path(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out.append(name);
  return out;
}

// An error that may clear up by itself (the file moved, the share blinked,
// the process ran out of descriptors), as opposed to one that concerns the
// item and needs a person (EIO, EACCES).
bool is_transient(const std::error_code& ec);

}  // namespace sseccoe::folder
