// parse_spanish_date and the numbers in words behind it (core/extract/
// spanish_date.cpp): the dates Mexican certificates print.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "extract/certificate.hpp"
#include "extract/spanish.hpp"

namespace sseccoe::core::extract {
namespace {

std::string d(const std::string& text) { return parse_spanish_date(text).value_or("none"); }

TEST(SpanishDate, LongForms) {
  EXPECT_EQ(d("14 de mayo de 2021"), "2021-05-14");
  EXPECT_EQ(d("3 de septiembre del 2021"), "2021-09-03");
  EXPECT_EQ(d("3 de setiembre de 2021"), "2021-09-03");
  EXPECT_EQ(d("1o. de julio de 2021"), "2021-07-01");
  EXPECT_EQ(d("1º de julio de 2021"), "2021-07-01");
  EXPECT_EQ(d("1° de julio de 2021"), "2021-07-01");
  EXPECT_EQ(d("14 DE MAYO DE 2021"), "2021-05-14");
  EXPECT_EQ(d("14 de Mayo del año 2021"), "2021-05-14");
  EXPECT_EQ(d("  7   de\n  diciembre de 2020 "), "2020-12-07");
  EXPECT_EQ(d("Ciudad de México, a 14 de mayo de 2021."), "2021-05-14");
}

TEST(SpanishDate, Figures) {
  EXPECT_EQ(d("14/05/2021"), "2021-05-14");
  EXPECT_EQ(d("14-05-2021"), "2021-05-14");
  EXPECT_EQ(d("4.5.2021"), "2021-05-04");
  EXPECT_EQ(d("2021-05-14"), "2021-05-14");
  EXPECT_EQ(d("Fecha de conclusión: 01/12/2021"), "2021-12-01");
}

TEST(SpanishDate, Words) {
  EXPECT_EQ(d("a los catorce días del mes de mayo de dos mil veintiuno"), "2021-05-14");
  EXPECT_EQ(d("A LOS CATORCE DÍAS DEL MES DE MAYO DE DOS MIL VEINTIUNO"), "2021-05-14");
  EXPECT_EQ(d("a los treinta y un días del mes de agosto de dos mil veintidós"), "2022-08-31");
  EXPECT_EQ(d("a los veintiún días del mes de enero del año dos mil veinte"), "2020-01-21");
  EXPECT_EQ(d("al primer día del mes de julio de dos mil treinta"), "2030-07-01");
  EXPECT_EQ(d("a los dieciséis días del mes de marzo de dos mil veintitrés, en la Ciudad de México"), "2023-03-16");
  EXPECT_EQ(d("a los diez y seis días del mes de marzo de 2023"), "2023-03-16");
  EXPECT_EQ(d("el quince de octubre de dos mil veinticuatro"), "2024-10-15");
}

TEST(SpanishDate, ImpossibleOrNotADate) {
  EXPECT_EQ(d("31 de febrero de 2021"), "none");
  EXPECT_EQ(d("29 de febrero de 2021"), "none");
  EXPECT_EQ(d("29 de febrero de 2024"), "2024-02-29");
  EXPECT_EQ(d("31/04/2021"), "none");
  EXPECT_EQ(d("14/13/2021"), "none");
  EXPECT_EQ(d("2021-02-30"), "none");
  EXPECT_EQ(d("a los cuarenta días del mes de mayo de dos mil veintiuno"), "none");
  EXPECT_EQ(d("14 de mayonesa de 2021"), "none");
  EXPECT_EQ(d("14 de brumario de 2021"), "none");
  EXPECT_EQ(d(""), "none");
  EXPECT_EQ(d("mayo"), "none");
  EXPECT_EQ(d("20 horas"), "none");
  EXPECT_EQ(d("\xff\xfe 14 de \xc3"), "none");
  EXPECT_EQ(d(std::string(100000, '1')), "none");
}

TEST(SpanishNumber, Words) {
  EXPECT_EQ(spanish_number("uno"), 1);
  EXPECT_EQ(spanish_number("primero"), 1);
  EXPECT_EQ(spanish_number("quince"), 15);
  EXPECT_EQ(spanish_number("veintiuno"), 21);
  EXPECT_EQ(spanish_number("treinta y uno"), 31);
  EXPECT_EQ(spanish_number("cuarenta y cinco"), 45);
  EXPECT_EQ(spanish_number("cien"), 100);
  EXPECT_EQ(spanish_number("dos mil"), 2000);
  EXPECT_EQ(spanish_number("dos mil veinte"), 2020);
  EXPECT_EQ(spanish_number("dos mil treinta"), 2030);
  EXPECT_EQ(spanish_number("dos mil treinta y uno"), 2031);
  EXPECT_EQ(spanish_number("veinte y dos"), 22);  // the older spelling
  EXPECT_EQ(spanish_number("quince y dos"), std::nullopt);  // "y" joins tens and units only
  EXPECT_EQ(spanish_number("veinte y"), std::nullopt);
  EXPECT_EQ(spanish_number("tres mil"), std::nullopt);
  EXPECT_EQ(spanish_number("mil novecientos"), std::nullopt);
  EXPECT_EQ(spanish_number("quince horas"), std::nullopt);
  EXPECT_EQ(spanish_number(""), std::nullopt);
}

}  // namespace
}  // namespace sseccoe::core::extract
