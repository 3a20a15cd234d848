#include <gtest/gtest.h>

#include "errors.hpp"
#include "uid_ranges.hpp"

namespace sseccoe::imap {
namespace {

TEST(UidRanges, AscendingUidsCollapseIntoRanges) {
  UidRanges r;
  for (std::uint32_t u = 1; u <= 100000; ++u) r.add(u);
  r.add(100002);
  EXPECT_EQ(r.ranges().size(), 2u);
  EXPECT_EQ(r.count(), 100001u);
  EXPECT_EQ(r.to_string(), "1:100000,100002");
}

TEST(UidRanges, OutOfOrderAndOverlappingMerge) {
  UidRanges r;
  r.add(10);
  r.add(5);
  r.add_range(7, 9);
  r.add(6);
  r.add_range(20, 15);
  r.add(4294967295u);
  EXPECT_EQ(r.to_string(), "5:10,15:20,4294967295");
  EXPECT_TRUE(r.contains(8));
  EXPECT_FALSE(r.contains(11));
  EXPECT_TRUE(r.contains(4294967295u));
}

TEST(UidRanges, TakeFrontSplitsRanges) {
  UidRanges r = UidRanges::parse("1:5,8,10:12");
  UidRanges a = r.take_front(3);
  EXPECT_EQ(a.to_string(), "1:3");
  UidRanges b = r.take_front(4);
  EXPECT_EQ(b.to_string(), "4:5,8,10");
  EXPECT_EQ(r.to_string(), "11:12");
  EXPECT_EQ(r.take_front(100).to_string(), "11:12");
  EXPECT_TRUE(r.empty());
}

TEST(UidRanges, DropThrough) {
  UidRanges r = UidRanges::parse("1:5,8,10:12");
  r.drop_through(4);
  EXPECT_EQ(r.to_string(), "5,8,10:12");
  r.drop_through(10);
  EXPECT_EQ(r.to_string(), "11:12");
  r.drop_through(99);
  EXPECT_TRUE(r.empty());
}

TEST(UidRanges, ParseRefusesWhatAServerNeverSends) {
  for (const char* bad : {"", "1:*", "0", "1,,2", "1,", "a", "1:2:3", "-1", "4294967296", "1 2"})
    EXPECT_THROW(UidRanges::parse(bad), ProtocolError) << bad;
  EXPECT_EQ(UidRanges::parse("9:3").to_string(), "3:9");
}

}  // namespace
}  // namespace sseccoe::imap
