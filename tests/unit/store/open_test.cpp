// Opening the store: what a fresh state dir gets, and how a database this
// agent must not touch (newer schema, damaged file, not a database at all)
// is refused with a message that names the file and says what to do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/schema.hpp"
#include "support.hpp"

namespace sseccoe::store {
namespace {

using testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;

std::string open_error(const std::string& state) {
  try {
    Store s(state);
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

TEST(StoreOpen, CreatesDatabaseAndBlobDirectory) {
  TempDir t;
  Store s(t.state());
  EXPECT_TRUE(std::filesystem::is_regular_file(t.state() + "/agent.db"));
  EXPECT_TRUE(std::filesystem::is_directory(t.state() + "/blobs"));
  EXPECT_TRUE(std::filesystem::is_directory(t.state() + "/blobs/tmp"));
  EXPECT_EQ(testing::query(t.state(), "SELECT value FROM meta WHERE key='schema_version'"),
            std::to_string(kSchemaVersion));
  EXPECT_EQ(kSchemaVersion, 4);
  EXPECT_EQ(testing::query(t.state(), "PRAGMA journal_mode"), "wal");
}

TEST(StoreOpen, ReopeningKeepsEverythingAndDoesNotMigrateAgain) {
  TempDir t;
  auto h = testing::harvested("a.pdf");
  {
    Store s(t.state());
    s.commit_harvest(h, std::string("cursor-1"));
  }
  Store s(t.state());
  EXPECT_EQ(s.cursor(testing::kSource), "cursor-1");
  ASSERT_TRUE(s.record(h.record.id));
  EXPECT_EQ(s.counts().outbox, 1);
  EXPECT_EQ(testing::count(t.state(), "SELECT count(*) FROM meta WHERE key='schema_version'"), 1);
}

TEST(StoreOpen, RefusesADatabaseWithANewerSchema) {
  TempDir t;
  { Store s(t.state()); }
  {
    Db db(t.state() + "/agent.db");
    db.exec("UPDATE meta SET value='5' WHERE key='schema_version'");
  }
  const std::string err = open_error(t.state());
  EXPECT_THAT(err, AllOf(HasSubstr(t.state() + "/agent.db"), HasSubstr("newer"), HasSubstr("schema version 5"),
                         HasSubstr("run the newer sseccoe-agent"), HasSubstr("backup")));
  // Refusing must not have touched the file: the newer agent can still use it.
  EXPECT_EQ(testing::query(t.state(), "SELECT value FROM meta WHERE key='schema_version'"), "5");
}

TEST(StoreOpen, AVersionOneStoreGainsThePeopleRegisterAndKeepsItsRecords) {
  TempDir t;
  auto h = testing::harvested("a.pdf");
  {
    Store s(t.state());
    s.commit_harvest(h, std::string("cursor-1"));
  }
  {
    // What an agent of schema version 1 left behind.
    Db db(t.state() + "/agent.db");
    db.exec("DROP TABLE aliases; DROP TABLE record_files; DROP INDEX items_record; "
            "ALTER TABLE items DROP COLUMN snapshot; DROP TABLE person_records; "
            "DROP TABLE people; UPDATE meta SET value='1' WHERE key='schema_version'");
  }
  Store s(t.state());
  EXPECT_EQ(testing::query(t.state(), "SELECT value FROM meta WHERE key='schema_version'"), "4");
  EXPECT_EQ(testing::count(t.state(), "SELECT count(*) FROM people"), 0);
  ASSERT_TRUE(s.record(h.record.id));
  EXPECT_EQ(s.cursor(testing::kSource), "cursor-1");
}

TEST(StoreOpen, AVersionTwoStoreGainsItemSnapshotsAndKeepsItsItems) {
  TempDir t;
  auto h = testing::harvested("a.pdf", "unclassified");
  h.snapshot = "{}";
  {
    Store s(t.state());
    s.commit_harvest(h, std::string("cursor-1"));
  }
  {
    Db db(t.state() + "/agent.db");
    db.exec("DROP TABLE aliases; DROP TABLE record_files; DROP INDEX items_record; "
            "ALTER TABLE items DROP COLUMN snapshot; UPDATE meta SET value='2' WHERE key='schema_version'");
  }
  Store s(t.state());
  EXPECT_EQ(testing::query(t.state(), "SELECT value FROM meta WHERE key='schema_version'"), "4");
  const auto items = s.items_of_record(h.record.id);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].snapshot, "") << "items harvested before keep no snapshot; reclassify asks their source";
  EXPECT_EQ(items[0].natural_key, h.natural_key);
  EXPECT_EQ(s.cursor(testing::kSource), "cursor-1");
}

TEST(StoreOpen, AVersionThreeStoreLearnsWhichFilesItsRecordsCite) {
  TempDir t;
  auto h = testing::harvested("a.pdf");
  h.record.files = {{std::string(64, 'a'), "a.pdf", "application/pdf", 3}};
  {
    Store s(t.state());
    s.commit_harvest(h, std::nullopt);
  }
  {
    Db db(t.state() + "/agent.db");
    db.exec("DROP TABLE aliases; DROP TABLE record_files; UPDATE meta SET value='3' WHERE key='schema_version'");
  }
  Store s(t.state());
  EXPECT_EQ(testing::query(t.state(), "SELECT value FROM meta WHERE key='schema_version'"), "4");
  ASSERT_FALSE(h.record.files.empty());
  EXPECT_EQ(s.record_citing(h.record.activity, {h.record.files[0].sha256}, "ev-other"), h.record.id)
      << "the backfill lets the next sighting of the same content be an alias";
  EXPECT_TRUE(s.aliases_of(h.record.id).empty());
}

TEST(StoreOpen, RefusesADamagedDatabaseNamingTheFile) {
  TempDir t;
  {
    Store s(t.state());
    // Enough rows for the database to span many pages, so that the middle of
    // the file is table data that quick_check walks.
    for (int i = 0; i < 300; ++i)
      s.commit_harvest(testing::harvested("dir/file-" + std::to_string(i) + ".pdf", "pending",
                                          std::string(600, static_cast<char>('a' + i % 26))),
                       std::nullopt);
  }
  const std::string db = t.state() + "/agent.db";
  ASSERT_FALSE(std::filesystem::exists(db + "-wal")) << "closing should have checkpointed the WAL";
  const auto size = std::filesystem::file_size(db);
  ASSERT_GT(size, 64u * 4096u);
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    std::string garbage;
    for (int i = 0; i < 3 * 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) & 0xFF);
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  const std::string err = open_error(t.state());
  EXPECT_THAT(err, AllOf(HasSubstr(db), HasSubstr("backup")));
}

TEST(StoreOpen, RefusesAFileThatIsNotADatabase) {
  TempDir t;
  std::filesystem::create_directories(t.state());
  std::ofstream(t.state() + "/agent.db", std::ios::binary) << std::string(8192, 'x');
  const std::string err = open_error(t.state());
  EXPECT_THAT(err, AllOf(HasSubstr(t.state() + "/agent.db"), HasSubstr("backup")));
}

std::size_t open_descriptors() {
  std::size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    (void)e;
    ++n;
  }
  return n;
}

TEST(StoreOpen, ARefusedDatabaseIsClosed) {
  // A daemon that is told to retry must not pile up handles on a bad file.
  TempDir t;
  std::filesystem::create_directories(t.state());
  std::ofstream(t.state() + "/agent.db", std::ios::binary) << std::string(8192, 'x');
  open_error(t.state());
  const auto before = open_descriptors();
  for (int i = 0; i < 5; ++i) open_error(t.state());
  EXPECT_EQ(open_descriptors(), before);
}

TEST(StoreOpen, ReportsAStateDirThatCannotBeCreated) {
  TempDir t;
  std::ofstream(t.path() + "/plain-file") << "x";
  // The state dir would have to live under a regular file.
  const std::string err = open_error(t.path() + "/plain-file/state");
  EXPECT_THAT(err, HasSubstr(t.path() + "/plain-file"));
}

}  // namespace
}  // namespace sseccoe::store
