// One libpq connection for one pass: connected with the DSN (never on a
// command line), client_encoding forced to UTF8 (raw bytes from a SQL_ASCII
// database, which row_reader checks row by row), every error message
// scrubbed of the password and classified so that the source can say what
// to do.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dsn.hpp"

// libpq's types, without its header in every file.
struct pg_conn;
struct pg_result;

namespace sseccoe::sql {

// What kind of failure, for the advice attached to it.
enum class PgFailure {
  Unreachable,     // no server at the address, refused, timed out: retried next pass
  Authentication,  // wrong user or password, no pg_hba.conf entry
  Database,        // the database does not exist, too many connections
  Query,           // the query or a column it names is wrong (42xxx)
  ReadOnly,        // the query tried to write (25006)
  Timeout,         // statement_timeout cancelled it (57014)
  Encoding,        // the server cannot convert its text to UTF-8 (22021, 22P05)
  Transient,       // the server went away mid-pass, shut down, serialization: retried next pass
  Other,
};

struct PgError : std::runtime_error {
  PgError(const std::string& message, PgFailure failure, std::string sqlstate)
      : std::runtime_error(message), failure(failure), sqlstate(std::move(sqlstate)) {}
  PgFailure failure;
  std::string sqlstate;  // empty when libpq itself failed (no server answer)
};

// The failure kind for a SQLSTATE (and, without one, a libpq message).
PgFailure classify(std::string_view sqlstate, std::string_view message);

// A query result; rows are read by index. Moves only.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(pg_result* r) : r_(r) {}
  int rows() const;
  int columns() const;
  std::string column_name(int c) const;
  unsigned column_type(int c) const;
  bool is_null(int row, int c) const;
  std::string_view value(int row, int c) const;

 private:
  struct Clear {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Clear> r_;
};

class PgSession {
 public:
  struct Params {
    std::chrono::seconds connect_timeout{10};
    std::string application_name = "sseccoe-agent";
  };

  // Connects; throws PgError (message scrubbed, one line, prefixed with
  // "cannot connect to PostgreSQL: ").
  PgSession(const Dsn& dsn, const Params& params);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  // Runs one statement; `what` names it in an error ("the query", "FETCH").
  // Parameters are sent separately from the text (never interpolated); a
  // nullopt parameter is SQL NULL. Throws PgError.
  PgResult exec(const std::string& sql, std::string_view what,
                const std::vector<std::optional<std::string>>& params = {});

  // Where the rows come from, for the records' locator:
  // postgresql://user@host:port/dbname (never the password).
  std::string locator() const;

  // Server notices (RAISE NOTICE in a view's function, ...), scrubbed.
  // Without a handler they are dropped, never printed on stderr.
  void on_notice(std::function<void(std::string_view)> handler);

  // Applies `text` with the password hidden: for messages built outside.
  std::string scrubbed(std::string_view text) const { return scrub(text, secrets_); }

 private:
  static void notice_trampoline(void* self, const pg_result* r);
  pg_conn* conn_ = nullptr;
  std::vector<std::string> secrets_;
  std::function<void(std::string_view)> notice_;
};

}  // namespace sseccoe::sql
