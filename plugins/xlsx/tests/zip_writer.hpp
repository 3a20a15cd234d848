// A small ZIP writer for tests: real archives (deflate via Poco, CRC-32),
// plus the ways to break them a hostile or damaged file would (a lying size,
// a duplicate name, an encrypted flag, an unsupported method, a wrong CRC).
// Entries are deflated as they are produced, so a test can stream a sheet of
// a million rows to disk without holding it.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::xlsx::testing {

struct EntryOptions {
  bool store = false;  // no compression
  int level = 6;       // deflate level (1 fast .. 9 best)
  // Written in the headers instead of the true uncompressed size.
  std::optional<std::uint32_t> declared_uncompressed;
  // Written in the headers instead of the true compressed size.
  std::optional<std::uint32_t> declared_compressed;
  bool corrupt_crc = false;  // a CRC-32 that does not match the data
  bool encrypted = false;    // the general-purpose "encrypted" flag
  std::optional<std::uint16_t> method;  // written as the method instead of the real one
};

class ZipWriter {
 public:
  explicit ZipWriter(const std::string& path);
  ~ZipWriter();

  void add(const std::string& name, std::string_view data, const EntryOptions& options = {});
  // `produce` writes the entry's bytes into the stream it is given.
  void add_streamed(const std::string& name, const std::function<void(std::ostream&)>& produce,
                    const EntryOptions& options = {});
  // Writes the central directory and the end record (without: a file cut
  // short before them).
  void finish();

  std::uint64_t uncompressed_total() const { return uncompressed_total_; }

 private:
  struct Written {
    std::string name;
    std::uint32_t offset, crc, compressed, uncompressed;
    std::uint16_t method, flags;
  };
  std::ofstream out_;
  std::vector<Written> written_;
  std::uint64_t uncompressed_total_ = 0;
  bool finished_ = false;
};

// Cuts `path` to its first `size` bytes.
void truncate_file(const std::string& path, std::uint64_t size);
std::uint64_t file_size(const std::string& path);

}  // namespace sseccoe::xlsx::testing
