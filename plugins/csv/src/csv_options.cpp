#include "csv_options.hpp"

#include <cstdio>
#include <stdexcept>
#include <vector>

#include "delimiter.hpp"

namespace sseccoe::csv {

namespace {

using sdk::OptionSpec;
using sdk::OptionType;

// The defaults are TOML, parsed by the core like a user's value.
constexpr OptionSpec kOwnOptions[] = {
    {"path", OptionType::Path, "", true, false,
     "The export to read: one CSV file, or a glob of files (\"/srv/rh/capacitacion_*.csv\", \"/srv/rh/**/*.csv\"; "
     "matched ignoring case, hidden files and ~$ lock files skipped) read in name order as one table each"},
    {"delimiter", OptionType::String, "auto", false, false,
     "The field separator: \"auto\" detects comma, semicolon, tab or pipe from each file's first lines (quotes "
     "respected); or \"tab\", or one punctuation character such as \";\""},
    {"encoding", OptionType::String, "auto", false, false,
     "The text encoding: \"auto\" reads a byte-order mark, else detects UTF-8 or Windows-1252 (Excel's \"CSV\" on "
     "a Spanish Windows) with uchardet; or force \"utf-8\", \"windows-1252\" or \"latin-1\". A row with bytes that "
     "are not text in the encoding is quarantined alone; UTF-16 files are refused with advice"},
    {"settle", OptionType::Duration, "5s", false, false,
     "How long a file must stay unchanged (size and modification time) before it is read, so that an export "
     "still being written is not taken half-way"},
    {"max_row_size", OptionType::Size, "1MiB", false, false,
     "A field or row longer than this is quarantined (usually an unterminated quote swallowing the lines after "
     "it) and reading resumes on the next line"},
};

std::vector<OptionSpec> build_table() {
  std::vector<OptionSpec> all(std::begin(kOwnOptions), std::end(kOwnOptions));
  for (const auto& spec : sdk::table::shared_options()) all.push_back(spec);
  return all;
}

// FNV-1a, 64 bits: stable across builds and machines, unlike std::hash.
struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ull;
  void add(std::string_view s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 0x100000001b3ull;
    }
    h ^= 0xff;  // a separator no UTF-8 text contains
    h *= 0x100000001b3ull;
  }
};

}  // namespace

std::span<const sdk::OptionSpec> option_table() {
  static const std::vector<OptionSpec> table = build_table();
  return table;
}

CsvSettings read_settings(const sdk::SourceConfig& config) {
  const sdk::OptionValues& o = config.options;
  const std::string where = "source '" + config.instance + "': ";
  CsvSettings s;
  s.instance = config.instance;
  s.path = o.str("path");
  if (s.path.empty()) throw std::invalid_argument(where + "option 'path' is empty: set it to the export file");
  try {
    s.delimiter = parse_delimiter_option(o.str("delimiter"));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where + "option 'delimiter': " + e.what());
  }
  try {
    s.encoding = parse_encoding_option(o.str("encoding"));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where + "option 'encoding': " + e.what());
  }
  s.settle = o.duration("settle");
  if (s.settle.count() < 0) throw std::invalid_argument(where + "option 'settle' must not be negative");
  s.max_row_size = o.size("max_row_size");
  if (s.max_row_size < 1024 || s.max_row_size > (1ull << 30))
    throw std::invalid_argument(where + "option 'max_row_size' must be from 1KiB to 1GiB");
  s.table = sdk::table::read_settings(config);
  return s;
}

std::string settings_fingerprint(const CsvSettings& s) {
  Fnv f;
  f.add("csv-settings/1");
  f.add(std::string(1, s.delimiter));
  f.add(s.encoding ? name_of(*s.encoding) : "auto");
  f.add(std::to_string(s.max_row_size));
  f.add(s.table.role);
  for (const auto& k : s.table.key) f.add(k);
  f.add("|");
  for (const auto& [field, header] : s.table.columns) {
    f.add(field);
    f.add(header);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(f.h));
  return hex;
}

}  // namespace sseccoe::csv
