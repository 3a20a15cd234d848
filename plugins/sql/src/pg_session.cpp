#include "pg_session.hpp"

#include <libpq-fe.h>

#include <array>
#include <cstdio>

namespace sseccoe::sql {

namespace {

std::string_view or_empty(const char* s) { return s != nullptr ? std::string_view(s) : std::string_view(); }

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// RFC 3986 unreserved characters stay, everything else is %XX.
std::string percent_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

PgFailure classify(std::string_view sqlstate, std::string_view message) {
  if (sqlstate.empty()) {
    // libpq reports a refused login as text only (no SQLSTATE before the
    // session exists); the server's wording is stable across versions.
    if (contains(message, "password authentication failed") || contains(message, "no password supplied") ||
        contains(message, "pg_hba.conf") || (contains(message, "role \"") && contains(message, "does not exist")) ||
        contains(message, "authentication failed") || contains(message, "SCRAM"))
      return PgFailure::Authentication;
    if (contains(message, "database \"") && contains(message, "does not exist")) return PgFailure::Database;
    return PgFailure::Unreachable;
  }
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "28") return PgFailure::Authentication;
  if (sqlstate == "3D000") return PgFailure::Database;
  if (sqlstate == "57014") return PgFailure::Timeout;
  if (sqlstate == "25006") return PgFailure::ReadOnly;
  if (sqlstate == "22021" || sqlstate == "22P05") return PgFailure::Encoding;
  if (cls == "08" || cls == "53" || cls == "57" || cls == "40" || sqlstate == "55P03" || sqlstate == "55006")
    return PgFailure::Transient;
  if (cls == "42" || cls == "22" || cls == "0A" || cls == "21" || cls == "2F" || cls == "38" || cls == "39" ||
      cls == "P0" || cls == "34" || cls == "26")
    return PgFailure::Query;
  return PgFailure::Other;
}

// ---- PgResult ------------------------------------------------------------------

void PgResult::Clear::operator()(pg_result* r) const { PQclear(r); }

int PgResult::rows() const { return r_ ? PQntuples(r_.get()) : 0; }
int PgResult::columns() const { return r_ ? PQnfields(r_.get()) : 0; }
std::string PgResult::column_name(int c) const { return std::string(or_empty(PQfname(r_.get(), c))); }
unsigned PgResult::column_type(int c) const { return PQftype(r_.get(), c); }
bool PgResult::is_null(int row, int c) const { return PQgetisnull(r_.get(), row, c) != 0; }
std::string_view PgResult::value(int row, int c) const {
  return {PQgetvalue(r_.get(), row, c), static_cast<std::size_t>(PQgetlength(r_.get(), row, c))};
}

// ---- PgSession -----------------------------------------------------------------

PgSession::PgSession(const Dsn& dsn, const Params& params) : secrets_(dsn.secrets) {
  const std::string timeout = std::to_string(params.connect_timeout.count());
  // Processed in order, a later keyword overriding an earlier one. The DSN
  // ("dbname", expanded because expand_dbname is 1) may override what comes
  // before it: the application name, and TCP keepalives that notice a server
  // gone silent (a cut network, not a refused connection) within about a
  // minute instead of the kernel's two hours. It may not override what comes
  // after it, which the plugin owns: the encoding and the connection
  // time-out. Nothing here is ever on a command line: libpq gets it in memory.
  const std::array<const char*, 10> keywords = {"fallback_application_name", "keepalives", "keepalives_idle",
                                                "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                                                "dbname", "client_encoding", "connect_timeout", nullptr};
  const std::array<const char*, 10> values = {params.application_name.c_str(), "1", "30", "10", "3", "60000",
                                              dsn.text.view().c_str(), "UTF8", timeout.c_str(), nullptr};
  conn_ = PQconnectdbParams(keywords.data(), values.data(), 1);
  if (conn_ == nullptr) throw PgError("cannot connect to PostgreSQL: out of memory", PgFailure::Other, "");
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = one_line(scrub(or_empty(PQerrorMessage(conn_)), secrets_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("cannot connect to PostgreSQL: " + message, classify("", message), "");
  }
  PQsetNoticeReceiver(conn_, &PgSession::notice_trampoline, this);
  // The DSN's options='-c client_encoding=...' would win over the keyword
  // above; SET wins over both. With UTF8 the server converts every text
  // value from the database's encoding, or fails the statement (22P05) if
  // it cannot. A SQL_ASCII database stores bytes unchecked and the server
  // would fail a whole FETCH on the first byte that is not UTF-8 (22021):
  // there the bytes are taken as they are, and each row is checked here, so
  // that one mis-encoded row is quarantined alone.
  const bool raw_bytes = or_empty(PQparameterStatus(conn_, "server_encoding")) == "SQL_ASCII";
  const char* wanted = raw_bytes ? "SQL_ASCII" : "UTF8";
  if (PQsetClientEncoding(conn_, wanted) != 0 || or_empty(PQparameterStatus(conn_, "client_encoding")) != wanted) {
    const std::string message = one_line(scrub(or_empty(PQerrorMessage(conn_)), secrets_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("cannot set client_encoding to " + std::string(wanted) + ": " + message, PgFailure::Encoding, "");
  }
}

PgSession::~PgSession() {
  // Closing the connection ends an open transaction with a rollback.
  if (conn_ != nullptr) PQfinish(conn_);
}

PgResult PgSession::exec(const std::string& sql, std::string_view what,
                         const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  // PQexecParams even without parameters: the extended protocol runs exactly
  // one statement, so a query cannot smuggle in a second one after a ';'.
  pg_result* raw = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                values.empty() ? nullptr : values.data(), nullptr, nullptr, 0);
  PgResult result(raw);
  const ExecStatusType status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;

  // A server error has its fields; a lost connection only libpq's text.
  const std::string_view sqlstate = raw != nullptr ? or_empty(PQresultErrorField(raw, PG_DIAG_SQLSTATE)) : "";
  std::string message;
  if (const auto primary = raw != nullptr ? or_empty(PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY)) : "";
      !primary.empty()) {
    message = std::string(primary);
    // The hint is where PostgreSQL names the column the query probably
    // meant ("Perhaps you meant to reference the column ...").
    if (const auto hint = or_empty(PQresultErrorField(raw, PG_DIAG_MESSAGE_HINT)); !hint.empty())
      message += " (hint: " + std::string(hint) + ")";
  } else {
    message = std::string(raw != nullptr ? or_empty(PQresultErrorMessage(raw)) : "");
    if (message.empty()) message = std::string(or_empty(PQerrorMessage(conn_)));
    if (message.empty()) message = "no answer from the server";
  }
  if (!sqlstate.empty()) message += " [SQLSTATE " + std::string(sqlstate) + "]";
  message = one_line(scrub(message, secrets_));
  // Without a SQLSTATE the server did not answer: the connection broke.
  const PgFailure failure = sqlstate.empty() ? PgFailure::Transient : classify(sqlstate, message);
  throw PgError(std::string(what) + " failed: " + message, failure, std::string(sqlstate));
}

std::string PgSession::locator() const {
  const std::string_view host = or_empty(PQhost(conn_));
  std::string out = "postgresql://" + percent_encode(or_empty(PQuser(conn_))) + "@" + percent_encode(host);
  if (const auto port = or_empty(PQport(conn_)); !port.empty()) out += ":" + std::string(port);
  out += "/" + percent_encode(or_empty(PQdb(conn_)));
  return out;
}

void PgSession::on_notice(std::function<void(std::string_view)> handler) { notice_ = std::move(handler); }

void PgSession::notice_trampoline(void* self, const pg_result* r) {
  auto* s = static_cast<PgSession*>(self);
  if (!s->notice_) return;
  const std::string text = one_line(s->scrubbed(or_empty(PQresultErrorMessage(r))));
  s->notice_(text);
}

}  // namespace sseccoe::sql
