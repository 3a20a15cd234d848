#include "workbook_reader.hpp"

#include "shared_strings.hpp"
#include "styles.hpp"

namespace sseccoe::xlsx {

WorkbookReader::WorkbookReader(const std::string& path, ReaderLimits limits)
    : limits_(std::move(limits)), zip_(path, limits_.zip), workbook_(read_workbook(zip_)) {}

void WorkbookReader::read(const SheetRef& sheet, RowSink& sink, const std::stop_token& stop) {
  const StyleTable styles = read_styles(zip_, workbook_.styles_part);
  SharedStrings strings(limits_.max_shared_strings, limits_.spill_dir);
  read_shared_strings(zip_, workbook_.shared_strings_part, strings);
  const SheetContext context{styles, strings, workbook_.date1904};
  read_sheet_rows(zip_, sheet.part, context, sink, stop);
}

}  // namespace sseccoe::xlsx
