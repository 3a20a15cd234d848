// Turns the raw cells of one file's records into UTF-8, deciding the file's
// encoding when the first record that is not plain ASCII arrives (all text
// before it reads the same in every encoding this plugin knows).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "byte_source.hpp"
#include "encoding.hpp"

namespace sseccoe::csv {

class CellDecoder {
 public:
  // `forced`: the encoding option or a byte-order mark; nullopt detects.
  CellDecoder(ByteSource& in, std::optional<Encoding> forced, bool from_bom);

  // The header row: decoded, bytes that are not text shown as U+FFFD (a
  // header is matched, never stored). Remembers which columns `mapped`
  // headers name, as fold_header() compares them.
  void header(std::vector<std::string>& cells, std::uint64_t record_offset,
              const std::vector<std::string>& mapped_headers);

  // A data row, decoded in place. Returns what is wrong when a mapped
  // column holds bytes that are not text in the file's encoding; such bytes
  // in a column no field maps are shown as U+FFFD (never read anyway). A
  // NUL in a mapped column whose other bytes are text is left in place: the
  // TableHarvest refuses the row for it, as for any control character.
  std::optional<std::string> row(std::vector<std::string>& cells, std::uint64_t record_offset);

  // The encoding in use (nullopt while everything was ASCII), and how it
  // was chosen, for the pass's log.
  std::optional<Encoding> encoding() const { return encoding_; }
  std::string describe() const;

 private:
  Encoding decide(std::uint64_t record_offset);
  // `cell` decoded piece by piece between its NUL bytes, which stay; false
  // (and `cell` unchanged) when it has no NUL or a piece is not text.
  bool decode_around_nuls(std::string& cell, Encoding e);

  ByteSource& in_;
  std::optional<Encoding> encoding_;
  std::string how_;  // "set", "byte-order mark", "detected (uchardet: ISO-8859-1)"
  std::vector<bool> mapped_;
  std::vector<std::string> headers_;
  std::string scratch_;
};

// `cell` decoded with every byte that is not text in `e` (and NUL) as
// U+FFFD.
void decode_lossy(std::string& cell, Encoding e, std::string& scratch);

}  // namespace sseccoe::csv
