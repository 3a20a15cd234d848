#include "table_adapter.hpp"

#include <algorithm>

#include "errors.hpp"

namespace sseccoe::xlsx {

void TableAdapter::header_missing(std::uint64_t line) const {
  throw XlsxError("row " + std::to_string(header_row_) + " (option 'header_row') holds no header: it is empty" +
                  (line > 0 ? ", and the sheet goes on at row " + std::to_string(line) : std::string()) +
                  "; set header_row to the row with the column titles, or 0 for the first row with a value");
}

void TableAdapter::row(std::uint64_t line, std::span<const std::string> cells) {
  last_line_ = line;
  if (!header_seen_) {
    if (header_row_ != 0 && line < header_row_) return;  // a title above the header
    if (header_row_ != 0 && line > header_row_) header_missing(line);
    cells_.assign(cells.begin(), cells.end());
    width_ = cells_.size();
    header_seen_ = true;
    harvest_.header(cells_, line);
    return;
  }
  // Assigning into the same strings row after row reuses their buffers.
  cells_.resize(width_);
  const std::size_t n = std::min(width_, cells.size());
  for (std::size_t i = 0; i < n; ++i) cells_[i].assign(cells[i]);
  for (std::size_t i = n; i < width_; ++i) cells_[i].clear();
  ++data_rows_;
  harvest_.row(cells_, line);
}

void TableAdapter::broken_row(std::uint64_t line, std::string_view reason) {
  last_line_ = line;
  if (!header_seen_) {
    if (header_row_ != 0 && line < header_row_) return;
    if (header_row_ == 0 || line == header_row_)
      throw XlsxError("the header row " + std::to_string(line) + " cannot be read: " + std::string(reason));
    header_missing(line);
  }
  ++data_rows_;
  harvest_.broken_row(line, reason);
}

void TableAdapter::finish() const {
  if (!header_seen_ && header_row_ == 0)
    throw XlsxError("the sheet has no row with a value: the export is empty; nothing of it is harvested");
  if (!header_seen_)
    throw XlsxError("the sheet has no row " + std::to_string(header_row_) +
                    " with values (option 'header_row' names it as the header)" +
                    (last_line_ > 0 ? "; its last row with values is " + std::to_string(last_line_) : std::string()));
}

}  // namespace sseccoe::xlsx
