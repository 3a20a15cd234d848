#include "sqlite_storage.hpp"

#include <cstdio>
#include <optional>

namespace sseccoe::registry {

namespace {

// Version 1. `records` holds one row per id (its newest revision's summary
// and the folio); `revisions` every body ever accepted. `change_seq` orders
// the listing newest first: it grows on every creation and revision.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE files (
  sha256     TEXT PRIMARY KEY,
  size       INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  stored_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE records (
  id            TEXT PRIMARY KEY,
  institution   TEXT NOT NULL,
  program       TEXT NOT NULL,
  activity      TEXT NOT NULL,
  folio         TEXT NOT NULL UNIQUE,
  revision      INTEGER NOT NULL,
  fingerprint   TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  change_seq    INTEGER NOT NULL UNIQUE
);
CREATE INDEX records_by_institution ON records (institution, change_seq);
CREATE INDEX records_by_program ON records (institution, program, activity, change_seq);
CREATE TABLE revisions (
  id            TEXT NOT NULL REFERENCES records (id),
  revision      INTEGER NOT NULL,
  body          TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  PRIMARY KEY (id, revision)
) WITHOUT ROWID;
CREATE TABLE folio_sequences (
  institution TEXT NOT NULL,
  year        INTEGER NOT NULL,
  last        INTEGER NOT NULL,
  PRIMARY KEY (institution, year)
) WITHOUT ROWID;
)sql";

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const sqlite::Error& e) {
    if (e.busy) throw StorageBusy(e.what());
    throw;
  }
}

std::string make_folio(const std::string& institution, int year, std::int64_t n) {
  char num[32];
  std::snprintf(num, sizeof num, "%06lld", static_cast<long long>(n));
  return "SSECCOE-" + institution + "-" + std::to_string(year) + "-" + num;
}

StoredRecord row_to_record(sqlite::Stmt& s) {
  // Column order of every SELECT below.
  return StoredRecord{s.text(0), s.text(1), s.text(2), static_cast<int>(s.int64(3)), s.text(4), s.text(5), s.text(6)};
}

constexpr const char* kRecordColumns =
    "SELECT r.id, r.institution, r.folio, v.revision, v.registered_at, r.created_at, v.body";
constexpr const char* kRecordFrom = " FROM records r JOIN revisions v ON v.id = r.id AND v.revision = r.revision ";

// The next value of the listing order, read inside the write transaction.
std::int64_t next_change_seq(sqlite::Db& db) {
  sqlite::Stmt seq(db, "SELECT COALESCE(MAX(change_seq), 0) + 1 FROM records");
  seq.step();
  return seq.int64(0);
}

struct Current {
  std::string institution, folio, fingerprint, registered_at;
  int revision = 0;
};

std::optional<Current> current(sqlite::Db& db, const std::string& id) {
  sqlite::Stmt cur(db, "SELECT institution, folio, revision, fingerprint, registered_at FROM records WHERE id = ?");
  cur.bind(1, id);
  if (!cur.step()) return std::nullopt;
  return Current{cur.text(0), cur.text(1), cur.text(3), cur.text(4), static_cast<int>(cur.int64(2))};
}

std::string assign_folio(sqlite::Db& db, const std::string& institution, int year) {
  sqlite::Stmt next(db,
                    "INSERT INTO folio_sequences (institution, year, last) VALUES (?, ?, 1) "
                    "ON CONFLICT (institution, year) DO UPDATE SET last = last + 1 RETURNING last");
  next.bind(1, institution).bind(2, std::int64_t{year});
  next.step();
  std::string folio = make_folio(institution, year, next.int64(0));
  next.run();
  return folio;
}

}  // namespace

SqliteStorage::SqliteStorage(const std::string& db_path, int busy_timeout_ms, std::size_t connections)
    : pool_(db_path, busy_timeout_ms, connections) {
  guarded([&] { migrate(); });
}

void SqliteStorage::migrate() {
  auto db = pool_.acquire();
  sqlite::WriteTxn txn(*db);
  std::int64_t version = 0;
  {
    sqlite::Stmt v(*db, "PRAGMA user_version");
    v.step();
    version = v.int64(0);
  }
  if (version > kSchemaVersion)
    throw std::runtime_error("the database has schema version " + std::to_string(version) +
                             ", newer than this registry knows (" + std::to_string(kSchemaVersion) +
                             "): run a newer sseccoe-registry");
  if (version < 1) {
    db->exec(kSchemaV1);
    db->exec("PRAGMA user_version = 1");
  }
  txn.commit();
}

std::optional<StoredFile> SqliteStorage::file(const std::string& sha256) {
  return guarded([&]() -> std::optional<StoredFile> {
    auto db = pool_.acquire();
    sqlite::Stmt s(*db, "SELECT sha256, size, media_type, stored_at FROM files WHERE sha256 = ?");
    s.bind(1, sha256);
    if (!s.step()) return std::nullopt;
    return StoredFile{s.text(0), static_cast<std::uint64_t>(s.int64(1)), s.text(2), s.text(3)};
  });
}

bool SqliteStorage::add_file(const StoredFile& f) {
  return guarded([&] {
    auto db = pool_.acquire();
    sqlite::Stmt s(*db, "INSERT OR IGNORE INTO files (sha256, size, media_type, stored_at) VALUES (?, ?, ?, ?)");
    s.bind(1, f.sha256).bind(2, static_cast<std::int64_t>(f.size)).bind(3, f.media_type).bind(4, f.stored_at);
    s.run();
    return db->changes() == 1;
  });
}

PutResult SqliteStorage::put_record(const RecordWrite& w) {
  return guarded([&] {
    auto db = pool_.acquire();
    sqlite::WriteTxn txn(*db);
    PutResult out;
    if (auto cur = current(*db, w.id)) {
      if (cur->institution != w.institution) throw ForeignRecord("record " + w.id + " belongs to another institution");
      out.folio = cur->folio;
      out.revision = cur->revision;
      if (cur->fingerprint == w.fingerprint) {
        out.status = PutStatus::unchanged;
        out.registered_at = cur->registered_at;
        return out;  // the guard rolls back the transaction, which wrote nothing
      }
      out.status = PutStatus::revised;
      out.revision += 1;
      sqlite::Stmt up(*db,
                      "UPDATE records SET program = ?, activity = ?, revision = ?, fingerprint = ?, "
                      "registered_at = ?, change_seq = ? WHERE id = ?");
      up.bind(1, w.program).bind(2, w.activity).bind(3, std::int64_t{out.revision}).bind(4, w.fingerprint);
      up.bind(5, w.now).bind(6, next_change_seq(*db)).bind(7, w.id);
      up.run();
    } else {
      out.status = PutStatus::created;
      out.revision = 1;
      out.folio = assign_folio(*db, w.institution, w.folio_year);
      sqlite::Stmt ins(*db,
                       "INSERT INTO records (id, institution, program, activity, folio, revision, fingerprint, "
                       "created_at, registered_at, change_seq) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)");
      ins.bind(1, w.id).bind(2, w.institution).bind(3, w.program).bind(4, w.activity).bind(5, out.folio);
      ins.bind(6, w.fingerprint).bind(7, w.now).bind(8, w.now).bind(9, next_change_seq(*db));
      ins.run();
    }
    {
      sqlite::Stmt rev(*db,
                       "INSERT INTO revisions (id, revision, body, fingerprint, registered_at) VALUES (?, ?, ?, ?, ?)");
      rev.bind(1, w.id).bind(2, std::int64_t{out.revision}).bind(3, w.body).bind(4, w.fingerprint).bind(5, w.now);
      rev.run();
    }
    txn.commit();
    out.registered_at = w.now;
    return out;
  });
}

std::optional<StoredRecord> SqliteStorage::record(const std::string& id) {
  return guarded([&]() -> std::optional<StoredRecord> {
    auto db = pool_.acquire();
    sqlite::Stmt s(*db, std::string(kRecordColumns) + kRecordFrom + "WHERE r.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return row_to_record(s);
  });
}

ListPage SqliteStorage::list(const ListQuery& q) {
  return guarded([&] {
    auto db = pool_.acquire();
    std::string sql = std::string(kRecordColumns) + ", r.change_seq" + kRecordFrom + "WHERE r.institution = ?1";
    if (!q.program.empty()) sql += " AND r.program = ?2";
    if (!q.activity.empty()) sql += " AND r.activity = ?3";
    if (q.before) sql += " AND r.change_seq < ?4";
    sql += " ORDER BY r.change_seq DESC LIMIT ?5";
    sqlite::Stmt s(*db, sql);
    s.bind(1, q.institution);
    if (!q.program.empty()) s.bind(2, q.program);
    if (!q.activity.empty()) s.bind(3, q.activity);
    if (q.before) s.bind(4, *q.before);
    s.bind(5, std::int64_t{q.limit} + 1);  // one more tells whether a next page exists
    ListPage page;
    std::int64_t last_seq = 0;
    while (s.step()) {
      if (static_cast<int>(page.items.size()) == q.limit) {
        page.next = last_seq;
        break;
      }
      page.items.push_back(row_to_record(s));
      last_seq = s.int64(7);
    }
    return page;
  });
}

void SqliteStorage::each_current_record(const std::string& institution, const std::string& program,
                                        const std::function<void(const StoredRecord&)>& fn) {
  guarded([&] {
    auto db = pool_.acquire();
    sqlite::Stmt s(*db, std::string(kRecordColumns) + kRecordFrom +
                            "WHERE r.institution = ? AND r.program = ? ORDER BY r.change_seq");
    s.bind(1, institution).bind(2, program);
    while (s.step()) fn(row_to_record(s));
  });
}

}  // namespace sseccoe::registry
