// The SQLite storage: idempotent puts, revisions, folio sequences per
// institution and year, keyset listing, schema versions.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <thread>
#include <vector>

#include "sqlite_storage.hpp"
#include "temp_dir.hpp"

using namespace sseccoe::registry;

namespace {

RecordWrite write(const std::string& id, const std::string& fp, const std::string& inst = "INM", int year = 2021,
                  const std::string& activity = "1.1.1") {
  return RecordWrite{id, inst, "PAT-" + std::to_string(year), activity, year,
                     R"({"id":")" + id + R"(","fp":")" + fp + "\"}", fp, "2021-05-15T10:00:00Z"};
}

std::string id(int n) {
  std::string s = std::to_string(n);
  return "ev-" + std::string(32 - s.size(), '0') + s;
}

}  // namespace

TEST(SqliteStorage, CreatedUnchangedRevised) {
  TempDir d;
  SqliteStorage st(d.path() + "/registry.db", 1000, 2);
  auto a = st.put_record(write(id(1), "f1"));
  EXPECT_EQ(a.status, PutStatus::created);
  EXPECT_EQ(a.revision, 1);
  EXPECT_EQ(a.folio, "SSECCOE-INM-2021-000001");
  auto b = st.put_record(write(id(1), "f1"));
  EXPECT_EQ(b.status, PutStatus::unchanged);
  EXPECT_EQ(b.folio, a.folio);
  auto w = write(id(1), "f2");
  w.now = "2021-06-01T00:00:00Z";
  auto c = st.put_record(w);
  EXPECT_EQ(c.status, PutStatus::revised);
  EXPECT_EQ(c.revision, 2);
  EXPECT_EQ(c.folio, a.folio);
  EXPECT_EQ(c.registered_at, "2021-06-01T00:00:00Z");
  auto r = st.record(id(1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->revision, 2);
  EXPECT_EQ(r->first_registered_at, "2021-05-15T10:00:00Z");
  EXPECT_NE(r->body.find("f2"), std::string::npos);
  EXPECT_FALSE(st.record(id(2)));
}

TEST(SqliteStorage, FolioSequencePerInstitutionAndYear) {
  TempDir d;
  SqliteStorage st(d.path() + "/registry.db", 1000, 2);
  EXPECT_EQ(st.put_record(write(id(1), "x")).folio, "SSECCOE-INM-2021-000001");
  EXPECT_EQ(st.put_record(write(id(2), "x")).folio, "SSECCOE-INM-2021-000002");
  EXPECT_EQ(st.put_record(write(id(3), "x", "INM", 2022)).folio, "SSECCOE-INM-2022-000001");
  EXPECT_EQ(st.put_record(write(id(4), "x", "SAT")).folio, "SSECCOE-SAT-2021-000001");
  EXPECT_EQ(st.put_record(write(id(5), "x")).folio, "SSECCOE-INM-2021-000003");
  EXPECT_THROW(st.put_record(write(id(1), "y", "SAT")), ForeignRecord);
}

TEST(SqliteStorage, SurvivesReopening) {
  TempDir d;
  {
    SqliteStorage st(d.path() + "/registry.db", 1000, 2);
    st.put_record(write(id(1), "x"));
    st.add_file({std::string(64, 'a'), 5, "text/plain", "t"});
  }
  SqliteStorage st(d.path() + "/registry.db", 1000, 2);
  EXPECT_EQ(st.put_record(write(id(2), "x")).folio, "SSECCOE-INM-2021-000002");
  EXPECT_EQ(st.file(std::string(64, 'a'))->size, 5u);
  EXPECT_FALSE(st.add_file({std::string(64, 'a'), 5, "text/plain", "t"}));
}

TEST(SqliteStorage, ListsNewestFirstByKeyset) {
  TempDir d;
  SqliteStorage st(d.path() + "/registry.db", 1000, 2);
  for (int i = 1; i <= 5; ++i) st.put_record(write(id(i), "x", "INM", 2021, i % 2 ? "1.1.1" : "2.1.1"));
  st.put_record(write(id(9), "x", "SAT"));
  ListQuery q{"INM", "", "", std::nullopt, 2};
  std::vector<std::string> seen;
  int pages = 0;
  while (true) {
    auto page = st.list(q);
    ++pages;
    for (const auto& r : page.items) seen.push_back(r.id);
    if (!page.next) break;
    q.before = page.next;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{id(5), id(4), id(3), id(2), id(1)}));
  EXPECT_EQ(pages, 3);
  auto odd = st.list({"INM", "PAT-2021", "1.1.1", std::nullopt, 10});
  EXPECT_EQ(odd.items.size(), 3u);
  EXPECT_FALSE(odd.next);
  // A revision moves a record to the front.
  st.put_record(write(id(1), "changed"));
  EXPECT_EQ(st.list({"INM", "", "", std::nullopt, 1}).items.at(0).id, id(1));
  std::vector<std::string> all;
  st.each_current_record("INM", "PAT-2021", [&](const StoredRecord& r) { all.push_back(r.id); });
  EXPECT_EQ(all.size(), 5u);
  EXPECT_EQ(all.back(), id(1));
}

TEST(SqliteStorage, ConcurrentCreatesOfOneIdMakeOneRecord) {
  TempDir d;
  SqliteStorage st(d.path() + "/registry.db", 10000, 8);
  std::vector<PutResult> results(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&, i] { results[i] = st.put_record(write(id(1), "x")); });
  for (auto& t : threads) t.join();
  int created = 0;
  for (const auto& r : results) {
    created += r.status == PutStatus::created;
    EXPECT_EQ(r.folio, "SSECCOE-INM-2021-000001");
  }
  EXPECT_EQ(created, 1);
}

TEST(SqliteStorage, RefusesANewerSchema) {
  TempDir d;
  std::string path = d.path() + "/registry.db";
  { SqliteStorage st(path, 1000, 1); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  try {
    SqliteStorage st(path, 1000, 1);
    ADD_FAILURE() << "opened a database with a newer schema";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
}

TEST(SqliteStorage, ABusyDatabaseIsStorageBusy) {
  TempDir d;
  std::string path = d.path() + "/registry.db";
  SqliteStorage st(path, 100, 1);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_THROW(st.put_record(write(id(1), "x")), StorageBusy);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(st.put_record(write(id(1), "x")).status, PutStatus::created);
}

TEST(SqliteStorage, AnUnopenableDatabaseSaysWhere) {
  try {
    SqliteStorage st("/nonexistent-dir/registry.db", 100, 1);
    ADD_FAILURE();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/registry.db"), std::string::npos);
  }
}
