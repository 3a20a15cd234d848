#include "styles.hpp"

#include <charconv>
#include <map>
#include <string>

#include "errors.hpp"
#include "text_util.hpp"
#include "xml_parse.hpp"
#include "zip_package.hpp"

namespace sseccoe::xlsx {

namespace {

// Excel's own limit is 64,000 cell formats; beyond a generous margin the
// part is forged.
constexpr std::size_t kMaxStyles = 1'000'000;
constexpr std::size_t kMaxNumberFormats = 100'000;

int to_int(std::string_view s, int fallback) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && end == s.data() + s.size() ? v : fallback;
}

// Tracks the element path: only <numFmts>/<numFmt> and <cellXfs>/<xf> at the
// top of <styleSheet> count (differential formats in <dxfs> and the named
// styles' <cellStyleXfs> have numFmt and xf elements too).
class StylesHandler final : public Poco::XML::DefaultHandler {
 public:
  explicit StylesHandler(std::string_view part) : part_(part) {}

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local, const Poco::XML::XMLString&,
                    const Poco::XML::Attributes& attrs) override {
    ++depth_;
    if (depth_ == 2) {
      in_num_fmts_ = local == "numFmts";
      in_cell_xfs_ = local == "cellXfs";
    } else if (depth_ == 3 && in_num_fmts_ && local == "numFmt") {
      if (codes.size() == kMaxNumberFormats) too_many("number formats");
      codes[to_int(attribute(attrs, "numFmtId"), -1)] = std::string(attribute(attrs, "formatCode"));
    } else if (depth_ == 3 && in_cell_xfs_ && local == "xf") {
      if (xf_formats.size() == kMaxStyles) too_many("cell styles");
      xf_formats.push_back(to_int(attribute(attrs, "numFmtId"), 0));
    }
  }

  void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {
    if (depth_ == 2) in_num_fmts_ = in_cell_xfs_ = false;
    --depth_;
  }

  std::map<int, std::string> codes;
  std::vector<int> xf_formats;

 private:
  [[noreturn]] void too_many(const char* what) const {
    throw XlsxError("the entry " + quoted(part_) + " defines more " + what +
                    " than any workbook needs: refused as a forged or damaged workbook");
  }

  std::string part_;
  int depth_ = 0;
  bool in_num_fmts_ = false;
  bool in_cell_xfs_ = false;
};

}  // namespace

StyleTable read_styles(ZipPackage& zip, const std::string& part) {
  StyleTable table;
  if (part.empty()) return table;  // open() says why a part the workbook names is missing
  StylesHandler handler(part);
  {
    auto in = zip.open(part);
    parse_part(*in, handler, part);
  }
  std::map<int, NumberFormat> custom;
  for (const auto& [id, code] : handler.codes) custom[id] = classify_format_code(code);
  table.formats_.reserve(handler.xf_formats.size());
  for (int id : handler.xf_formats) {
    // A <numFmt> may redefine a built-in id; the workbook's own code wins.
    auto it = custom.find(id);
    table.formats_.push_back(it != custom.end() ? it->second : builtin_format(id));
  }
  return table;
}

}  // namespace sseccoe::xlsx
