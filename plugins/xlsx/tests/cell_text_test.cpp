#include <gtest/gtest.h>

#include "cell_text.hpp"

namespace sseccoe::xlsx {
namespace {

TEST(NumberText, IntegersHaveNoTrailingZero) {
  EXPECT_EQ(number_text(12345), "12345");
  EXPECT_EQ(number_text(-3), "-3");
  EXPECT_EQ(number_text(0), "0");
  EXPECT_EQ(number_text(-0.0), "0");
  EXPECT_EQ(number_text(123456789012345.0), "123456789012345");  // 15 digits, an employee id
}

TEST(NumberText, FractionsAndHugeValuesUseTheShortestRoundTrip) {
  EXPECT_EQ(number_text(0.1), "0.1");
  EXPECT_EQ(number_text(2.5), "2.5");
  EXPECT_EQ(number_text(1.5e-7), "1.5e-07");
  EXPECT_EQ(number_text(1e20), "1e+20");
  EXPECT_EQ(number_text(0.1 + 0.2), "0.30000000000000004");
}

TEST(ParseNumber, ReadsWhatExcelWritesAndRefusesTheRest) {
  EXPECT_EQ(parse_number("12345"), 12345.0);
  EXPECT_EQ(parse_number(" 1.5E-7 "), 1.5e-7);
  EXPECT_EQ(parse_number("-0.25"), -0.25);
  EXPECT_EQ(parse_number("+4"), 4.0);
  for (const char* bad : {"", "abc", "inf", "nan", "-inf", "1,5", "12a", "--1", "1e999"})
    EXPECT_FALSE(parse_number(bad)) << bad;
}

TEST(SerialToDate, The1900SystemWithItsPhantomLeapDay) {
  EXPECT_EQ(serial_to_date(1, false), "1900-01-01");
  EXPECT_EQ(serial_to_date(59, false), "1900-02-28");
  EXPECT_EQ(serial_to_date(60, false), "1900-02-28");  // Excel's 1900-02-29, which never was
  EXPECT_EQ(serial_to_date(61, false), "1900-03-01");
  EXPECT_EQ(serial_to_date(44197, false), "2021-01-01");
  EXPECT_EQ(serial_to_date(44330, false), "2021-05-14");
  EXPECT_EQ(serial_to_date(44330.75, false), "2021-05-14") << "the time of day is dropped";
  EXPECT_EQ(serial_to_date(44330.9999999999, false), "2021-05-15") << "float noise for midnight is midnight";
  EXPECT_EQ(serial_to_date(2958465, false), "9999-12-31");
  EXPECT_FALSE(serial_to_date(0, false)) << "Excel's 1900-01-00 is no date";
  EXPECT_FALSE(serial_to_date(0.5, false));
  EXPECT_FALSE(serial_to_date(-1, false));
  EXPECT_FALSE(serial_to_date(2958466, false));
}

TEST(SerialToDate, The1904System) {
  EXPECT_EQ(serial_to_date(0, true), "1904-01-01");
  EXPECT_EQ(serial_to_date(42868, true), "2021-05-14");
  EXPECT_EQ(serial_to_date(42735.5, true), "2021-01-01");
  EXPECT_EQ(serial_to_date(2957003, true), "9999-12-31");
  EXPECT_FALSE(serial_to_date(2957004, true));
  EXPECT_FALSE(serial_to_date(-1, true));
}

TEST(Times, ClockAndElapsed) {
  EXPECT_EQ(time_of_day(0.5, false), "12:00");
  EXPECT_EQ(time_of_day(44330.6048611111, true), "14:31:00");
  EXPECT_EQ(time_of_day(0.99999999, true), "00:00:00");
  EXPECT_EQ(elapsed_hours(40.0 / 24, false), "40:00");
  EXPECT_EQ(elapsed_hours(1.5, true), "36:00:00");
  EXPECT_FALSE(elapsed_hours(-1, false));
}

TEST(FormatNumber, AppliesTheFormatKind) {
  EXPECT_EQ(format_number("44330", {FormatKind::Date}, false), "2021-05-14");
  EXPECT_EQ(format_number("42868", {FormatKind::Date}, true), "2021-05-14");
  EXPECT_EQ(format_number("0.75", {FormatKind::Time, false}, false), "18:00");
  EXPECT_EQ(format_number("123", {FormatKind::ZeroPadded, false, 6}, false), "000123");
  EXPECT_EQ(format_number("1234567", {FormatKind::ZeroPadded, false, 6}, false), "1234567");
  EXPECT_EQ(format_number("1.5", {FormatKind::ZeroPadded, false, 6}, false), "1.5") << "not a code: the value";
  EXPECT_EQ(format_number("12345.0", {}, false), "12345");
  // A date-formatted value that is no date keeps its number.
  EXPECT_EQ(format_number("-5", {FormatKind::Date}, false), "-5");
  EXPECT_FALSE(format_number("N/A", {}, false));
}

TEST(DecodeEscapes, ExcelsHexEscapes) {
  std::string s = "a_x000D_b_x005F_x0041_c_x0041_";
  decode_escapes(s);
  EXPECT_EQ(s, "a\rb_x0041_cA");
  std::string untouched = "_x12_ _xZZZZ_ plain _x";
  decode_escapes(untouched);
  EXPECT_EQ(untouched, "_x12_ _xZZZZ_ plain _x");
  std::string surrogate = "_xD800_";
  decode_escapes(surrogate);
  EXPECT_EQ(surrogate, "_xD800_") << "a lone surrogate cannot be UTF-8";
  std::string accent = "Jos_x00E9_";
  decode_escapes(accent);
  EXPECT_EQ(accent, "Jos\xC3\xA9");
}

}  // namespace
}  // namespace sseccoe::xlsx
