// Where the CSV reader's bytes come from: an open file (read in fixed-size
// chunks, never whole) or, in tests, a string. Seekable, because recovering
// from a runaway quoted field means reading again from the line after the
// one where the field opened.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace sseccoe::csv {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `cap` bytes at the current offset into `buf`; 0 at the end.
  // Throws std::system_error on a read error.
  virtual std::size_t read(char* buf, std::size_t cap) = 0;
  // Moves the current offset (absolute, in bytes from the file's start).
  virtual void seek(std::uint64_t offset) = 0;
  // Reads up to `cap` bytes at `offset` without moving the current offset
  // (sampling for encoding and delimiter detection).
  virtual std::string peek(std::uint64_t offset, std::size_t cap) = 0;
};

class StringSource final : public ByteSource {
 public:
  // `chunk` limits each read, so that tests cross chunk boundaries anywhere.
  explicit StringSource(std::string data, std::size_t chunk = static_cast<std::size_t>(-1))
      : data_(std::move(data)), chunk_(chunk) {}
  std::size_t read(char* buf, std::size_t cap) override;
  void seek(std::uint64_t offset) override { pos_ = offset < data_.size() ? offset : data_.size(); }
  std::string peek(std::uint64_t offset, std::size_t cap) override;
  std::size_t seeks = 0;  // how often seek() was called (tests)

 private:
  std::string data_;
  std::size_t chunk_;
  std::uint64_t pos_ = 0;
};

// A regular file opened read-only. Pages behind the reader are dropped from
// the page cache (POSIX_FADV_DONTNEED) so that a large export does not evict
// the machine's working set.
class FileSource final : public ByteSource {
 public:
  FileSource() = default;
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  // Opens `path` (following a final symbolic link, as a configured export
  // path may be one). Fails with ENOENT, EACCES, ... or EISDIR/EINVAL for
  // something that is not a regular file.
  std::error_code open(const std::string& path);
  // Size and modification time (ns) of the open file, as fstat says now.
  std::error_code stat(std::uint64_t& size, std::int64_t& mtime_ns) const;

  std::size_t read(char* buf, std::size_t cap) override;
  void seek(std::uint64_t offset) override;
  std::string peek(std::uint64_t offset, std::size_t cap) override;

 private:
  int fd_ = -1;
  std::uint64_t pos_ = 0;
  std::uint64_t dropped_to_ = 0;  // the page cache was released below this offset
};

}  // namespace sseccoe::csv
