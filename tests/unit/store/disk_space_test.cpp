// What counts as "the state directory is full", and the reserve kept free.
#include "store/disk_space.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cerrno>
#include <filesystem>
#include <future>
#include <system_error>

#include "store/sqlite.hpp"

namespace sseccoe::store {
namespace {

TEST(DiskSpace, ReadsTheFilesystemOfAnExistingDirectory) {
  auto s = disk_space(std::filesystem::temp_directory_path().string());
  ASSERT_TRUE(s.has_value());
  EXPECT_GT(s->total, 0u);
  EXPECT_LE(s->available, s->total);
}

TEST(DiskSpace, MissingDirectoryGivesNothingRatherThanZero) {
  // "cannot ask" must not read as "full": that would pause for nothing.
  EXPECT_FALSE(disk_space("/nonexistent/sseccoe/state").has_value());
  EXPECT_FALSE(disk_space("").has_value());
}

TEST(DiskSpace, ReserveIs64MiBOrAVigesimalOfASmallFilesystem) {
  EXPECT_EQ(disk_reserve({0, 1ULL << 40}), kDiskReserveMax);
  EXPECT_EQ(disk_reserve({0, 24ULL << 20}), (24ULL << 20) / 20);
  EXPECT_EQ(disk_reserve({0, 0}), 0u);
}

TEST(DiskSpace, AConfiguredReserveIsTakenAsWritten) {
  // [agent] min_free_space: larger than the default on a big disk...
  EXPECT_EQ(disk_reserve({0, 1ULL << 40}, 256ULL << 20), 256ULL << 20);
  // ...and not cut to 1/20 on a small one: the operator chose it.
  EXPECT_EQ(disk_reserve({0, 24ULL << 20}, 12ULL << 20), 12ULL << 20);
  EXPECT_EQ(disk_reserve({0, 24ULL << 20}, std::nullopt), (24ULL << 20) / 20);
}

TEST(DiskSpace, EnospcAndQuotaAreDiskFull) {
  EXPECT_TRUE(is_disk_full(std::system_error(ENOSPC, std::generic_category(), "write blobs/tmp/x")));
  EXPECT_TRUE(is_disk_full(std::system_error(EDQUOT, std::generic_category(), "write blobs/tmp/x")));
  EXPECT_TRUE(is_disk_full(std::system_error(ENOSPC, std::system_category(), "write")));
  EXPECT_TRUE(is_disk_full(DiskFull("0.5 MiB free")));
}

TEST(DiskSpace, OtherFailuresAreNot) {
  EXPECT_FALSE(is_disk_full(std::system_error(EACCES, std::generic_category(), "create blobs/tmp/x")));
  EXPECT_FALSE(is_disk_full(std::system_error(EIO, std::generic_category(), "write")));
  EXPECT_FALSE(is_disk_full(std::runtime_error("No space left on device")));  // only typed errors count
  EXPECT_FALSE(is_disk_full(std::system_error(std::make_error_code(std::future_errc::no_state))));
}

TEST(DiskSpace, SqliteFullIsDiskFullButOtherSqliteErrorsAreNot) {
  EXPECT_TRUE(is_disk_full(DbError("commit: database or disk is full", SQLITE_FULL)));
  EXPECT_FALSE(is_disk_full(DbError("commit: disk I/O error", SQLITE_IOERR_WRITE)));
  EXPECT_FALSE(is_disk_full(DbError("database is locked", SQLITE_BUSY)));
  EXPECT_FALSE(is_disk_full(DbError("corrupt", SQLITE_CORRUPT)));
}

}  // namespace
}  // namespace sseccoe::store
