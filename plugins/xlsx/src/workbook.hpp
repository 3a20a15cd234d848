// xl/workbook.xml and its relationships: the sheets by name and position,
// the date system, and where the styles and the shared strings are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::xlsx {

class ZipPackage;

struct SheetRef {
  std::string name;
  std::string part;  // the ZIP entry ("xl/worksheets/sheet1.xml"); empty when no relationship names it
  std::string kind;  // "worksheet", "chartsheet", "dialogsheet", "macrosheet", or the type's last word
};

struct Workbook {
  std::string part;  // the workbook's own entry, usually "xl/workbook.xml"
  bool date1904 = false;  // serial 0 is 1904-01-01 (old Mac workbooks) instead of 1899-12-31
  std::vector<SheetRef> sheets;  // in the workbook's order (the tabs' order)
  std::string styles_part;           // empty when the workbook has none
  std::string shared_strings_part;   // empty when the workbook has none
};

// Throws XlsxError when the package has no workbook or it is damaged.
Workbook read_workbook(ZipPackage& zip);

// The sheet `spec` names: a sheet's name (compared without regard to case,
// as Excel compares them) or, failing that, its 1-based position ("1" is the
// first tab). Throws XlsxError naming the sheets present when there is no
// such sheet, or when it is not a worksheet.
const SheetRef& find_sheet(const Workbook& workbook, std::string_view spec);

}  // namespace sseccoe::xlsx
