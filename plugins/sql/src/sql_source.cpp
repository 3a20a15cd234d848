#include "sql_source.hpp"

#include <chrono>
#include <stdexcept>
#include <utility>

#include "pass_plan.hpp"
#include "row_reader.hpp"
#include "sql_text.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::sql {

namespace {

// The table's name within the source, in messages and item metadata.
constexpr const char* kTableName = "query";
// Server notices are logged at debug level, cut to this many bytes: a
// function in a view could say anything, rows included.
constexpr std::size_t kMaxNoticeBytes = 300;

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string duration_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + "s";
  return std::to_string(d.count()) + "ms";
}

// Rows from the reader into the harvest, with their ordinal as the line.
class TableFeed final : public RowHandler {
 public:
  explicit TableFeed(sdk::table::TableHarvest& table) : table_(table) {}
  void row(const std::vector<std::string>& cells, std::uint64_t ordinal) override { table_.row(cells, ordinal); }
  void broken_row(std::uint64_t ordinal, std::string_view reason) override { table_.broken_row(ordinal, reason); }

 private:
  sdk::table::TableHarvest& table_;
};

// probe() checks the header with the same code a pass uses, without
// harvesting: an emitter that takes nothing.
class NullEmitter final : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item&, const std::optional<sdk::Cursor>&) override {
    return {sdk::EmitOutcome::Unchanged, "", ""};
  }
  void quarantine(std::string_view, std::string_view, std::string_view) override {}
  std::optional<sdk::KnownItem> known(std::string_view) override { return std::nullopt; }
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view) override {}
  void log(sdk::LogLevel, std::string_view) override {}
};

std::vector<std::string> names_of(const std::vector<Column>& columns) {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& c : columns) names.push_back(c.name);
  return names;
}

std::string listed(const std::vector<Column>& columns) {
  constexpr std::size_t kMaxListed = 30;
  std::string out;
  for (std::size_t i = 0; i < columns.size() && i < kMaxListed; ++i)
    out += (i == 0 ? "\"" : ", \"") + columns[i].name + "\"";
  if (columns.size() > kMaxListed) out += ", ... (" + std::to_string(columns.size()) + " in all)";
  return out.empty() ? "none" : out;
}

}  // namespace

SqlSource::SqlSource(SqlSettings settings, std::function<std::int64_t()> now)
    : s_(std::move(settings)), now_(now ? std::move(now) : std::function<std::int64_t()>(system_now)) {}

std::unique_ptr<PgSession> SqlSource::connect() const {
  Dsn dsn;
  try {
    dsn = read_dsn_file(s_.dsn_file);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(where() + e.what());
  }
  PgSession::Params params;
  params.connect_timeout = s_.connect_timeout;
  try {
    return std::make_unique<PgSession>(dsn, params);
  } catch (const PgError& e) {
    throw std::runtime_error(explain(e));
  }
}

std::string SqlSource::explain(const PgError& e) const {
  const std::string head = where() + e.what() + ": ";
  const std::string file = "dsn_file '" + s_.dsn_file + "'";
  switch (e.failure) {
    case PgFailure::Unreachable:
      return head + "check the host and port in " + file +
             " and that PostgreSQL is running and reachable from this machine; the source is tried again at the "
             "next pass";
    case PgFailure::Authentication:
      return head + "the server refused the login: check the user and password in " + file +
             " and the server's pg_hba.conf";
    case PgFailure::Database: return head + "check the database name in " + file;
    case PgFailure::Query:
      return head + "fix the source's 'query' option or the view it reads (a renamed column also needs the new "
                    "name in 'columns' or 'updated_column')";
    case PgFailure::ReadOnly:
      return head + "the query tries to write, and this source only reads: use a plain SELECT";
    case PgFailure::Timeout:
      return head + "the statement ran longer than statement_timeout (" + duration_text(s_.statement_timeout) +
             "): make the view faster or raise statement_timeout";
    case PgFailure::Encoding:
      return head + "a value cannot be converted to UTF-8: fix it in the database, or convert it in the query";
    case PgFailure::Transient:
      return head + "the server or the connection failed during the pass; what was harvested is kept, and the "
                    "source is read again at the next pass";
    case PgFailure::Other: break;
  }
  return head + "see the PostgreSQL server's log";
}

sdk::Cursor SqlSource::harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) {
  const std::int64_t started = now_();
  std::unique_ptr<PgSession> session = connect();
  session->on_notice([&out](std::string_view text) {
    out.log(sdk::LogLevel::Debug, "server notice: " + std::string(text.substr(0, kMaxNoticeBytes)));
  });
  try {
    begin_snapshot(*session, {s_.statement_timeout, s_.time_zone});
    const std::vector<Column> columns = describe(*session, s_.query);

    std::string updated;  // the column's name as the result spells it
    if (!s_.updated_column.empty()) {
      const auto found = find_column(columns, s_.updated_column);
      if (!found)
        throw std::runtime_error(where() + "option 'updated_column' names \"" + s_.updated_column +
                                 "\", which the query does not return (its columns: " + listed(columns) +
                                 "): write one of them, or leave updated_column out to read every row each pass");
      updated = *found;
    }

    const PassPlan plan = plan_pass(from.value, s_.query, s_.updated_column, s_.full_every, started);
    std::optional<std::string> pass_max;
    if (!updated.empty())
      pass_max = max_value(*session, s_.query, updated,
                           plan.full ? std::nullopt : std::optional<std::string>(plan.lower_bound));

    sdk::table::TableHarvest table(s_.table, out);
    // Incremental passes too: a row of a view without a date column is dated
    // by the query that read it (current_date of its snapshot).
    table.begin_table(kTableName, session->locator(), snapshot_date(*session), "export:query_time");
    try {
      table.header(names_of(columns), 0);
    } catch (const sdk::table::TableError& e) {
      throw std::runtime_error(std::string(e.what()) +
                               ". The query's columns do not match the source's 'columns' option (a column of "
                               "the view was renamed or dropped?): update 'columns' to the names the query "
                               "returns, or restore the column; nothing was harvested from this source in this "
                               "pass");
    }

    std::vector<std::optional<std::string>> params;
    if (!plan.full) params.emplace_back(plan.lower_bound);
    TableFeed feed(table);
    const StreamResult read = stream_rows(*session, rows_sql(s_.query, updated, !plan.full), params, columns,
                                          s_.fetch_size, feed, stop);
    if (read.complete) {
      table.end_table();
      commit(*session);
    }
    // Only a full pass read to its end can tell which rows are gone.
    const sdk::table::Counts counts = table.finish(plan.full && read.complete);
    out.log(sdk::LogLevel::Info,
            std::string(plan.full ? "full pass" : "incremental pass") + " (" + plan.why + "): " +
                std::to_string(read.rows) + " rows read (" + std::to_string(read.bytes / 1024) + " KiB), " +
                std::to_string(counts.emitted) + " emitted, " + std::to_string(counts.quarantined) +
                " quarantined, " + std::to_string(counts.gone) + " gone" +
                (read.complete ? "" : "; stopped before the end"));
    // A pass stopped half-way keeps the old cursor: the rest is read next time.
    if (!read.complete) return from;
    return {next_cursor(from.value, plan, s_.query, s_.updated_column, pass_max, started)};
  } catch (const PgError& e) {
    throw std::runtime_error(explain(e));
  }
}

std::string SqlSource::probe() {
  try {
    std::unique_ptr<PgSession> session = connect();
    begin_snapshot(*session, {s_.statement_timeout, s_.time_zone});
    const std::vector<Column> columns = describe(*session, s_.query);
    std::string problems;
    if (!s_.updated_column.empty() && !find_column(columns, s_.updated_column))
      problems = where() + "option 'updated_column' names \"" + s_.updated_column +
                 "\", which the query does not return (its columns: " + listed(columns) + ")";
    NullEmitter none;
    sdk::table::TableHarvest table(s_.table, none);
    table.begin_table(kTableName, session->locator(), "");
    try {
      table.header(names_of(columns), 0);
    } catch (const sdk::table::TableError& e) {
      problems += (problems.empty() ? "" : "; ") + std::string(e.what()) +
                  ": update the source's 'columns' option to the names the query returns";
    }
    table.finish(false);
    commit(*session);
    return problems;
  } catch (const PgError& e) {
    return explain(e);
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace sseccoe::sql
