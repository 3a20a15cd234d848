#include "store/sqlite.hpp"

#include <sqlite3.h>

namespace sseccoe::store {

namespace {
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
  throw DbError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)), rc);
}
}  // namespace

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db), st_(nullptr) {
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &st_, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, "prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Stmt::~Stmt() { sqlite3_finalize(st_); }

Stmt& Stmt::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}
Stmt& Stmt::bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(st_, i, v);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  int rc = sqlite3_bind_null(st_, i);
  if (rc != SQLITE_OK) fail(db_, rc, "bind");
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  fail(db_, rc, "step");
}

void Stmt::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

std::string Stmt::text(int col) const {
  auto* p = sqlite3_column_text(st_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, col)))
           : std::string();
}
std::int64_t Stmt::integer(int col) const { return sqlite3_column_int64(st_, col); }
bool Stmt::is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }

Db::Db(const std::string& path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw DbError("cannot open " + path + ": " + msg, rc);
  }
  sqlite3_extended_result_codes(db_, 1);
  // On every connection (field-notes.md): WAL for one writer and many
  // readers, FULL sync so a commit survives power loss, a busy timeout so
  // the CLI can read while the daemon writes, and foreign keys.
  // The first statement is the first read of the file: a file that is not a
  // database fails here, and a constructor that throws runs no destructor.
  try {
    // The busy timeout first: even "journal_mode=WAL" on a database that is
    // already in WAL takes a lock, and without a handler a CLI command that
    // opens the store while the daemon commits fails with "database is locked".
    exec("PRAGMA busy_timeout=10000");
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

Db::~Db() { sqlite3_close(db_); }

void Db::exec(std::string_view sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw DbError(msg, rc);
  }
}

std::int64_t Db::changes() const { return sqlite3_changes64(db_); }

void Db::begin_batch() {
  if (in_batch_) return;
  exec("BEGIN IMMEDIATE");
  in_batch_ = true;
}

void Db::commit_batch() {
  if (!in_batch_) return;
  // Whether COMMIT works or not (a full disk), the transaction is over: a
  // failed COMMIT in WAL mode rolls back, and the batch's items are offered
  // again by their source, whose cursor was in the same transaction.
  in_batch_ = false;
  try {
    exec("COMMIT");
  } catch (...) {
    if (!sqlite3_get_autocommit(db_)) {
      try {
        exec("ROLLBACK");
      } catch (...) {
      }
    }
    throw;
  }
}

Transaction::Transaction(Db& db) : db_(db), nested_(db.in_batch()) {
  db_.exec(nested_ ? "SAVEPOINT tx" : "BEGIN IMMEDIATE");
}
Transaction::~Transaction() {
  if (!done_) {
    try {
      db_.exec(nested_ ? "ROLLBACK TO tx; RELEASE tx" : "ROLLBACK");
    } catch (...) {
    }
  }
}
void Transaction::commit() {
  db_.exec(nested_ ? "RELEASE tx" : "COMMIT");
  done_ = true;
}

}  // namespace sseccoe::store
