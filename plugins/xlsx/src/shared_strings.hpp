// The workbook's shared string table (xl/sharedStrings.xml): every text cell
// of an Excel sheet is an index into it, so it must be at hand while the
// sheet streams by. It is kept as one contiguous buffer plus one offset per
// string (never a million std::string objects); past kSpillThreshold bytes
// the buffer moves to an unlinked temporary file in the source's work
// directory and strings are read back with pread(), so memory stays flat
// (8 bytes a string) however large the export. Its total size is capped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::xlsx {

class ZipPackage;

constexpr std::uint64_t kSpillThreshold = 16ull << 20;

class SharedStrings {
 public:
  // `spill_dir` empty: never spill (the whole table stays in memory).
  SharedStrings(std::uint64_t max_bytes, std::string spill_dir);
  ~SharedStrings();
  SharedStrings(const SharedStrings&) = delete;
  SharedStrings& operator=(const SharedStrings&) = delete;

  // Appends the next string. Throws XlsxError past max_bytes, and
  // std::runtime_error when the spill file cannot be written.
  void add(std::string_view s);
  // Call once every string is added: flushes what is still buffered.
  void finish();
  // Throws XlsxError when `more` bytes would not fit under max_bytes.
  void check_room(std::uint64_t more) const;

  std::size_t size() const { return offsets_.size() - 1; }
  std::uint64_t bytes() const { return offsets_.back(); }
  bool spilled() const { return fd_ >= 0; }

  // String `index`, valid until the next call; nothing when out of range.
  std::optional<std::string_view> get(std::size_t index);

 private:
  void spill();
  void flush();

  std::uint64_t max_bytes_;
  std::string spill_dir_;
  std::vector<std::uint64_t> offsets_{0};  // string i is [offsets_[i], offsets_[i+1])
  std::string memory_;                     // the strings, while not spilled
  std::string pending_;                    // spilled: written to the file in large blocks
  int fd_ = -1;
  std::uint64_t flushed_ = 0;              // bytes already in the file
  std::string read_;
};

// Reads `part` into a table (empty part: a workbook without shared strings).
// Rich text runs are joined, phonetic guides (<rPh>) left out, _xHHHH_
// escapes decoded. Throws XlsxError for a damaged part or one over the cap.
void read_shared_strings(ZipPackage& zip, const std::string& part, SharedStrings& out);

}  // namespace sseccoe::xlsx
