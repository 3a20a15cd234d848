#include <gtest/gtest.h>

#include <string>

#include "delimiter.hpp"

namespace sseccoe::csv {
namespace {

// The same table written with each delimiter, with the traps each one has:
// commas inside quoted names, decimal commas, spaces, pipes in text.
std::string table(char d) {
  const std::string s(1, d);
  std::string t = "No. Empleado" + s + "Nombre" + s + "Curso" + s + "Horas\n";
  for (int i = 0; i < 30; ++i) {
    t += std::to_string(1000 + i) + s + "\"Pérez, Juan " + std::to_string(i) + "\"" + s +
         "\"Ética; integridad | valores\"" + s + (d == ',' ? "\"2,5\"" : "2,5") + "\n";
  }
  return t;
}

TEST(Delimiter, DetectsEachCandidate) {
  for (const char d : kDelimiterCandidates) {
    const DelimiterGuess g = detect_delimiter(table(d), true);
    EXPECT_TRUE(g.found) << describe_delimiter(d);
    EXPECT_EQ(g.delimiter, d) << "expected " << describe_delimiter(d) << ", got " << describe_delimiter(g.delimiter);
  }
}

TEST(Delimiter, SemicolonFileWithDecimalCommasIsSemicolon) {
  EXPECT_EQ(detect_delimiter("Nombre;Horas;Calificacion\nAna;2,5;9,5\nLuis;3,0;8,0\n", true).delimiter, ';');
}

TEST(Delimiter, QuotesAreRespected) {
  // Unquoted, the semicolons inside the names would make ';' look best.
  EXPECT_EQ(detect_delimiter("id,nombre\n1,\"a;b;c\"\n2,\"d;e;f\"\n", true).delimiter, ',');
  // A quoted field with a line break inside does not cut the record.
  EXPECT_EQ(detect_delimiter("id|nota\n1|\"uno\ndos,tres\"\n2|x\n", true).delimiter, '|');
}

TEST(Delimiter, ConsistencyBeatsCount) {
  // ',' splits the header in 3 but the rows in 2 or 4; ';' agrees everywhere.
  EXPECT_EQ(detect_delimiter("a,b;c,d\n1;2\n3;4\n5;6\n", true).delimiter, ';');
}

TEST(Delimiter, OneColumnHasNoDelimiter) {
  const DelimiterGuess g = detect_delimiter("CURP\nAAAA000000HDFXXX01\n", true);
  EXPECT_FALSE(g.found);
  EXPECT_EQ(g.delimiter, ',');
  EXPECT_FALSE(detect_delimiter("", true).found);
}

TEST(Delimiter, ACutSampleDoesNotJudgeItsLastRecord) {
  // The sample ends in the middle of a row; whole=false leaves it out.
  std::string sample = "a;b;c\n1;2;3\n4;5;6\n7;8";
  EXPECT_EQ(detect_delimiter(sample, false).delimiter, ';');
}

TEST(Delimiter, HeaderOnly) {
  EXPECT_EQ(detect_delimiter("Nombre\tCURP\tCurso\n", true).delimiter, '\t');
}

TEST(Delimiter, ExcelSepLine) {
  const auto crlf = excel_sep_line("sep=;\r\na;b\r\n");
  ASSERT_TRUE(crlf.has_value());
  EXPECT_EQ(crlf->delimiter, ';');
  EXPECT_EQ(crlf->length, 7u);
  EXPECT_EQ(excel_sep_line("sep=|\na|b")->length, 6u);
  EXPECT_EQ(excel_sep_line("sep=\t\n")->delimiter, '\t');
  EXPECT_EQ(excel_sep_line("sep=,")->length, 5u) << "the whole file";
  EXPECT_FALSE(excel_sep_line("sep=;;\n").has_value()) << "more than one character is a header";
  EXPECT_FALSE(excel_sep_line("separador;x\n").has_value());
  EXPECT_FALSE(excel_sep_line("sep=\n").has_value());
  EXPECT_FALSE(excel_sep_line("").has_value());
}

TEST(Delimiter, OptionSpellings) {
  EXPECT_EQ(parse_delimiter_option("auto"), 0);
  EXPECT_EQ(parse_delimiter_option("tab"), '\t');
  EXPECT_EQ(parse_delimiter_option("\t"), '\t');
  EXPECT_EQ(parse_delimiter_option(";"), ';');
  EXPECT_EQ(parse_delimiter_option("|"), '|');
  for (const char* bad : {"", "a", "1", "\"", ";;", " ", "\n", "ñ"})
    EXPECT_THROW(parse_delimiter_option(bad), std::invalid_argument) << "'" << bad << "'";
  EXPECT_EQ(describe_delimiter('\t'), "tab");
  EXPECT_EQ(describe_delimiter(';'), "';'");
}

}  // namespace
}  // namespace sseccoe::csv
