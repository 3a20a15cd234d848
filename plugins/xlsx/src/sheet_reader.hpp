// A worksheet's <sheetData> streamed row by row through the SAX parser: each
// row with a value reaches the sink as soon as its </row> is read, so memory
// holds one row, whatever the sheet's length.
//
// What a row is:
//  - its line is the sheet's row number (the r attribute, else the previous
//    row's plus one), so that a person finds it in Excel;
//  - cells[i] is column i (A is 0); columns with no cell, empty cells and
//    cells whose formula has no cached value are empty strings; trailing
//    empty cells are cut off; a row with no value at all is not reported;
//  - a merged range keeps its value in its top-left cell only, as Excel
//    stores it: the other cells of the range are empty;
//  - values are text (see cell_text.hpp): shared and inline strings, cached
//    formula results, numbers, dates (by the cell's number format), booleans
//    "true"/"false", errors as Excel shows them ("#N/A").
// A row the reader cannot make sense of (a cell out of order, a shared
// string index out of range, a number that is none) goes to broken_row()
// alone; the sheet goes on.
#pragma once

#include <cstdint>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

namespace sseccoe::xlsx {

class SharedStrings;
class StyleTable;
class ZipPackage;

class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void row(std::uint64_t line, std::span<const std::string> cells) = 0;
  virtual void broken_row(std::uint64_t line, std::string_view reason) = 0;
};

struct SheetContext {
  const StyleTable& styles;
  SharedStrings& strings;
  bool date1904 = false;
};

// A single cell's text longer than this (Excel stops at 32,767 characters)
// makes its row broken rather than memory grow.
constexpr std::size_t kMaxCellBytes = 1 << 20;

// Streams the worksheet `part`. Throws XlsxError when the part is damaged
// (rows before the damage have reached the sink), StopRequested when `stop`
// fires (checked after every row); the sink's exceptions pass unchanged.
void read_sheet_rows(ZipPackage& zip, const std::string& part, const SheetContext& context, RowSink& sink,
                     const std::stop_token& stop);

}  // namespace sseccoe::xlsx
