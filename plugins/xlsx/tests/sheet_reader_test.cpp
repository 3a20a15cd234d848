// Cells and rows as the reader delivers them: every cell type, dates in both
// systems, formulas' cached values, gaps, merged ranges, broken rows.
#include <gmock/gmock.h>

#include "errors.hpp"
#include "test_support.hpp"

namespace sseccoe::xlsx {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::c_bool;
using testing::c_formula;
using testing::c_num;
using testing::c_shared;
using testing::c_str;
using testing::Collected;
using testing::row;
using testing::sheet_xml;
using testing::TempDir;
using testing::WorkbookSpec;
using Cells = std::vector<std::string>;

Collected read_sheet(const std::string& xml, const std::vector<std::string>& strings = {}, bool date1904 = false) {
  TempDir dir;
  WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", xml});
  if (!strings.empty()) spec.shared_strings = testing::shared_strings_xml(strings);
  spec.date1904 = date1904;
  testing::write_workbook(dir.file("t.xlsx"), spec);
  return testing::read_rows(dir.file("t.xlsx"));
}

std::string error_for(const WorkbookSpec& spec, Collected* partial = nullptr, const std::string& sheet = "1") {
  TempDir dir;
  testing::write_workbook(dir.file("t.xlsx"), spec);
  return testing::read_error(dir.file("t.xlsx"), sheet, partial);
}

TEST(SheetReader, SharedAndInlineStringsNumbersBooleansErrors) {
  const auto got = read_sheet(
      sheet_xml(row(1, c_shared("A1", 0) + c_shared("B1", 1) + c_str("C1", "Activo") + c_str("D1", "Horas")) +
                row(2, c_num("A2", "12345") + c_shared("B2", 2) + c_bool("C2", true) + c_num("D2", "2.5")) +
                row(3, c_num("A3", "1.2345E+4") + c_str("B3", "  con espacios ") + c_bool("C3", false) +
                           "<c r=\"D3\" t=\"e\"><v>#N/A</v></c>")),
      {"No. Empleado", "Nombre", "José Núñez & Peña <RH>"});
  EXPECT_TRUE(got.broken.empty());
  ASSERT_EQ(got.rows.size(), 3u);
  EXPECT_EQ(got.rows[0].second, (Cells{"No. Empleado", "Nombre", "Activo", "Horas"}));
  EXPECT_EQ(got.rows[1].second, (Cells{"12345", "José Núñez & Peña <RH>", "true", "2.5"}));
  EXPECT_EQ(got.rows[2].second, (Cells{"12345", "  con espacios ", "false", "#N/A"}));
}

TEST(SheetReader, DatesFollowTheCellsNumberFormat) {
  using namespace testing;
  const auto got = read_sheet(sheet_xml(row(
      1, c_num("A1", "44330", kDateBuiltin) + c_num("B1", "44330", kDateCustom) + c_num("C1", "44330.6", kDateTime) +
             c_num("D1", "0.6048611111", kTime) + c_num("E1", "1.6666666667", kElapsed) +
             c_num("F1", "123", kZeroPadded) + c_num("G1", "44330", kScientific) + c_num("H1", "44330", kGeneral) +
             c_num("I1", "44330", 99))));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].second, (Cells{"2021-05-14", "2021-05-14", "2021-05-14", "14:31", "40:00", "000123",
                                       "44330", "44330", "44330"}));
}

TEST(SheetReader, The1904DateSystem) {
  const auto got = read_sheet(sheet_xml(row(1, c_num("A1", "42868", testing::kDateCustom) +
                                                   c_num("B1", "0", testing::kDateCustom))),
                              {}, true);
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].second, (Cells{"2021-05-14", "1904-01-01"}));
}

TEST(SheetReader, StrictIsoDateCells) {
  const auto got = read_sheet(sheet_xml(row(1, "<c r=\"A1\" t=\"d\"><v>2021-05-14T10:30:00</v></c>")));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].second, (Cells{"2021-05-14"}));
}

TEST(SheetReader, FormulaCellsGiveTheirCachedValues) {
  const auto got = read_sheet(sheet_xml(row(
      1, c_formula("A1", "B1*2", "24690") + c_formula("B1", "CONCAT(\"a\",\"b\")", "ab", "str") +
             c_formula("C1", "1=1", "1", "b") + c_formula("D1", "1/0", "#DIV/0!", "e") +
             c_formula("E1", "TODAY()", "44330", "", testing::kDateCustom) + c_formula("F1", "NOW()", std::nullopt) +
             "<c r=\"G1\"><f t=\"shared\" si=\"0\"/><v>7</v></c>")));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].second, (Cells{"24690", "ab", "true", "#DIV/0!", "2021-05-14", "", "7"}));
}

TEST(SheetReader, GapsEmptyCellsAndRowNumbers) {
  const auto got = read_sheet(sheet_xml(
      row(2, c_str("B2", "b") + c_str("D2", "d") + "<c r=\"E2\" s=\"1\"/><c r=\"F2\"><v></v></c>") +
      row(3, "<c r=\"A3\" s=\"1\"/>") +  // styled but empty: no row
      "<row r=\"7\" spans=\"1:3\"><c r=\"C7\" t=\"inlineStr\"><is><t>c</t></is></c></row>" +
      "<row><c t=\"inlineStr\"><is><t>x</t></is></c><c><v>5</v></c></row>"));  // no r: row 8, columns A, B
  ASSERT_EQ(got.rows.size(), 3u);
  EXPECT_EQ(got.rows[0].first, 2u);
  EXPECT_EQ(got.rows[0].second, (Cells{"", "b", "", "d"})) << "trailing empty cells are cut";
  EXPECT_EQ(got.rows[1].first, 7u);
  EXPECT_EQ(got.rows[1].second, (Cells{"", "", "c"}));
  EXPECT_EQ(got.rows[2].first, 8u);
  EXPECT_EQ(got.rows[2].second, (Cells{"x", "5"}));
}

TEST(SheetReader, MergedRangesKeepTheirValueInTheTopLeftCellOnly) {
  const auto got = read_sheet(sheet_xml(row(1, c_str("A1", "Unidad") + c_str("B1", "Nombre")) +
                                            row(2, c_str("A2", "Dirección General") + c_str("B2", "Ana")) +
                                            row(3, "<c r=\"A3\" s=\"0\"/>" + c_str("B3", "Luis")),
                                        "<mergeCells count=\"1\"><mergeCell ref=\"A2:A3\"/></mergeCells>"));
  ASSERT_EQ(got.rows.size(), 3u);
  EXPECT_EQ(got.rows[1].second, (Cells{"Dirección General", "Ana"}));
  EXPECT_EQ(got.rows[2].second, (Cells{"", "Luis"}));
}

TEST(SheetReader, RichTextPhoneticGuidesAndEscapes) {
  TempDir dir;
  WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", sheet_xml(row(1, c_shared("A1", 0) + c_shared("B1", 1) +
                                                       "<c r=\"C1\" t=\"inlineStr\"><is><r><t>Mar</t></r><r><rPr><b/>"
                                                       "</rPr><t>ía</t></r></is></c>"))});
  spec.shared_strings =
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<si><r><t>Jo</t></r><r><rPr><i/></rPr><t xml:space=\"preserve\">sé </t></r><rPh sb=\"0\" eb=\"1\"><t>ホセ"
      "</t></rPh></si>"
      "<si><t>línea 1_x000D_\nlínea 2</t></si></sst>";
  testing::write_workbook(dir.file("t.xlsx"), spec);
  const auto got = testing::read_rows(dir.file("t.xlsx"));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].second, (Cells{"José ", "línea 1\r\nlínea 2", "María"}));
}

TEST(SheetReader, PrefixedAndStrictNamespacesReadTheSame) {
  const std::string prefixed =
      "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
      "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>hola</x:t></x:is></x:c><x:c r=\"B1\"><x:v>3</x:v>"
      "</x:c></x:row></x:sheetData></x:worksheet>";
  EXPECT_EQ(read_sheet(prefixed).rows.at(0).second, (Cells{"hola", "3"}));
  const std::string strict =
      "<worksheet xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"><sheetData><row r=\"1\"><c r=\"A1\">"
      "<v>4</v></c></row></sheetData></worksheet>";
  EXPECT_EQ(read_sheet(strict).rows.at(0).second, (Cells{"4"}));
}

TEST(SheetReader, BrokenRowsGoAloneAndTheSheetGoesOn) {
  const auto got = read_sheet(
      sheet_xml(row(1, c_str("A1", "ok")) +
                row(2, c_shared("A2", 7)) +                                  // past the table
                row(3, c_num("A3", "doce")) +                                // no number
                row(4, "<c r=\"A4\" t=\"b\"><v>yes</v></c>") +                // no boolean
                row(5, "<c r=\"A5\" t=\"zz\"><v>1</v></c>") +                 // unknown type
                row(6, c_str("B6", "b") + c_str("A6", "a")) +                 // backwards
                row(7, c_str("A9", "elsewhere")) +                           // another row's cell
                row(8, "<c r=\"A8\" t=\"s\"><v>x</v></c>") +                  // no index
                row(9, "<c r=\"1A\"><v>1</v></c>") +                          // no reference
                row(10, c_str("A10", "after")) + row(10, c_str("A10", "again")) +  // a repeated row
                row(11, c_str("A11", "last"))),
      {"uno"});
  std::vector<std::uint64_t> good;
  for (const auto& [line, cells] : got.rows) good.push_back(line);
  EXPECT_THAT(good, ElementsAre(1u, 10u, 11u));
  ASSERT_EQ(got.broken.size(), 9u);
  EXPECT_THAT(got.broken[0].second, HasSubstr("refers to shared string 7, but the workbook has 1"));
  EXPECT_THAT(got.broken[1].second, HasSubstr("cell A3 is marked as a number but does not hold one"));
  EXPECT_THAT(got.broken[2].second, HasSubstr("neither 0 nor 1"));
  EXPECT_THAT(got.broken[3].second, HasSubstr("unknown type 'zz'"));
  EXPECT_THAT(got.broken[4].second, HasSubstr("cell A6 repeats or comes after a cell to its right"));
  EXPECT_THAT(got.broken[5].second, HasSubstr("cell A9 stands inside row 7"));
  EXPECT_THAT(got.broken[6].second, HasSubstr("holds no string number"));
  EXPECT_THAT(got.broken[7].second, HasSubstr("invalid reference"));
  EXPECT_EQ(got.broken[8].first, 10u);
  EXPECT_THAT(got.broken[8].second, HasSubstr("rows out of order"));
  for (const auto& [line, reason] : got.broken) {
    EXPECT_THAT(reason, ::testing::Not(HasSubstr("doce"))) << "values are never quoted";
    EXPECT_THAT(reason, ::testing::Not(HasSubstr("elsewhere")));
  }
}

TEST(SheetReader, ACellPastTheSizeExcelAllowsBreaksItsRow) {
  const auto got = read_sheet(sheet_xml(row(1, c_str("A1", testing::noise(kMaxCellBytes + 10))) +
                                        row(2, c_str("A2", "fine"))));
  ASSERT_EQ(got.broken.size(), 1u);
  EXPECT_THAT(got.broken[0].second, HasSubstr("more than 1 MiB"));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].first, 2u);
}

TEST(SheetReader, SheetsByNameOrPosition) {
  TempDir dir;
  WorkbookSpec spec;
  spec.sheets.push_back({"Resumen", testing::simple_sheet({{"r"}})});
  spec.sheets.push_back({"Plantilla 2021", testing::simple_sheet({{"p"}})});
  spec.sheets.push_back({"3", testing::simple_sheet({{"named three"}})});
  spec.sheets.push_back({"Gráfico", "<chartsheet/>", "chartsheet"});
  testing::write_workbook(dir.file("t.xlsx"), spec);
  const std::string path = dir.file("t.xlsx");
  EXPECT_EQ(testing::read_rows(path, "plantilla 2021").rows.at(0).second[0], "p") << "names ignore case";
  EXPECT_EQ(testing::read_rows(path, "2").rows.at(0).second[0], "p");
  EXPECT_EQ(testing::read_rows(path, "1").rows.at(0).second[0], "r");
  EXPECT_EQ(testing::read_rows(path, "3").rows.at(0).second[0], "named three") << "a name wins over a position";

  const std::string missing = testing::read_error(path, "Nómina");
  EXPECT_THAT(missing, HasSubstr("no sheet named 'Nómina'"));
  EXPECT_THAT(missing, HasSubstr("'Resumen', 'Plantilla 2021', '3', 'Gráfico'"));
  EXPECT_THAT(testing::read_error(path, "9"), HasSubstr("has 4 sheets, so there is no sheet number 9"));
  EXPECT_THAT(testing::read_error(path, "Gráfico"), HasSubstr("is a chart sheet"));
}

// ---- hostile XML -------------------------------------------------------------

const char* kBillionLaughs =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>";

TEST(HostileXml, BillionLaughsInTheSheetIsRefused) {
  WorkbookSpec spec;
  spec.sheets.push_back(
      {"Hoja1", std::string(kBillionLaughs) +
                    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row></sheetData>"
                    "</worksheet>"});
  Collected partial;
  const std::string error = error_for(spec, &partial);
  EXPECT_THAT(error, HasSubstr("declares a DTD"));
  EXPECT_THAT(error, HasSubstr("xl/worksheets/sheet1.xml"));
  EXPECT_TRUE(partial.rows.empty());
}

TEST(HostileXml, AnExternalEntityInTheSharedStringsIsRefused) {
  WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", sheet_xml(row(1, c_shared("A1", 0)))});
  spec.shared_strings =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&xxe;</t></si></sst>";
  const std::string error = error_for(spec);
  EXPECT_THAT(error, HasSubstr("declares a DTD"));
  EXPECT_THAT(error, HasSubstr("xl/sharedStrings.xml"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("root:")));
}

TEST(HostileXml, ADtdInTheWorkbookPartIsRefused) {
  TempDir dir;
  testing::ZipWriter zip(dir.file("t.xlsx"));
  zip.add("xl/workbook.xml",
          "<!DOCTYPE workbook SYSTEM \"http://127.0.0.1:1/dtd\"><workbook><sheets><sheet name=\"a\"/></sheets>"
          "</workbook>");
  zip.finish();
  EXPECT_THAT(testing::read_error(dir.file("t.xlsx")), HasSubstr("declares a DTD"));
}

TEST(HostileXml, AGiantTagIsRefusedBeforeTheParserHoldsIt) {
  WorkbookSpec spec;
  spec.sheets.push_back(
      {"Hoja1", sheet_xml(row(1, c_str("A1", "ok")) + "<row r=\"2\" x=\"" + testing::noise(9u << 20) + "\"/>")});
  Collected partial;
  const std::string error = error_for(spec, &partial);
  EXPECT_THAT(error, HasSubstr("has a tag or a text longer than 8 MiB"));
  EXPECT_EQ(partial.rows.size(), 1u);
}

TEST(HostileXml, AnUndeclaredEntityIsNotWellFormed) {
  WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", sheet_xml(row(1, "<c r=\"A1\" t=\"inlineStr\"><is><t>&nbsp;</t></is></c>"))});
  EXPECT_THAT(error_for(spec), HasSubstr("not well-formed XML"));
}

TEST(HostileXml, MalformedXmlHalfWayKeepsTheRowsBefore) {
  std::string rows;
  for (int r = 1; r <= 100; ++r) rows += row(static_cast<std::uint64_t>(r), c_num("A" + std::to_string(r), "1"));
  rows += "<row r=\"101\"><c r=\"A101\"><v>1</v></row>";  // </c> missing
  WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", sheet_xml(rows)});
  Collected partial;
  const std::string error = error_for(spec, &partial);
  EXPECT_THAT(error, HasSubstr("not well-formed XML"));
  EXPECT_THAT(error, HasSubstr("line "));
  EXPECT_EQ(partial.rows.size(), 100u);
}

TEST(HostileXml, BytesThatAreNotUtf8AreNotWellFormed) {
  WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", sheet_xml(row(1, c_shared("A1", 0)))});
  spec.shared_strings = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>Jos\xE9"
                        "</t></si></sst>";  // Latin-1 in a UTF-8 part
  EXPECT_THAT(error_for(spec), HasSubstr("not well-formed XML"));
}

TEST(HostileXml, Utf16PartsAreDecoded) {
  const std::string utf8 =
      "<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet "
      "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" "
      "t=\"inlineStr\"><is><t>Peña</t></is></c></row></sheetData></worksheet>";
  // UTF-16LE with a byte-order mark (ASCII plus ñ).
  std::string utf16 = "\xFF\xFE";
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if (b == 0xC3 && i + 1 < utf8.size()) {
      const auto cp = static_cast<char>(((b & 0x1F) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F));
      utf16 += cp;
      utf16 += '\0';
      ++i;
    } else {
      utf16 += static_cast<char>(b);
      utf16 += '\0';
    }
  }
  EXPECT_EQ(read_sheet(utf16).rows.at(0).second, (Cells{"Peña"}));
}

}  // namespace
}  // namespace sseccoe::xlsx
