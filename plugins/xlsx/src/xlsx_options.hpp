// The xlsx source's option table: its own options, then the options every
// tabular plugin shares (key, columns; sdk/table.hpp). Validation, `plugins
// describe xlsx` and docs/plugins/xlsx.md are generated from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::xlsx {

std::span<const sdk::OptionSpec> option_table();

// The widest compression ratio accepted for max_compression_ratio: deflate
// cannot exceed about 1,032:1, so a larger cap would check nothing.
constexpr std::int64_t kMaxRatioLimit = 1032;

struct XlsxSettings {
  std::string instance;  // the [[source]] name, for messages
  std::string path;      // a file or a glob, as configured
  std::string sheet = "1";
  std::int64_t header_row = 0;  // 0: the first row with a value
  std::chrono::milliseconds settle{5000};
  std::uint64_t max_uncompressed_size = 4ull << 30;
  std::uint64_t max_compression_ratio = 200;
  std::uint64_t max_shared_strings_size = 1ull << 30;
  std::string work_dir;  // SourceConfig::work_dir: where big shared string tables spill
};

// Reads the options the core validated against the table. Throws
// std::invalid_argument naming the source and the option for values the
// types cannot rule out.
XlsxSettings read_settings(const sdk::SourceConfig& config);

}  // namespace sseccoe::xlsx
