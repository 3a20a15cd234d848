// The content stream of one file: a std::istream over a fixed-size buffer
// (256 KiB), so memory does not grow with the file (a 4 GiB file costs the
// same as a 4 KiB one). It also guards what is read:
//   - the open file must still be the one the walk listed (same size and
//     mtime, and inode when tracked) and must lie inside the root (checked on
//     the open descriptor, so a link swapped in after the walk cannot make
//     the agent read, say, /etc/shadow);
//   - a file that grows, shrinks or is rewritten while read throws
//     sdk::ContentError(transient=true): the core defers it, a later pass
//     takes it once it has settled;
//   - EIO and permission errors throw sdk::ContentError(transient=false): the
//     core quarantines the item with the message.
// The stream has badbit in its exception mask, so the ContentError reaches
// whoever reads it (read(), get(), rdbuf()->sgetn() alike).
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <string>

#include "env.hpp"

namespace sseccoe::folder {

struct StreamExpectation {
  FileStat listed;           // what the walk saw
  bool check_inode = true;   // also require the same (dev, inode)
  std::string root;          // canonical root: the open file must lie below it
};

constexpr std::size_t kStreamBufferSize = 256 * 1024;

// Throws sdk::ContentError when the file cannot be opened or is not the one
// that was listed.
std::unique_ptr<std::istream> open_file_stream(Env& env, const std::string& path, const StreamExpectation& expect,
                                               std::size_t buffer_size = kStreamBufferSize);

}  // namespace sseccoe::folder
