#include "table_reader.hpp"

#include <cstring>
#include <system_error>

#include "byte_source.hpp"
#include "cell_decoder.hpp"
#include "delimiter.hpp"
#include "file_text.hpp"
#include "record_reader.hpp"

namespace sseccoe::csv {

namespace {

// Delimiter detection and the text checks read this much of the file's start.
constexpr std::size_t kSampleBytes = 64u << 10;

// Why a file is not CSV text at all, judged on its first bytes; empty when
// it may be.
std::string not_text(std::string_view head, const BomInfo& bom) {
  if (bom.bom == Bom::Utf16Le || bom.bom == Bom::Utf16Be)
    return "the file is UTF-16 text (Excel's \"Unicode text\"), which this plugin does not read: save it from "
           "Excel as \"CSV UTF-8 (delimitado por comas)\"";
  if (head.substr(0, 4) == std::string_view("PK\x03\x04", 4))
    return "the file is a ZIP archive (an .xlsx workbook saved under a .csv name?): read it with the xlsx plugin, "
           "or save it from Excel as \"CSV UTF-8 (delimitado por comas)\"";
  // Text has no NUL bytes; UTF-16 without a byte-order mark and binary files
  // have many.
  const std::string_view probe = head.substr(0, 4096);
  std::size_t nuls = 0;
  for (const char c : probe) nuls += c == '\0';
  if (nuls > 0 && nuls * 16 >= probe.size())
    return "the file is not text (" + std::to_string(nuls) + " NUL bytes in its first " +
           std::to_string(probe.size()) +
           "): UTF-16 without a byte-order mark, or a binary file; save it as \"CSV UTF-8 (delimitado por comas)\"";
  return {};
}

std::vector<std::string> mapped_headers(const CsvSettings& s) {
  std::vector<std::string> out;
  for (const auto& [field, header] : s.table.columns) out.push_back(header);
  return out;
}

}  // namespace

std::string table_key(const std::string& table) { return "table:" + table; }

FileReport read_file(const CsvSettings& s, const FoundFile& file, sdk::table::TableHarvest& harvest,
                     sdk::Emitter& out, std::stop_token stop) {
  FileReport r;
  const std::string locator = file_locator(file.path);
  FileSource src;
  if (const std::error_code ec = src.open(file.path)) {
    // Gone since it was listed (an export being replaced): look again later.
    if (ec == std::errc::no_such_file_or_directory) r.status = FileReport::Status::Changed;
    r.problem = file.path + " cannot be opened (" + ec.message() + ")";
    return r;
  }
  std::uint64_t size = 0, size_after = 0;
  std::int64_t mtime = 0, mtime_after = 0;
  if (const std::error_code ec = src.stat(size, mtime)) {
    r.problem = file.path + " cannot be examined (" + ec.message() + ")";
    return r;
  }
  auto refuse = [&](const std::string& why) {
    r.status = FileReport::Status::Refused;
    r.problem = why;
    out.quarantine(table_key(file.table), why, locator);
    return r;
  };

  try {
    const std::string head = src.peek(0, kSampleBytes + 3);
    const BomInfo bom = detect_bom(head);
    if (const std::string why = not_text(head, bom); !why.empty()) return refuse(why);
    std::string_view sample = std::string_view(head).substr(bom.length);
    std::uint64_t start = bom.length, first_line = 1;

    char delimiter = s.delimiter;
    const std::optional<SepLine> sep = excel_sep_line(sample);
    if (sep) {  // Excel's "sep=;" line declares the delimiter and is no row
      start += sep->length;
      first_line = 2;
      sample.remove_prefix(sep->length);
    }
    if (delimiter != 0) {
      r.delimiter = describe_delimiter(delimiter) + " (set)";
    } else if (sep) {
      delimiter = sep->delimiter;
      r.delimiter = describe_delimiter(delimiter) + " (sep= line)";
    } else {
      const DelimiterGuess g = detect_delimiter(sample, head.size() < kSampleBytes + 3);
      delimiter = g.delimiter;
      r.delimiter = describe_delimiter(delimiter) + (g.found ? " (detected)" : " (one column)");
    }
    std::optional<Encoding> forced = s.encoding;
    const bool by_bom = !forced && bom.bom == Bom::Utf8;
    if (by_bom) forced = Encoding::Utf8;
    CellDecoder decoder(src, forced, by_bom);

    ReaderLimits limits;
    limits.max_row_bytes = s.max_row_size;
    RecordReader reader(src, start, delimiter, limits, first_line);

    harvest.begin_table(file.table, locator, local_date(mtime), "export:mtime");
    bool have_header = false;
    for (std::uint64_t n = 0;; ++n) {
      if ((n & 1023) == 0 && stop.stop_requested()) {
        r.status = FileReport::Status::Stopped;
        return r;  // the table stays open: the harvest counts it as not read to its end
      }
      const RecordReader::Event e = reader.next();
      if (e == RecordReader::Event::End) break;
      if (e == RecordReader::Event::Broken) {
        ++r.broken;
        ++r.records;
        if (!have_header) {
          // Without a header no row can be read. The table is left open, so
          // that the harvest counts it as not read to its end.
          return refuse("line " + std::to_string(reader.line()) + ": the header row cannot be read: " +
                        reader.reason());
        }
        harvest.broken_row(reader.line(), reader.reason());
        continue;
      }
      auto& cells = reader.fields();
      if (!have_header) {
        decoder.header(cells, reader.offset(), mapped_headers(s));
        have_header = true;
        try {
          harvest.header(cells, reader.line());
        } catch (const sdk::table::TableError& err) {
          harvest.end_table();
          return refuse(err.what());
        }
        continue;
      }
      ++r.records;
      if (reader.needs_decoding()) {
        if (auto why = decoder.row(cells, reader.offset())) {
          ++r.broken;
          harvest.broken_row(reader.line(), *why);
          continue;
        }
      }
      harvest.row(cells, reader.line());
    }
    r.recoveries = reader.recoveries();
    r.encoding = decoder.describe();
    try {
      harvest.end_table();
    } catch (const sdk::table::TableError& err) {
      return refuse(err.what());
    }
  } catch (const std::system_error& err) {
    r.status = FileReport::Status::Unreadable;
    r.problem = file.path + " could not be read to its end (" + err.code().message() + ")";
    return r;
  }

  if (const std::error_code ec = src.stat(size_after, mtime_after); ec || size_after != size || mtime_after != mtime) {
    r.status = FileReport::Status::Changed;
    return r;
  }
  r.status = FileReport::Status::Read;
  r.version = FoundFile{file.path, file.table, size, mtime}.version();
  return r;
}

}  // namespace sseccoe::csv
