#include <gtest/gtest.h>

#include <string>

#include "cell_text.hpp"

namespace sseccoe::sql {
namespace {

TEST(CellText, BooleansAreWords) {
  EXPECT_EQ(cell_text(pg_type::kBool, "t"), "true");
  EXPECT_EQ(cell_text(pg_type::kBool, "f"), "false");
  // Anything else the server never prints for a boolean stays as is.
  EXPECT_EQ(cell_text(pg_type::kBool, "yes"), "yes");
}

TEST(CellText, DatesAndTimestampsBecomeIsoDates) {
  EXPECT_EQ(cell_text(pg_type::kDate, "2021-05-14"), "2021-05-14");
  EXPECT_EQ(cell_text(pg_type::kTimestamp, "2021-05-14 23:59:59.123456"), "2021-05-14");
  EXPECT_EQ(cell_text(pg_type::kTimestampTz, "2021-05-14 10:00:00-06"), "2021-05-14");
  EXPECT_EQ(cell_text(pg_type::kTimestampTz, "2021-05-14 10:00:00+05:30"), "2021-05-14");
}

TEST(CellText, DatesThatAreNotPlainGregorianStayAsPrinted) {
  EXPECT_EQ(cell_text(pg_type::kDate, "infinity"), "infinity");
  EXPECT_EQ(cell_text(pg_type::kDate, "-infinity"), "-infinity");
  EXPECT_EQ(cell_text(pg_type::kDate, "0044-03-15 BC"), "0044-03-15 BC");
  EXPECT_EQ(cell_text(pg_type::kTimestamp, "0044-03-15 12:00:00 BC"), "0044-03-15 12:00:00 BC");
  EXPECT_EQ(cell_text(pg_type::kDate, "10000-01-01"), "10000-01-01");
  // A non-ISO DateStyle (never set by the plugin) is not guessed at.
  EXPECT_EQ(cell_text(pg_type::kDate, "05/14/2021"), "05/14/2021");
  EXPECT_EQ(cell_text(pg_type::kDate, "2021-5-14"), "2021-5-14");
  EXPECT_EQ(cell_text(pg_type::kDate, "2021-05-1"), "2021-05-1");
  EXPECT_EQ(cell_text(pg_type::kTimestamp, "2021-05-14T10:00:00"), "2021-05-14T10:00:00");
  EXPECT_EQ(cell_text(pg_type::kDate, ""), "");
}

TEST(CellText, NumericAndOtherTypesKeepTheServersText) {
  constexpr unsigned kNumeric = 1700, kInt4 = 23, kText = 25, kFloat8 = 701;
  EXPECT_EQ(cell_text(kNumeric, "1234.50"), "1234.50");
  EXPECT_EQ(cell_text(kNumeric, "NaN"), "NaN");
  EXPECT_EQ(cell_text(kInt4, "-7"), "-7");
  EXPECT_EQ(cell_text(kFloat8, "0.1"), "0.1");
  EXPECT_EQ(cell_text(kText, "t"), "t");  // a text "t" is not a boolean
  EXPECT_EQ(cell_text(kText, "2021-05-14 10:00:00"), "2021-05-14 10:00:00");  // nor a text a timestamp
  EXPECT_EQ(cell_text(kText, "Núñez"), "Núñez");
}

TEST(CellText, HugeValuesPassThroughWhole) {
  const std::string big(1 << 20, 'x');
  EXPECT_EQ(cell_text(25, big).size(), big.size());
  EXPECT_EQ(cell_text(pg_type::kDate, "2021-05-14" + big), "2021-05-14" + big);  // not "date + space"
}

}  // namespace
}  // namespace sseccoe::sql
