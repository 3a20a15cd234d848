#include "workbook.hpp"

#include <charconv>
#include <map>

#include "errors.hpp"
#include "opc.hpp"
#include "sseccoe/sdk/table.hpp"
#include "text_util.hpp"
#include "xml_parse.hpp"
#include "zip_package.hpp"

namespace sseccoe::xlsx {

namespace {

// Excel allows as many sheets as memory does; no HR export has thousands.
constexpr std::size_t kMaxSheets = 10'000;

bool xml_true(std::string_view v) { return v == "1" || lower_ascii(v) == "true"; }

struct SheetEntry {
  std::string name;
  std::string rel_id;
};

class WorkbookHandler final : public Poco::XML::DefaultHandler {
 public:
  explicit WorkbookHandler(std::string_view part) : part_(part) {}

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local, const Poco::XML::XMLString&,
                    const Poco::XML::Attributes& attrs) override {
    if (local == "workbookPr") {
      date1904 = xml_true(attribute(attrs, "date1904"));
    } else if (local == "sheet") {
      if (sheets.size() == kMaxSheets)
        throw XlsxError("the entry " + quoted(part_) + " lists more than " + std::to_string(kMaxSheets) +
                        " sheets: refused as a forged or damaged workbook");
      sheets.push_back({std::string(attribute(attrs, "name")), std::string(namespaced_attribute(attrs, "id"))});
    }
  }

  bool date1904 = false;
  std::vector<SheetEntry> sheets;

 private:
  std::string part_;
};

std::string last_word(std::string_view type) {
  const auto slash = type.rfind('/');
  return std::string(slash == std::string_view::npos ? type : type.substr(slash + 1));
}

std::string list_sheets(const Workbook& wb) {
  std::string out;
  for (const auto& s : wb.sheets) out += (out.empty() ? "" : ", ") + quoted(s.name);
  return out.empty() ? "(none)" : out;
}

}  // namespace

Workbook read_workbook(ZipPackage& zip) {
  Workbook wb;
  for (const auto& rel : read_relationships(zip, ""))
    if (type_is(rel.type, "officeDocument") && !rel.target.empty()) {
      wb.part = rel.target;
      break;
    }
  if (wb.part.empty()) wb.part = "xl/workbook.xml";
  if (!zip.has(wb.part)) {
    if (zip.truncated())
      throw XlsxError("the file is truncated before its workbook part " + quoted(wb.part) +
                      ": it was probably cut short while being copied; copy it again");
    throw XlsxError("the ZIP holds no Excel workbook (no " + quoted(wb.part) +
                    "): is it a Word or PowerPoint document, or another ZIP renamed .xlsx?");
  }

  WorkbookHandler handler(wb.part);
  {
    auto in = zip.open(wb.part);
    parse_part(*in, handler, wb.part);
  }
  wb.date1904 = handler.date1904;

  std::map<std::string, Relationship, std::less<>> by_id;
  for (auto& rel : read_relationships(zip, wb.part)) {
    if (type_is(rel.type, "styles") && wb.styles_part.empty()) wb.styles_part = rel.target;
    if (type_is(rel.type, "sharedStrings") && wb.shared_strings_part.empty()) wb.shared_strings_part = rel.target;
    by_id.emplace(rel.id, std::move(rel));
  }
  for (const auto& s : handler.sheets) {
    SheetRef ref;
    ref.name = s.name;
    if (auto it = by_id.find(s.rel_id); it != by_id.end()) {
      ref.part = it->second.target;
      ref.kind = last_word(it->second.type);
    }
    wb.sheets.push_back(std::move(ref));
  }
  return wb;
}

const SheetRef& find_sheet(const Workbook& wb, std::string_view spec) {
  const SheetRef* found = nullptr;
  // The name as on the tab first; then without regard to case, accents and
  // spaces, as headers are matched ("nomina" finds "Nómina"), unless that
  // matches several tabs ("Nómina" and "NOMINA"), which only the exact name
  // can tell apart.
  for (const auto& s : wb.sheets)
    if (s.name == spec) {
      found = &s;
      break;
    }
  if (found == nullptr) {
    const std::string folded = sdk::table::fold_header(spec);
    std::vector<const SheetRef*> hits;
    for (const auto& s : wb.sheets)
      if (!folded.empty() && sdk::table::fold_header(s.name) == folded) hits.push_back(&s);
    if (hits.size() > 1)
      throw XlsxError("the option 'sheet' = " + quoted(spec) + " matches the sheets " + quoted(hits[0]->name) +
                      " and " + quoted(hits[1]->name) +
                      " (names are matched without regard to case and accents): write the name exactly as on its "
                      "tab");
    if (hits.size() == 1) found = hits[0];
  }
  if (found == nullptr) {
    std::size_t index = 0;
    const auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), index);
    const bool numeric = !spec.empty() && ec == std::errc() && end == spec.data() + spec.size();
    if (numeric && index >= 1 && index <= wb.sheets.size()) {
      found = &wb.sheets[index - 1];
    } else if (numeric) {
      throw XlsxError("the workbook has " + std::to_string(wb.sheets.size()) + " sheet" +
                      (wb.sheets.size() == 1 ? "" : "s") + ", so there is no sheet number " + std::string(spec) +
                      " (option 'sheet'); its sheets are " + list_sheets(wb));
    } else {
      throw XlsxError("the workbook has no sheet named " + quoted(spec) + " (option 'sheet'); its sheets are " +
                      list_sheets(wb));
    }
  }
  if (found->part.empty())
    throw XlsxError("the sheet " + quoted(found->name) +
                    " has no part in the package (its relationship is missing): the workbook is damaged");
  if (found->kind != "worksheet")
    throw XlsxError("the sheet " + quoted(found->name) + " is a " +
                    (found->kind == "chartsheet" ? std::string("chart sheet") : found->kind) +
                    ", not a worksheet with rows; its sheets are " + list_sheets(wb));
  return *found;
}

}  // namespace sseccoe::xlsx
