#include <gtest/gtest.h>

#include "number_format.hpp"

namespace sseccoe::xlsx {
namespace {

FormatKind kind(std::string_view code) { return classify_format_code(code).kind; }

TEST(ClassifyFormatCode, DatesInAnyLanguageAndSeparator) {
  for (const char* code : {"dd/mm/yyyy", "d/m/yy", "yyyy-mm-dd", "mmm-yy", "mmmm", "d-mmm", "dd/mm/yyyy hh:mm",
                           "[$-80A]dddd, d \"de\" mmmm \"de\" yyyy", "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy",
                           "yyyy\"年\"m\"月\"d\"日\"", "DD.MM.YYYY", "[Red]dd/mm/yyyy;@", "ge.m.d"})
    EXPECT_EQ(kind(code), FormatKind::Date) << code;
}

TEST(ClassifyFormatCode, TimesAndDurations) {
  EXPECT_EQ(kind("h:mm"), FormatKind::Time);
  EXPECT_EQ(kind("hh:mm:ss AM/PM"), FormatKind::Time);
  EXPECT_EQ(kind("mm:ss"), FormatKind::Time) << "m beside s is minutes";
  EXPECT_EQ(kind("h:mm A/P"), FormatKind::Time);
  EXPECT_TRUE(classify_format_code("hh:mm:ss.000").seconds);
  EXPECT_EQ(kind("hh:mm:ss.000"), FormatKind::Time);
  EXPECT_FALSE(classify_format_code("h:mm").seconds);
  EXPECT_EQ(kind("[h]:mm"), FormatKind::Elapsed);
  EXPECT_TRUE(classify_format_code("[hh]:mm:ss").seconds);
  EXPECT_EQ(kind("[mm]:ss"), FormatKind::General) << "only hour durations read well; minutes stay numbers";
}

TEST(ClassifyFormatCode, NumbersAreNotDates) {
  for (const char* code : {"General", "0", "0.00", "#,##0", "0.00E+00", "0%", "@", "\"$\"#,##0.00",
                           "#,##0;[Red]-#,##0", "0.0\" d\"", "[>=100]0;0.0", "\\d0", "\"yyyy\"0", ""})
    EXPECT_NE(kind(code), FormatKind::Date) << code;
  EXPECT_EQ(kind("General"), FormatKind::General);
  EXPECT_EQ(kind("0.00E+00"), FormatKind::General);
}

TEST(ClassifyFormatCode, ZeroPaddedCodes) {
  const NumberFormat f = classify_format_code("000000");
  EXPECT_EQ(f.kind, FormatKind::ZeroPadded);
  EXPECT_EQ(f.width, 6);
  EXPECT_EQ(classify_format_code("00000;-00000").width, 5);
  EXPECT_EQ(kind("0000.00"), FormatKind::General);
}

TEST(BuiltinFormat, DateTimeAndElapsedIds) {
  for (int id : {14, 15, 16, 17, 22, 27, 36, 50, 58}) EXPECT_EQ(builtin_format(id).kind, FormatKind::Date) << id;
  for (int id : {18, 19, 20, 21, 45, 47}) EXPECT_EQ(builtin_format(id).kind, FormatKind::Time) << id;
  EXPECT_EQ(builtin_format(46).kind, FormatKind::Elapsed);
  for (int id : {0, 1, 2, 9, 10, 11, 37, 44, 48, 49, 59, 164, -1})
    EXPECT_EQ(builtin_format(id).kind, FormatKind::General) << id;
}

}  // namespace
}  // namespace sseccoe::xlsx
