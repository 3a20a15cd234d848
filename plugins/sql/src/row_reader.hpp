// Reading the query's rows inside one read-only snapshot: the transaction,
// the column description, the largest updated_column value, and the rows
// themselves, fetched in batches from a server-side cursor so that memory
// holds one batch, whatever the size of the result.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "pg_session.hpp"

namespace sseccoe::sql {

struct Column {
  std::string name;
  unsigned type = 0;  // PostgreSQL type OID
};

struct SnapshotOptions {
  std::chrono::milliseconds statement_timeout{0};  // 0: the server's default
  std::string time_zone;                           // empty: the server's default
};

// BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY: every statement of the
// pass sees the same snapshot (the maximum and the rows agree), and the
// server refuses any write the query might attempt. Then, for this
// transaction only: statement_timeout, TimeZone, and DateStyle ISO (the date
// form cell_text expects).
void begin_snapshot(PgSession& session, const SnapshotOptions& options);
void commit(PgSession& session);

// The snapshot's date (current_date in the session's time zone): a census's
// export date.
std::string snapshot_date(PgSession& session);

// The result's columns, without reading any row (LIMIT 0).
std::vector<Column> describe(PgSession& session, std::string_view query);

// The column `configured` names: the same name, else the one that is equal
// ignoring case and accents (sdk::table::fold_header), else nullopt.
std::optional<std::string> find_column(const std::vector<Column>& columns, std::string_view configured);

// The largest value of `column` as text, with an optional lower bound;
// nullopt when no row has a value.
std::optional<std::string> max_value(PgSession& session, std::string_view query, std::string_view column,
                                     const std::optional<std::string>& lower_bound);

class RowHandler {
 public:
  virtual ~RowHandler() = default;
  // Cells in column order, converted by cell_text (NULL is empty).
  virtual void row(const std::vector<std::string>& cells, std::uint64_t ordinal) = 0;
  // A row whose bytes are not UTF-8 (a SQL_ASCII database): named, not read.
  virtual void broken_row(std::uint64_t ordinal, std::string_view reason) = 0;
};

struct StreamResult {
  std::uint64_t rows = 0;   // rows handed to the handler (good or broken)
  std::uint64_t bytes = 0;  // value bytes received, for the log
  bool complete = false;    // read to the end (false: stop was requested)
};

// DECLARE a NO SCROLL cursor for `select_sql` (with `params`), FETCH
// `fetch_size` rows at a time until the end, CLOSE it. Stops between rows
// once `stop` is requested. `columns` is what describe() returned; a result
// of another shape is an error (the query changed under the pass).
StreamResult stream_rows(PgSession& session, const std::string& select_sql,
                         const std::vector<std::optional<std::string>>& params, const std::vector<Column>& columns,
                         std::int64_t fetch_size, RowHandler& handler, std::stop_token stop);

}  // namespace sseccoe::sql
