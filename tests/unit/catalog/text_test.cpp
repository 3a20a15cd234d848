#include <gtest/gtest.h>

#include <sstream>

#include "catalog/dates.hpp"
#include "catalog/line_reader.hpp"
#include "catalog/text.hpp"

namespace sseccoe::catalog {
namespace {

TEST(Text, Utf8Validity) {
  EXPECT_TRUE(text::is_valid_utf8("Comité de Ética"));
  EXPECT_TRUE(text::is_valid_utf8(""));
  EXPECT_FALSE(text::is_valid_utf8("Comit\xE9"));          // Latin-1 é
  EXPECT_FALSE(text::is_valid_utf8("\xC3"));                // cut sequence
  EXPECT_FALSE(text::is_valid_utf8("\xC0\xAF"));            // overlong '/'
  EXPECT_FALSE(text::is_valid_utf8("\xED\xA0\x80"));        // surrogate
  EXPECT_FALSE(text::is_valid_utf8("\xF4\x90\x80\x80"));    // beyond U+10FFFF
  EXPECT_TRUE(text::is_valid_utf8("\xF0\x9F\x98\x80"));     // an emoji
}

TEST(Text, Windows1252Decoding) {
  EXPECT_EQ(text::cp1252_to_utf8("Comit\xE9 de \xC9tica"), "Comité de Ética");
  EXPECT_EQ(text::cp1252_to_utf8("\x80 \x93x\x94 \x96 \x85"), "€ “x” – …");
  EXPECT_EQ(text::cp1252_to_utf8("\x81"), "\xC2\x81");  // undefined in 1252: kept as the C1 code point
  EXPECT_EQ(text::cp1252_to_utf8("\xFF"), "ÿ");
}

TEST(Text, FoldIgnoresCaseAndAccents) {
  EXPECT_EQ(text::fold("Código de ÉTICA, Peticiónes ÑANDÚ"), "codigo de etica, peticiones nandu");
  EXPECT_TRUE(text::contains_folded("Registro en el SSECCOE.", "registro en el sseccoe"));
  EXPECT_TRUE(text::contains_folded("Imagen digitalizada de envío de correo", "ENVIO DE CORREO"));
}

TEST(Text, CellsAreTrimmedAndTagsStripped) {
  const auto cells = text::split_cells("1.1.1.\t <i>Riesgo  alto</i> \t\t&amp; más\t<https://x.mx/>");
  ASSERT_EQ(cells.size(), 5u);
  EXPECT_EQ(cells[0], "1.1.1.");
  EXPECT_EQ(cells[1], "Riesgo alto");
  EXPECT_EQ(cells[2], "");
  EXPECT_EQ(cells[3], "& más");
  EXPECT_EQ(cells[4], "<https://x.mx/>");  // not a tag
  EXPECT_EQ(text::strip_tags("a < b y c > d"), "a < b y c > d");
  EXPECT_EQ(text::strip_tags("<span class=\"x\">hola</span>"), "hola");
}

TEST(Text, TrimHandlesNoBreakSpaces) {
  EXPECT_EQ(text::trim("\xC2\xA0 hola \xC2\xA0"), "hola");
  EXPECT_EQ(text::squeeze_spaces("  a \t\xC2\xA0 b  "), "a b");
  EXPECT_EQ(text::code_points("Ético"), 5u);
}

TEST(Dates, DayMonthYear) {
  EXPECT_EQ(dmy_to_iso("03/12/2021"), "2021-12-03");
  EXPECT_EQ(dmy_to_iso("1/2/2021"), "2021-02-01");
  EXPECT_EQ(dmy_to_iso("29/02/2024"), "2024-02-29");
  EXPECT_FALSE(dmy_to_iso("29/02/2021"));
  EXPECT_FALSE(dmy_to_iso("31/04/2021"));
  EXPECT_FALSE(dmy_to_iso("29/10/20"));
  EXPECT_FALSE(dmy_to_iso("2021-10-29"));
  EXPECT_FALSE(dmy_to_iso("03/12-2021"));
  EXPECT_FALSE(dmy_to_iso(""));
  EXPECT_FALSE(dmy_to_iso("03/13/2021"));
}

TEST(LineReader, LineEndsBomAndEncodings) {
  std::istringstream in("\xEF\xBB\xBF" "uno\r\ndos\rtres\ncomit\xE9\n\nfin");
  LineReader r(in);
  std::string line;
  std::vector<std::string> lines;
  while (r.next(line)) lines.push_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"uno", "dos", "tres", "comité", "", "fin"}));
  EXPECT_EQ(r.line_number(), 6u);
  EXPECT_EQ(r.cp1252_lines(), 1u);
  EXPECT_EQ(r.first_cp1252_line(), 4u);
}

TEST(LineReader, OverlongLinesAreDroppedNotKept) {
  std::istringstream in(std::string(1000, 'x') + "\nok\n");
  LineReader r(in, 100);
  std::string line;
  ASSERT_TRUE(r.next(line));
  EXPECT_TRUE(r.last_was_overlong());
  EXPECT_TRUE(line.empty());
  ASSERT_TRUE(r.next(line));
  EXPECT_FALSE(r.last_was_overlong());
  EXPECT_EQ(line, "ok");
  EXPECT_FALSE(r.next(line));
}

TEST(LineReader, ControlCharactersAreDropped) {
  std::istringstream in(std::string("a\0b\x01\tc\x7F", 7));
  LineReader r(in);
  std::string line;
  ASSERT_TRUE(r.next(line));
  EXPECT_EQ(line, "ab\tc");
}

}  // namespace
}  // namespace sseccoe::catalog
