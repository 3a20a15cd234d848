#include "sheet_reader.hpp"

#include <charconv>
#include <vector>

#include "cell_ref.hpp"
#include "cell_text.hpp"
#include "errors.hpp"
#include "shared_strings.hpp"
#include "styles.hpp"
#include "text_util.hpp"
#include "xml_parse.hpp"
#include "zip_package.hpp"

namespace sseccoe::xlsx {

namespace {

using Poco::XML::Attributes;
using Poco::XML::XMLChar;
using Poco::XML::XMLString;

std::string_view trim_blank(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\n' || v.front() == '\r'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\n' || v.back() == '\r'))
    v.remove_suffix(1);
  return v;
}

bool iso_date_prefix(std::string_view v) {
  if (v.size() < 10 || v[4] != '-' || v[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (v[i] < '0' || v[i] > '9') return false;
  return true;
}

class SheetHandler final : public Poco::XML::DefaultHandler {
 public:
  SheetHandler(const SheetContext& context, RowSink& sink, const std::stop_token& stop)
      : ctx_(context), sink_(sink), stop_(stop) {}

  void startElement(const XMLString&, const XMLString& local, const XMLString&, const Attributes& attrs) override {
    if (!in_sheet_data_) {
      if (local == "sheetData") in_sheet_data_ = true;
      return;
    }
    if (in_cell_) {
      if (local == "v" && !in_inline_) {
        capture_ = true;
        has_value_ = true;
      } else if (local == "is") {
        in_inline_ = true;
        has_value_ = true;
      } else if (local == "rPh") {
        ++phonetic_;
      } else if (local == "t" && in_inline_ && phonetic_ == 0) {
        capture_ = true;
      }
      return;
    }
    if (in_row_) {
      if (local == "c") start_cell(attrs);
      return;
    }
    if (local == "row") start_row(attrs);
  }

  void endElement(const XMLString&, const XMLString& local, const XMLString&) override {
    if (!in_sheet_data_) return;
    if (in_cell_) {
      if (local == "v" || local == "t") {
        capture_ = false;
      } else if (local == "rPh") {
        --phonetic_;
      } else if (local == "is") {
        in_inline_ = false;
      } else if (local == "c") {
        end_cell();
      }
      return;
    }
    if (in_row_) {
      if (local == "row") end_row();
      return;
    }
    if (local == "sheetData") in_sheet_data_ = false;
  }

  void characters(const XMLChar ch[], int start, int length) override {
    if (!capture_ || !problem_.empty()) return;
    const auto n = static_cast<std::size_t>(length);
    if (value_.size() + n > kMaxCellBytes) {
      broken("cell " + cell_name(column_, line_) + " holds more than " + human_size(kMaxCellBytes) +
             " of text, more than Excel allows in a cell");
      return;
    }
    value_.append(ch + start, n);
  }

 private:
  void broken(std::string reason) {
    if (problem_.empty()) problem_ = std::move(reason);
  }

  void start_row(const Attributes& attrs) {
    in_row_ = true;
    for (std::size_t i = 0; i < used_; ++i) cells_[i].clear();
    used_ = 0;
    next_column_ = 0;
    last_value_ = -1;
    problem_.clear();
    const std::string_view r = attribute(attrs, "r");
    if (r.empty()) {
      line_ = last_line_ + 1;
    } else if (auto n = parse_row_number(r)) {
      line_ = *n;
      if (line_ <= last_line_)
        broken("row " + std::to_string(line_) + " comes after row " + std::to_string(last_line_) +
               ": rows out of order (the sheet is damaged)");
    } else {
      line_ = last_line_ + 1;
      broken("the row after row " + std::to_string(last_line_) + " has no valid row number");
    }
    if (line_ > last_line_) last_line_ = line_;
  }

  void end_row() {
    in_row_ = false;
    if (!problem_.empty()) {
      sink_.broken_row(line_, problem_);
    } else if (last_value_ >= 0) {
      sink_.row(line_, std::span<const std::string>(cells_.data(), static_cast<std::size_t>(last_value_) + 1));
    }
    if (stop_.stop_requested()) throw StopRequested();
  }

  void start_cell(const Attributes& attrs) {
    in_cell_ = true;
    in_inline_ = false;
    capture_ = false;
    has_value_ = false;
    phonetic_ = 0;
    value_.clear();
    type_ = attribute(attrs, "t");
    style_ = 0;
    if (const std::string_view s = attribute(attrs, "s"); !s.empty()) {
      const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), style_);
      if (ec != std::errc() || end != s.data() + s.size()) style_ = 0;
    }
    const std::string_view r = attribute(attrs, "r");
    if (r.empty()) {
      column_ = next_column_;
    } else if (auto ref = parse_cell_ref(r)) {
      column_ = ref->column;
      if (ref->row != 0 && ref->row != line_)
        broken("cell " + cell_name(ref->column, ref->row) + " stands inside row " + std::to_string(line_) +
               " (the sheet is damaged)");
      else if (column_ < next_column_)
        broken("cell " + cell_name(column_, line_) + " repeats or comes after a cell to its right (the sheet is "
               "damaged)");
    } else {
      column_ = next_column_;
      broken("a cell of row " + std::to_string(line_) + " has an invalid reference (the sheet is damaged)");
    }
    if (column_ >= kMaxColumns) {
      broken("row " + std::to_string(line_) + " has a cell past column " + column_name(kMaxColumns - 1));
      column_ = kMaxColumns - 1;
    }
  }

  void end_cell() {
    in_cell_ = false;
    capture_ = false;
    next_column_ = column_ + 1;
    if (!problem_.empty() || !has_value_) return;
    if (cells_.size() <= column_) cells_.resize(column_ + 1);
    std::string& out = cells_[column_];
    if (!convert(out)) return;
    if (column_ + 1 > used_) used_ = column_ + 1;
    if (!out.empty()) last_value_ = static_cast<std::int64_t>(column_);
  }

  // The cell's text into `out`; false (and the row broken) when the stored
  // value contradicts the cell's type. Values are never quoted in reasons:
  // they may be personal data.
  bool convert(std::string& out) {
    const std::string cell = cell_name(column_, line_);
    if (type_.empty() || type_ == "n") {
      if (trim_blank(value_).empty()) return true;
      if (auto text = format_number(value_, ctx_.styles.format(style_), ctx_.date1904)) {
        out = std::move(*text);
        return true;
      }
      broken("cell " + cell + " is marked as a number but does not hold one");
      return false;
    }
    if (type_ == "s") {
      const std::string_view v = trim_blank(value_);
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), index);
      if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
        broken("cell " + cell + " is marked as a shared string but holds no string number");
        return false;
      }
      auto s = ctx_.strings.get(index);
      if (!s) {
        broken("cell " + cell + " refers to shared string " + std::to_string(index) + ", but the workbook has " +
               std::to_string(ctx_.strings.size()));
        return false;
      }
      out.assign(*s);
      return true;
    }
    if (type_ == "inlineStr" || type_ == "str") {
      decode_escapes(value_);
      out = value_;
      return true;
    }
    if (type_ == "b") {
      const std::string_view v = trim_blank(value_);
      if (v == "1" || v == "true") {
        out = "true";
      } else if (v == "0" || v == "false") {
        out = "false";
      } else if (!v.empty()) {
        broken("cell " + cell + " is marked as a boolean but holds neither 0 nor 1");
        return false;
      }
      return true;
    }
    if (type_ == "e") {
      out = trim_blank(value_);
      return true;
    }
    if (type_ == "d") {
      // ISO 8601 in the cell (strict OOXML): the day, the time dropped.
      const std::string_view v = trim_blank(value_);
      out = iso_date_prefix(v) ? v.substr(0, 10) : v;
      return true;
    }
    broken("cell " + cell + " has an unknown type " + quoted(type_));
    return false;
  }

  const SheetContext& ctx_;
  RowSink& sink_;
  const std::stop_token& stop_;

  bool in_sheet_data_ = false;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_inline_ = false;
  bool capture_ = false;
  bool has_value_ = false;
  int phonetic_ = 0;

  std::uint64_t line_ = 0;
  std::uint64_t last_line_ = 0;
  std::uint32_t column_ = 0;
  std::uint32_t next_column_ = 0;
  std::int64_t last_value_ = -1;  // the rightmost column with a value, -1 for none
  std::string problem_;           // why the current row is broken, empty when it is not

  std::string type_;
  std::uint32_t style_ = 0;
  std::string value_;

  std::vector<std::string> cells_;  // reused from row to row: no allocation per cell once warm
  std::size_t used_ = 0;            // cells_[0, used_) may hold text of the current row
};

}  // namespace

void read_sheet_rows(ZipPackage& zip, const std::string& part, const SheetContext& context, RowSink& sink,
                     const std::stop_token& stop) {
  SheetHandler handler(context, sink, stop);
  auto in = zip.open(part);
  parse_part(*in, handler, part);
}

}  // namespace sseccoe::xlsx
