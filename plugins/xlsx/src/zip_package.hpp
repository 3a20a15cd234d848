// The workbook's ZIP container, read with Poco Zip and guarded against what
// a hostile or damaged file can do: a zip bomb (a cap on the bytes expanded
// from one workbook and on each entry's compression ratio), duplicate entry
// names (which make two readers see two different workbooks), encrypted or
// exotic entries, and truncation (a copy cut short: the entries before the
// cut stay readable, and reading stops with a clear reason at the cut).
//
// ZipArchive scans the local headers sequentially; entries are then streamed
// one at a time with ZipInputStream through a counting stream buffer, so no
// entry is ever held in memory.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace Poco::Zip {
class ZipArchive;
class ZipLocalFileHeader;
}  // namespace Poco::Zip

namespace sseccoe::xlsx {

struct ZipLimits {
  // Bytes all entries read from one workbook may expand to, together.
  std::uint64_t max_uncompressed = 4ull << 30;
  // An entry that expands to more than this many times its compressed size
  // (once past kRatioGrace bytes) is refused as a zip bomb.
  std::uint64_t max_ratio = 200;
};

// Every entry this reader opens is XML. expat holds a whole tag (with its
// attributes) in memory until its '>' arrives, so a run this long without '<'
// or '>' is refused: no genuine part has one (a cell holds at most 32,767
// characters), and a forged one could otherwise make memory grow with it.
constexpr std::uint64_t kMaxMarkupRun = 8ull << 20;

// Small entries may compress extremely well (a run of empty cells); the
// ratio only means something once an entry has some size.
constexpr std::uint64_t kRatioGrace = 1ull << 20;

class ZipPackage {
 public:
  // Opens and indexes `path`. Throws XlsxError when it is not a ZIP (with a
  // hint for an old .xls or a password-protected workbook), when two entries
  // share a name, or when the archive's structure is broken.
  ZipPackage(const std::string& path, ZipLimits limits);
  ~ZipPackage();
  ZipPackage(const ZipPackage&) = delete;
  ZipPackage& operator=(const ZipPackage&) = delete;

  // Part names compare without regard to ASCII case, as OPC says they do.
  bool has(std::string_view part) const;

  // Streams one entry. The stream throws XlsxError while being read when the
  // entry turns out corrupt, truncated or a bomb; it must be read before the
  // next entry is opened (they share the file). Throws XlsxError when the
  // entry is missing, encrypted, compressed with an unsupported method, or
  // declares a size over the limits.
  std::unique_ptr<std::istream> open(std::string_view part);

  // True when the end-of-central-directory record is missing: the file was
  // cut short. Entries wholly before the cut can still be read.
  bool truncated() const { return truncated_; }


 private:
  struct Entry;
  class EntryBuf;
  friend class EntryBuf;

  void check_signature();
  void find_end_record();
  void scan_central_directory(std::uint64_t offset, std::uint64_t size);
  void count_local_headers();
  void index_entries();

  std::string path_;
  ZipLimits limits_;
  std::ifstream file_;
  std::uint64_t file_size_ = 0;
  bool truncated_ = false;
  std::unique_ptr<Poco::Zip::ZipArchive> archive_;
  std::map<std::string, Entry, std::less<>> entries_;  // by lower-cased name
  std::uint64_t expanded_ = 0;
  bool entry_open_ = false;
};

}  // namespace sseccoe::xlsx
