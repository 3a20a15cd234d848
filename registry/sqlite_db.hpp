// A thin RAII layer over the sqlite3 C API for the registry's SQLite back
// end: connections with the pragmas every session needs, prepared statements,
// explicit BEGIN IMMEDIATE transactions, and a small connection pool so that
// each HTTP worker thread uses its own connection.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::registry::sqlite {

// Any SQLite failure; `busy` is set when the database stayed locked for the
// whole busy_timeout (the caller answers 503 and the client retries).
struct Error : std::runtime_error {
  Error(const std::string& what, bool busy) : std::runtime_error(what), busy(busy) {}
  bool busy;
};

class Db;

class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, std::int64_t v);
  bool step();  // true: a row is available; false: done
  void run();   // step to completion, for statements without rows
  std::int64_t int64(int col) const;
  std::string text(int col) const;
  bool is_null(int col) const;

 private:
  Db& db_;
  sqlite3_stmt* st_ = nullptr;
};

class Db {
 public:
  // Opens (creating when asked) the database and sets WAL, synchronous=FULL
  // (a 201 must survive a power cut), busy_timeout and foreign_keys.
  Db(const std::string& path, int busy_timeout_ms);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  std::int64_t changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() { return db_; }
  [[noreturn]] void fail(int rc, std::string_view what);

 private:
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front: two writers never both read
// "absent" and then both insert (two concurrent PUTs of one new id).
class WriteTxn {
 public:
  explicit WriteTxn(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }
  ~WriteTxn();
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

// Connections are handed out one per caller and returned on release. At most
// `max_idle` are kept open between requests (one per HTTP worker thread is
// the natural size); a caller never waits for a connection.
class Pool {
 public:
  Pool(std::string path, int busy_timeout_ms, std::size_t max_idle);

  class Lease {
   public:
    Lease(Pool& p, std::unique_ptr<Db> db) : pool_(&p), db_(std::move(db)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease();
    Db& operator*() { return *db_; }
    Db* operator->() { return db_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Db> db_;
  };

  Lease acquire();

 private:
  std::string path_;
  int busy_timeout_ms_;
  std::size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Db>> idle_;
};

}  // namespace sseccoe::registry::sqlite
