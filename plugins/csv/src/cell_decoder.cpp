#include "cell_decoder.hpp"

#include <set>

#include "sseccoe/sdk/table.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::csv {

namespace {

// uchardet reads this much from the first record that is not ASCII.
constexpr std::size_t kDetectionWindow = 64u << 10;

constexpr char32_t kReplacement = 0xFFFD;

}  // namespace

void decode_lossy(std::string& cell, Encoding e, std::string& scratch) {
  if (decode_cell(cell, e, scratch)) return;
  scratch.clear();
  if (e == Encoding::Utf8) {
    for (std::size_t i = 0; i < cell.size();) {
      const std::size_t len = sdk::utf8::sequence_length(cell, i);
      if (len == 0 || cell[i] == '\0') {
        sdk::utf8::append(scratch, kReplacement);
        ++i;
      } else {
        scratch.append(cell, i, len);
        i += len;
      }
    }
  } else {
    std::string one;
    for (const char ch : cell) {
      one.assign(1, ch);
      std::string tmp;
      if (decode_cell(one, e, tmp)) scratch += one;
      else sdk::utf8::append(scratch, kReplacement);
    }
  }
  cell.swap(scratch);
}

CellDecoder::CellDecoder(ByteSource& in, std::optional<Encoding> forced, bool from_bom)
    : in_(in), encoding_(forced), how_(forced ? (from_bom ? "byte-order mark" : "set") : "") {}

Encoding CellDecoder::decide(std::uint64_t record_offset) {
  if (encoding_) return *encoding_;
  const Detection d = detect_encoding(in_.peek(record_offset, kDetectionWindow));
  encoding_ = d.encoding;
  how_ = "detected" + (d.detector_said.empty() ? std::string() : " (uchardet: " + d.detector_said + ")");
  return *encoding_;
}

bool CellDecoder::decode_around_nuls(std::string& cell, Encoding e) {
  if (cell.find('\0') == std::string::npos) return false;
  std::string out, piece;
  std::size_t from = 0;
  for (;;) {
    const std::size_t nul = cell.find('\0', from);
    piece.assign(cell, from, nul == std::string::npos ? std::string::npos : nul - from);
    if (!piece.empty() && !decode_cell(piece, e, scratch_)) return false;
    out += piece;
    if (nul == std::string::npos) break;
    out += '\0';
    from = nul + 1;
  }
  cell.swap(out);
  return true;
}

std::string CellDecoder::describe() const {
  if (!encoding_) return "ascii";
  return std::string(name_of(*encoding_)) + ", " + how_;
}

void CellDecoder::header(std::vector<std::string>& cells, std::uint64_t record_offset,
                         const std::vector<std::string>& mapped_headers) {
  std::set<std::string> wanted;
  for (const auto& h : mapped_headers) wanted.insert(sdk::table::fold_header(h));
  for (auto& cell : cells) {
    if (has_non_ascii(cell) || cell.find('\0') != std::string::npos) decode_lossy(cell, decide(record_offset), scratch_);
  }
  mapped_.assign(cells.size(), false);
  headers_ = cells;
  for (std::size_t i = 0; i < cells.size(); ++i) mapped_[i] = wanted.count(sdk::table::fold_header(cells[i])) != 0;
}

std::optional<std::string> CellDecoder::row(std::vector<std::string>& cells, std::uint64_t record_offset) {
  const Encoding e = decide(record_offset);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string& cell = cells[i];
    if (!has_non_ascii(cell) && cell.find('\0') == std::string::npos) continue;
    if (decode_cell(cell, e, scratch_)) continue;
    // A NUL amid text: decoded around it and handed on, so that the
    // harvest refuses it with every other control character (one reason,
    // one warning per file with the first line and the count).
    if (i < mapped_.size() && mapped_[i] && decode_around_nuls(cell, e)) continue;
    if (i >= mapped_.size() || !mapped_[i]) {
      decode_lossy(cell, e, scratch_);
      continue;
    }
    std::string why = "column \"" + headers_[i] + "\" holds ";
    why += cell.find('\0') != std::string::npos ? std::string("a NUL byte, which is not text")
                                                : "bytes that are not " + std::string(name_of(e)) + " text";
    why += " (the file is read as " + describe() + ")";
    if (how_.starts_with("detected") && e == Encoding::Utf8)
      why += "; if the export was saved as Windows-1252, set encoding = \"windows-1252\"";
    return why;
  }
  return std::nullopt;
}

}  // namespace sseccoe::csv
