// A thin RAII layer over the SQLite C API. The raw API rather than
// Poco::Data because the store needs exact control: BEGIN IMMEDIATE for its
// single writer (Poco 1.11 issues BEGIN DEFERRED), pragmas on every
// connection, and no hidden copies of rows.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sseccoe::store {

struct DbError : std::runtime_error {
  DbError(const std::string& what, int code) : std::runtime_error(what), code(code) {}
  int code;
};

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }
  Stmt(const Stmt&) = delete;

  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind_null(int i);
  Stmt& bind_opt(int i, const std::optional<std::string>& v) { return v ? bind(i, *v) : bind_null(i); }

  bool step();  // true: a row is available
  void run() { while (step()) {} }
  void reset();

  std::string text(int col) const;
  std::int64_t integer(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
};

class Db {
 public:
  explicit Db(const std::string& path);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  Stmt prepare(std::string_view sql) { return Stmt(db_, sql); }
  std::int64_t changes() const;
  sqlite3* raw() { return db_; }

  // A batch is one outer transaction that many Transactions join as
  // savepoints (see Store::begin_batch): their work becomes durable together,
  // at the batch's commit.
  void begin_batch();
  void commit_batch();
  bool in_batch() const { return in_batch_; }

 private:
  sqlite3* db_ = nullptr;
  bool in_batch_ = false;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when destroyed without commit().
// Inside a batch it is a savepoint of the batch's transaction: its own
// failure undoes only its own work.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool nested_ = false;
  bool done_ = false;
};

}  // namespace sseccoe::store
