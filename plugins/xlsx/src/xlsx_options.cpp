#include "xlsx_options.hpp"

#include <stdexcept>
#include <vector>

#include "sseccoe/sdk/table.hpp"

namespace sseccoe::xlsx {

namespace {

using sdk::OptionSpec;
using sdk::OptionType;

// The defaults are TOML, parsed by the core like a user's value.
constexpr OptionSpec kOwnOptions[] = {
    {"path", OptionType::Path, "", true, false,
     "The XLSX workbook to read, or a glob of them (\"/srv/rh/exportes/*.xlsx\"; '**' spans directories; "
     "matched without regard to case; hidden files and Excel's ~$ lock files are skipped). Every file must hold "
     "the same columns"},
    {"sheet", OptionType::String, "\"1\"", false, false,
     "The sheet to read: its name as on its tab (without regard to case, accents or spaces, as headers: "
     "\"nomina\" finds \"Nómina\"), or its position as a string (\"1\" is the first tab)"},
    {"header_row", OptionType::Integer, "0", false, false,
     "The row number that holds the headers; 0 takes the first row with a value. Rows above it are ignored, and "
     "so are cells right of the header's last column. A merged range's value counts in its top-left cell only "
     "(its other cells are empty, as Excel stores them)"},
    {"settle", OptionType::Duration, "5s", false, false,
     "How long a file must stay unchanged before it is read, so that an export still being copied is not taken "
     "half-written"},
    {"max_uncompressed_size", OptionType::Size, "4GiB", false, false,
     "The most one workbook may expand to (all the ZIP entries read from it); a larger one is refused as a zip "
     "bomb"},
    {"max_compression_ratio", OptionType::Integer, "200", false, false,
     "An entry that expands to more than this many times its compressed size (once past 1 MiB) is refused as a "
     "zip bomb (2 to 1032; exported sheets usually compress 5 to 30 times)"},
    {"max_shared_strings_size", OptionType::Size, "1GiB", false, false,
     "The most text the workbook's shared string table may hold; past 16 MiB it is kept in a temporary file in "
     "the agent's state directory, not in memory"},
};

std::vector<OptionSpec> build_table() {
  std::vector<OptionSpec> all(std::begin(kOwnOptions), std::end(kOwnOptions));
  for (const auto& spec : sdk::table::shared_options()) all.push_back(spec);
  return all;
}

}  // namespace

std::span<const sdk::OptionSpec> option_table() {
  static const std::vector<OptionSpec> table = build_table();
  return table;
}

XlsxSettings read_settings(const sdk::SourceConfig& config) {
  const sdk::OptionValues& o = config.options;
  XlsxSettings s;
  s.instance = config.instance;
  s.path = o.str("path");
  s.sheet = o.str("sheet");
  s.header_row = o.integer("header_row");
  s.settle = o.duration("settle");
  s.max_uncompressed_size = o.size("max_uncompressed_size");
  const std::int64_t ratio = o.integer("max_compression_ratio");
  s.max_shared_strings_size = o.size("max_shared_strings_size");
  s.work_dir = config.work_dir;

  const std::string where = "source '" + s.instance + "': ";
  if (s.path.empty()) throw std::invalid_argument(where + "option 'path' is empty: set it to the XLSX file or a glob");
  if (s.sheet.empty())
    throw std::invalid_argument(where + "option 'sheet' is empty: name a sheet, or write \"1\" for the first");
  if (s.header_row < 0)
    throw std::invalid_argument(where + "option 'header_row' is " + std::to_string(s.header_row) +
                                ": write the header's row number, or 0 for the first row with a value");
  if (s.settle.count() < 0) throw std::invalid_argument(where + "option 'settle' must not be negative");
  if (s.max_uncompressed_size == 0)
    throw std::invalid_argument(where + "option 'max_uncompressed_size' must be more than 0");
  if (ratio < 2 || ratio > kMaxRatioLimit)
    throw std::invalid_argument(where + "option 'max_compression_ratio' is " + std::to_string(ratio) +
                                ": it must be 2 to " + std::to_string(kMaxRatioLimit));
  s.max_compression_ratio = static_cast<std::uint64_t>(ratio);
  if (s.max_shared_strings_size == 0)
    throw std::invalid_argument(where + "option 'max_shared_strings_size' must be more than 0");
  return s;
}

}  // namespace sseccoe::xlsx
