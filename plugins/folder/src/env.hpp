// The file-system seam (LevelDB's Env idea): everything the folder source
// asks of the operating system goes through this small interface, so that
// tests can inject what a real share does to a daemon (EIO, EACCES on a
// directory even as root, a file vanishing between listing and opening, a
// file growing while read) without needing those conditions for real.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

namespace sseccoe::folder {

enum class FileKind : std::uint8_t {
  Unknown,  // a directory entry whose type the file system did not say
  Regular,
  Directory,
  Symlink,
  Fifo,
  Socket,
  CharDevice,
  BlockDevice,
};

// "a directory", "a regular file", ...: for messages.
const char* describe(FileKind kind);

struct FileStat {
  FileKind kind = FileKind::Unknown;
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // since the Unix epoch
};

struct DirEntry {
  std::string name;                    // raw bytes, never "." or ".."
  FileKind hint = FileKind::Unknown;   // d_type; Unknown on some file systems
};

// A file opened for reading, as a stream of chunks.
class ReadableFile {
 public:
  virtual ~ReadableFile() = default;
  // Reads up to `n` bytes; `got` == 0 means end of file.
  virtual std::error_code read(char* buf, std::size_t n, std::size_t& got) = 0;
  // The open file's own status (fstat), immune to renames of its path.
  virtual std::error_code stat(FileStat& out) = 0;
  // Where the open file is now (from /proc/self/fd), "" when unknown.
  virtual std::string current_path() = 0;
  // The bytes [0, upto) have been consumed: the page cache may drop them.
  virtual void consumed(std::uint64_t upto) {}
};

class Env {
 public:
  virtual ~Env() = default;

  // The entries of directory `path` (unsorted) and the path the opened
  // directory really has (from /proc/self/fd; "" when unknown).
  virtual std::error_code list_dir(const std::string& path, std::vector<DirEntry>& entries,
                                   std::string& resolved) = 0;
  virtual std::error_code lstat(const std::string& path, FileStat& out) = 0;  // does not follow a link
  virtual std::error_code stat(const std::string& path, FileStat& out) = 0;   // follows links
  virtual std::error_code real_path(const std::string& path, std::string& out) = 0;
  // Opens a regular file for reading without following a final symbolic
  // link, without blocking on a FIFO and without updating its access time.
  virtual std::error_code open_read(const std::string& path, std::unique_ptr<ReadableFile>& out) = 0;
  virtual std::chrono::system_clock::time_point now() = 0;

  // The real operating system.
  static std::shared_ptr<Env> posix();
};

}  // namespace sseccoe::folder
