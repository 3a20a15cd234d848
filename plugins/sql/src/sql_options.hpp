// The sql plugin's option table (its own options followed by the options
// every tabular source shares) and the typed settings read from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::sql {

// Bounds of `fetch_size`: a batch is held in memory while its rows are
// emitted, so the upper bound caps what one wide row set can cost.
constexpr std::int64_t kMinFetchSize = 1;
constexpr std::int64_t kMaxFetchSize = 100'000;

struct SqlSettings {
  std::string instance;        // the [[source]] name, for messages
  std::string dsn_file;        // path only; the file is read at each connection
  std::string query;           // trimmed, without trailing semicolons
  std::string updated_column;  // empty: every pass reads the whole result
  std::chrono::milliseconds full_every{std::chrono::hours(24)};
  std::chrono::milliseconds statement_timeout{std::chrono::minutes(5)};  // 0: none
  std::chrono::seconds connect_timeout{10};
  std::int64_t fetch_size = 1000;
  std::string time_zone;  // empty: the server's TimeZone
  sdk::table::Settings table;
};

std::span<const sdk::OptionSpec> option_table();

// Validates what the option types cannot (an empty or non-SELECT query, a
// fetch size out of range, updated_column on a census source) and throws
// std::invalid_argument naming the source and the option.
SqlSettings read_settings(const sdk::SourceConfig& config);

}  // namespace sseccoe::sql
