// One XLSX file opened for reading: the package, the workbook's sheet list,
// and one sheet streamed into a RowSink with its styles and shared strings.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <string_view>

#include "sheet_reader.hpp"
#include "workbook.hpp"
#include "zip_package.hpp"

namespace sseccoe::xlsx {

struct ReaderLimits {
  ZipLimits zip;
  std::uint64_t max_shared_strings = 1ull << 30;
  // Where a large shared string table spills (the source's work_dir); empty:
  // it stays in memory.
  std::string spill_dir;
};

class WorkbookReader {
 public:
  // Opens the package and reads the workbook's sheet list. Throws XlsxError.
  WorkbookReader(const std::string& path, ReaderLimits limits);

  // See find_sheet(): a name or a 1-based position; XlsxError names the
  // sheets present when there is no such sheet.
  const SheetRef& sheet(std::string_view spec) const { return find_sheet(workbook_, spec); }

  // Reads the styles and the shared strings, then streams `sheet`'s rows
  // into `sink`. Throws XlsxError (rows before the failure have been
  // delivered) or StopRequested.
  void read(const SheetRef& sheet, RowSink& sink, const std::stop_token& stop);

 private:
  ReaderLimits limits_;
  ZipPackage zip_;
  Workbook workbook_;
};

}  // namespace sseccoe::xlsx
