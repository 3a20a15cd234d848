// Storage on one SQLite database (registry.db) in WAL mode: readers never
// block the writer, writers serialise on BEGIN IMMEDIATE with a busy timeout.
#pragma once

#include <string>

#include "sqlite_db.hpp"
#include "storage.hpp"

namespace sseccoe::registry {

class SqliteStorage final : public Storage {
 public:
  // Creates or migrates the schema; throws std::runtime_error when the
  // database was written by a newer registry (its schema is unknown here).
  SqliteStorage(const std::string& db_path, int busy_timeout_ms, std::size_t connections);

  std::optional<StoredFile> file(const std::string& sha256) override;
  bool add_file(const StoredFile& f) override;
  PutResult put_record(const RecordWrite& w) override;
  std::optional<StoredRecord> record(const std::string& id) override;
  ListPage list(const ListQuery& q) override;
  void each_current_record(const std::string& institution, const std::string& program,
                           const std::function<void(const StoredRecord&)>& fn) override;

  static constexpr int kSchemaVersion = 1;

 private:
  void migrate();
  sqlite::Pool pool_;
};

}  // namespace sseccoe::registry
