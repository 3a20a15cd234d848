// The csv source's option table (the single source of truth: validation,
// `plugins describe csv` and docs/plugins/csv.md are generated from it by the
// core) and the typed settings read from it. The table is this plugin's own
// options followed by the options every tabular plugin shares (key, columns).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "encoding.hpp"
#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::csv {

std::span<const sdk::OptionSpec> option_table();

struct CsvSettings {
  std::string instance;                // the [[source]] name, for messages
  std::string path;                    // a file or a glob
  char delimiter = 0;                  // 0: detect per file
  std::optional<Encoding> encoding;    // nullopt: detect per file
  std::chrono::milliseconds settle{5000};
  std::uint64_t max_row_size = 1u << 20;
  sdk::table::Settings table;          // key, columns, role
};

// Reads options the core has already validated against the table and filled
// with defaults. Throws std::invalid_argument naming the source and the
// option for values the types cannot rule out (an unknown encoding, a
// delimiter that is a letter, key naming an unmapped field).
CsvSettings read_settings(const sdk::SourceConfig& config);

// A short fingerprint of everything that changes how a file's rows are
// read (delimiter, encoding, key, columns, role, limits): when it changes,
// unchanged files are read again.
std::string settings_fingerprint(const CsvSettings& s);

}  // namespace sseccoe::csv
