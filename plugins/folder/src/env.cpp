#include "env.hpp"

namespace sseccoe::folder {

const char* describe(FileKind kind) {
  switch (kind) {
    case FileKind::Regular: return "a regular file";
    case FileKind::Directory: return "a directory";
    case FileKind::Symlink: return "a symbolic link";
    case FileKind::Fifo: return "a FIFO";
    case FileKind::Socket: return "a socket";
    case FileKind::CharDevice: return "a character device";
    case FileKind::BlockDevice: return "a block device";
    case FileKind::Unknown: break;
  }
  return "an entry of unknown type";
}

}  // namespace sseccoe::folder
