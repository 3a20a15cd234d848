#include <gtest/gtest.h>

#include "cell_ref.hpp"

namespace sseccoe::xlsx {
namespace {

TEST(CellRef, ParsesColumnsAndRows) {
  auto r = parse_cell_ref("B12");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->column, 1u);
  EXPECT_EQ(r->row, 12u);
  r = parse_cell_ref("XFD1048576");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->column, kMaxColumns - 1);
  EXPECT_EQ(r->row, 1048576u);
  r = parse_cell_ref("aa3");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->column, 26u);
  r = parse_cell_ref("C");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->row, 0u);
}

TEST(CellRef, RefusesWhatIsNoReference) {
  for (const char* bad : {"", "12", "XFE1", "AAAAAAAAAAAA1", "A0", "A-1", "A1B", "$A$1", "A 1", "A99999999999"})
    EXPECT_FALSE(parse_cell_ref(bad)) << bad;
  EXPECT_FALSE(parse_row_number("0"));
  EXPECT_FALSE(parse_row_number("x"));
  EXPECT_EQ(parse_row_number("7"), 7u);
}

TEST(CellRef, Names) {
  EXPECT_EQ(column_name(0), "A");
  EXPECT_EQ(column_name(25), "Z");
  EXPECT_EQ(column_name(26), "AA");
  EXPECT_EQ(column_name(kMaxColumns - 1), "XFD");
  EXPECT_EQ(cell_name(1, 12), "B12");
  for (std::uint32_t c : {0u, 25u, 26u, 701u, 702u, 16383u}) EXPECT_EQ(parse_cell_ref(column_name(c))->column, c);
}

}  // namespace
}  // namespace sseccoe::xlsx
