#include "row_reader.hpp"

#include "cell_text.hpp"
#include "sql_text.hpp"
#include "sseccoe/sdk/table.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sql {

void begin_snapshot(PgSession& session, const SnapshotOptions& options) {
  session.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a read-only transaction");
  // set_config(..., true) is SET LOCAL with the value as a parameter.
  session.exec("SELECT set_config('DateStyle', 'ISO, YMD', true)", "setting DateStyle");
  session.exec("SELECT set_config('statement_timeout', $1, true)", "setting statement_timeout",
               {std::to_string(options.statement_timeout.count())});
  if (!options.time_zone.empty())
    session.exec("SELECT set_config('TimeZone', $1, true)", "setting the time_zone option", {options.time_zone});
}

void commit(PgSession& session) { session.exec("COMMIT", "ending the read-only transaction"); }

std::string snapshot_date(PgSession& session) {
  const PgResult r = session.exec("SELECT to_char(current_date, 'YYYY-MM-DD')", "reading the server's date");
  return r.rows() == 1 && !r.is_null(0, 0) ? std::string(r.value(0, 0)) : std::string();
}

std::vector<Column> describe(PgSession& session, std::string_view query) {
  const PgResult r = session.exec(describe_sql(query), "the query");
  std::vector<Column> columns;
  columns.reserve(static_cast<std::size_t>(r.columns()));
  for (int c = 0; c < r.columns(); ++c) columns.push_back({r.column_name(c), r.column_type(c)});
  return columns;
}

std::optional<std::string> find_column(const std::vector<Column>& columns, std::string_view configured) {
  for (const auto& c : columns)
    if (c.name == configured) return c.name;
  const std::string folded = sdk::table::fold_header(configured);
  std::optional<std::string> found;
  for (const auto& c : columns) {
    if (sdk::table::fold_header(c.name) != folded) continue;
    if (found) return std::nullopt;  // ambiguous: "Fecha" and "fecha" both present
    found = c.name;
  }
  return found;
}

std::optional<std::string> max_value(PgSession& session, std::string_view query, std::string_view column,
                                     const std::optional<std::string>& lower_bound) {
  std::vector<std::optional<std::string>> params;
  if (lower_bound) params.push_back(*lower_bound);
  const PgResult r = session.exec(max_sql(query, column, lower_bound.has_value()),
                                  "reading the largest updated_column value", params);
  if (r.rows() != 1 || r.is_null(0, 0)) return std::nullopt;
  return std::string(r.value(0, 0));
}

StreamResult stream_rows(PgSession& session, const std::string& select_sql,
                         const std::vector<std::optional<std::string>>& params, const std::vector<Column>& columns,
                         std::int64_t fetch_size, RowHandler& handler, std::stop_token stop) {
  session.exec(declare_cursor_sql(select_sql), "the query", params);
  const std::string fetch = fetch_sql(fetch_size);
  StreamResult out;
  std::vector<std::string> cells(columns.size());
  for (;;) {
    if (stop.stop_requested()) return out;
    // One batch in memory at a time; the previous one is freed here.
    const PgResult batch = session.exec(fetch, "fetching rows");
    if (static_cast<std::size_t>(batch.columns()) != columns.size())
      throw PgError("the query returned " + std::to_string(batch.columns()) + " columns where it described " +
                        std::to_string(columns.size()) + ": it changed during the pass; it is read again next pass",
                    PgFailure::Transient, "");
    const int rows = batch.rows();
    for (int r = 0; r < rows; ++r) {
      if (stop.stop_requested()) return out;
      ++out.rows;
      std::string_view bad_column;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const int ci = static_cast<int>(c);
        if (batch.is_null(r, ci)) {
          cells[c].clear();
          continue;
        }
        const std::string_view v = batch.value(r, ci);
        out.bytes += v.size();
        if (bad_column.empty() && !sdk::utf8::is_valid(v)) bad_column = columns[c].name;
        cells[c] = cell_text(columns[c].type, v);
      }
      if (!bad_column.empty()) {
        handler.broken_row(out.rows, "column '" + std::string(bad_column) +
                                         "' is not valid UTF-8 text: the database stores bytes unchecked "
                                         "(encoding SQL_ASCII); convert the column in the query, e.g. "
                                         "convert_from(convert_to(column, 'SQL_ASCII'), 'WIN1252')");
        continue;
      }
      handler.row(cells, out.rows);
    }
    if (rows < fetch_size) break;
  }
  session.exec("CLOSE " + std::string(kCursorName), "closing the cursor");
  out.complete = true;
  return out;
}

}  // namespace sseccoe::sql
