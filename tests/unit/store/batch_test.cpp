// Batches: many small harvest commits joined into one transaction. What is
// staged is invisible to other connections until committed, a crash loses
// only the staged items and their cursor (so the source offers them again),
// and one failing item inside a batch undoes only itself.
#include <gtest/gtest.h>

#include "store/store.hpp"
#include "support.hpp"

namespace sseccoe::store {
namespace {

using testing::count;
using testing::harvested;
using testing::kSource;
using testing::TempDir;

TEST(StoreBatch, StagedItemsBecomeVisibleAndDurableTogetherAtTheEnd) {
  TempDir dir;
  Store s(dir.state());
  s.begin_batch();
  s.commit_harvest(harvested("a.csv#1"), std::nullopt);
  s.commit_harvest(harvested("a.csv#2"), std::string("cursor-2"));
  // Another process (status, records list) sees nothing staged yet.
  EXPECT_EQ(count(dir.state(), "SELECT count(*) FROM records"), 0);
  s.end_batch();
  EXPECT_EQ(count(dir.state(), "SELECT count(*) FROM records"), 2);
  EXPECT_EQ(count(dir.state(), "SELECT count(*) FROM outbox"), 2);
  EXPECT_EQ(s.cursor(kSource), "cursor-2");
}

TEST(StoreBatch, ACrashInsideABatchLosesOnlyTheStagedItemsAndTheirCursor) {
  TempDir dir;
  {
    Store s(dir.state());
    s.commit_harvest(harvested("before"), std::string("cursor-0"));
    s.begin_batch();
    s.commit_harvest(harvested("staged"), std::string("cursor-1"));
    // The process dies here: the store is closed without end_batch.
  }
  Store s(dir.state());
  EXPECT_TRUE(s.record(harvested("before").record.id));
  EXPECT_FALSE(s.record(harvested("staged").record.id));
  EXPECT_EQ(s.cursor(kSource), "cursor-0");
  EXPECT_EQ(testing::query(dir.state(), "PRAGMA integrity_check"), "ok");
}

TEST(StoreBatch, ALongBatchIsCommittedEveryFewHundredItems) {
  TempDir dir;
  Store s(dir.state());
  s.begin_batch();
  for (int i = 0; i < Store::kBatchItems + 10; ++i) s.commit_harvest(harvested("row-" + std::to_string(i)), std::nullopt);
  // The first kBatchItems are committed without waiting for the end.
  EXPECT_GE(count(dir.state(), "SELECT count(*) FROM records"), Store::kBatchItems);
  s.end_batch();
  EXPECT_EQ(count(dir.state(), "SELECT count(*) FROM records"), Store::kBatchItems + 10);
}

TEST(StoreBatch, OtherWritesOnTheConnectionJoinTheBatchAndEndBatchTwiceIsHarmless) {
  TempDir dir;
  Store s(dir.state());
  s.begin_batch();
  s.begin_batch();  // nested begin: one batch
  s.commit_harvest(harvested("a"), std::nullopt);
  EXPECT_TRUE(s.quarantine_item(kSource, "broken-row", "line 3 has 2 fields", "file:///x#line=3"));
  s.end_batch();
  s.end_batch();
  EXPECT_EQ(count(dir.state(), "SELECT count(*) FROM quarantine"), 1);
  EXPECT_EQ(count(dir.state(), "SELECT count(*) FROM records"), 1);
}

}  // namespace
}  // namespace sseccoe::store
