// Rows of one sheet handed to the SDK's TableHarvest: which row is the
// header, and every data row made exactly as wide as the header (XLSX rows
// stop at their last value, and cells right of the header have no column
// to be mapped by, so they are dropped rather than made a ragged row).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sheet_reader.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::xlsx {

class TableAdapter final : public RowSink {
 public:
  // `header_row` 0: the first row with a value is the header.
  TableAdapter(sdk::table::TableHarvest& harvest, std::int64_t header_row)
      : harvest_(harvest), header_row_(static_cast<std::uint64_t>(header_row)) {}

  void row(std::uint64_t line, std::span<const std::string> cells) override;
  void broken_row(std::uint64_t line, std::string_view reason) override;

  // After the sheet: throws XlsxError when no header came (an empty sheet,
  // or one shorter than header_row).
  void finish() const;

  // Data rows handed on (good or broken), for the message when the sheet fails.
  std::uint64_t data_rows() const { return data_rows_; }

 private:
  void header_missing(std::uint64_t line) const;

  sdk::table::TableHarvest& harvest_;
  std::uint64_t header_row_;
  bool header_seen_ = false;
  std::size_t width_ = 0;
  std::vector<std::string> cells_;
  std::uint64_t data_rows_ = 0;
  std::uint64_t last_line_ = 0;
};

}  // namespace sseccoe::xlsx
