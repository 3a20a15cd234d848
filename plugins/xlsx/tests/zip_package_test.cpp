// The ZIP container under attack and damage: each refused with its reason,
// and what came before the damage kept.
#include <gmock/gmock.h>

#include <fstream>

#include "errors.hpp"
#include "test_support.hpp"
#include "workbook_reader.hpp"
#include "zip_package.hpp"

namespace sseccoe::xlsx {
namespace {

using ::testing::HasSubstr;
using testing::Collected;
using testing::TempDir;
using testing::WorkbookSpec;

// A sheet of `n` rows: a numeric id and an inline name.
std::string numbered_sheet(int n) {
  std::string rows;
  for (int r = 1; r <= n; ++r)
    rows += testing::row(static_cast<std::uint64_t>(r),
                         testing::c_num("A" + std::to_string(r), std::to_string(r)) +
                             testing::c_str("B" + std::to_string(r), "persona " + std::to_string(r * 7919 % 10007)));
  return testing::sheet_xml(rows);
}

WorkbookSpec one_sheet(std::string xml) {
  WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", std::move(xml)});
  return spec;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

TEST(ZipPackage, AWellFormedWorkbookReads) {
  TempDir dir;
  testing::write_workbook(dir.file("a.xlsx"), one_sheet(numbered_sheet(3)));
  const Collected got = testing::read_rows(dir.file("a.xlsx"));
  ASSERT_EQ(got.rows.size(), 3u);
  EXPECT_EQ(got.rows[2].second[0], "3");
  EXPECT_TRUE(got.broken.empty());
}

TEST(ZipPackage, WhatIsNotAZipIsNamed) {
  TempDir dir;
  write_bytes(dir.file("empty.xlsx"), "");
  EXPECT_THAT(testing::read_error(dir.file("empty.xlsx")), HasSubstr("the file is empty"));
  write_bytes(dir.file("csv.xlsx"), "No. Empleado,Nombre\n1,Ana\n");
  EXPECT_THAT(testing::read_error(dir.file("csv.xlsx")), HasSubstr("not a ZIP archive"));
  write_bytes(dir.file("old.xlsx"), std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(600, '\0'));
  EXPECT_THAT(testing::read_error(dir.file("old.xlsx")), HasSubstr("old-format .xls"));
  EXPECT_THAT(testing::read_error(dir.file("old.xlsx")), HasSubstr("password"));
  write_bytes(dir.file("emptyzip.xlsx"), std::string("PK\x05\x06", 4) + std::string(18, '\0'));
  EXPECT_THAT(testing::read_error(dir.file("emptyzip.xlsx")), HasSubstr("empty ZIP"));
  EXPECT_THAT(testing::read_error(dir.file("missing.xlsx")), HasSubstr("cannot open the file"));
}

TEST(ZipPackage, AZipThatIsNoWorkbookIsNamed) {
  TempDir dir;
  testing::ZipWriter zip(dir.file("doc.xlsx"));
  zip.add("word/document.xml", "<w/>");
  zip.finish();
  EXPECT_THAT(testing::read_error(dir.file("doc.xlsx")), HasSubstr("holds no Excel workbook"));
}

TEST(ZipPackage, TruncatedBeforeTheSheetReadsNothing) {
  TempDir dir;
  const std::string path = dir.file("cut.xlsx");
  WorkbookSpec spec = one_sheet(numbered_sheet(2000));
  spec.shared_strings = testing::shared_strings_xml({"x"});
  testing::write_workbook(path, spec);
  // Cut inside the styles part, before the shared strings and the sheet.
  testing::truncate_file(path, 900);
  Collected partial;
  const std::string error = testing::read_error(path, "1", &partial);
  EXPECT_THAT(error, HasSubstr("truncated"));
  EXPECT_THAT(error, HasSubstr("copy it again"));
  EXPECT_TRUE(partial.rows.empty());
}

TEST(ZipPackage, TruncatedInsideTheSheetKeepsTheRowsBeforeTheCut) {
  TempDir dir;
  const std::string path = dir.file("cut.xlsx");
  testing::write_workbook(path, one_sheet(numbered_sheet(20000)));
  const std::uint64_t size = testing::file_size(path);
  testing::truncate_file(path, size * 6 / 10);
  Collected partial;
  const std::string error = testing::read_error(path, "1", &partial);
  EXPECT_THAT(error, HasSubstr("the file is truncated"));
  EXPECT_THAT(error, HasSubstr("xl/worksheets/sheet1.xml"));
  ASSERT_GT(partial.rows.size(), 1000u) << "rows before the cut are read";
  EXPECT_LT(partial.rows.size(), 20000u);
  // The rows read are whole and in order: the cut did not corrupt the last one.
  for (std::size_t i = 0; i < partial.rows.size(); ++i) {
    ASSERT_EQ(partial.rows[i].first, i + 1);
    ASSERT_EQ(partial.rows[i].second.size(), 2u);
    ASSERT_EQ(partial.rows[i].second[0], std::to_string(i + 1));
  }
}

// A small sheet is inflated in one go: the bytes before the cut must still
// reach the parser, not be dropped with the failure that follows them.
TEST(ZipPackage, ASmallSheetCutHalfwayStillGivesTheRowsBeforeTheCut) {
  TempDir dir;
  const std::string path = dir.file("cut.xlsx");
  testing::write_workbook(path, one_sheet(numbered_sheet(120)));
  // Cuts away the central directory and the end of the sheet's compressed data.
  testing::truncate_file(path, testing::file_size(path) - 800);
  Collected partial;
  const std::string error = testing::read_error(path, "1", &partial);
  EXPECT_THAT(error, HasSubstr("the file is truncated"));
  EXPECT_GT(partial.rows.size(), 10u);
  EXPECT_LT(partial.rows.size(), 120u);
}

TEST(ZipPackage, TruncatedInTheCentralDirectoryStillReads) {
  TempDir dir;
  const std::string path = dir.file("cut.xlsx");
  testing::write_workbook(path, one_sheet(numbered_sheet(10)));
  // Only the end record is missing: every entry is whole, and is read.
  testing::truncate_file(path, testing::file_size(path) - 10);
  const Collected got = testing::read_rows(path);
  EXPECT_EQ(got.rows.size(), 10u);
}

TEST(ZipPackage, DuplicateEntryNamesAreRefused) {
  TempDir dir;
  WorkbookSpec spec = one_sheet(numbered_sheet(2));
  // A second sheet1.xml: two readers could see two different sheets.
  spec.extra_entries.emplace_back("xl/worksheets/sheet1.xml", numbered_sheet(5));
  testing::write_workbook(dir.file("dup.xlsx"), spec);
  EXPECT_THAT(testing::read_error(dir.file("dup.xlsx")),
              HasSubstr("two entries named 'xl/worksheets/sheet1.xml': refused"));

  // Cut short before the central directory, the duplicate is found by Poco's
  // ZipArchive scanning the local headers.
  testing::truncate_file(dir.file("dup.xlsx"), testing::file_size(dir.file("dup.xlsx")) - 10);
  EXPECT_THAT(testing::read_error(dir.file("dup.xlsx")), HasSubstr("two entries with the same name"));

  WorkbookSpec cased = one_sheet(numbered_sheet(2));
  cased.extra_entries.emplace_back("XL/Worksheets/Sheet1.xml", numbered_sheet(5));
  testing::write_workbook(dir.file("case.xlsx"), cased);
  EXPECT_THAT(testing::read_error(dir.file("case.xlsx")), HasSubstr("apart from letter case"));
}

// 64 MiB of blanks inside <sheetData> deflate to about 64 KiB.
std::string bomb_sheet() {
  return testing::sheet_xml(std::string(64u << 20, ' '));
}

TEST(ZipPackage, AZipBombIsRefusedByItsRatioBeforeExpanding) {
  TempDir dir;
  testing::write_workbook(dir.file("bomb.xlsx"), one_sheet(bomb_sheet()));
  const std::string error = testing::read_error(dir.file("bomb.xlsx"));
  EXPECT_THAT(error, HasSubstr("zip bomb"));
  EXPECT_THAT(error, HasSubstr("max_compression_ratio"));
  EXPECT_THAT(error, HasSubstr("xl/worksheets/sheet1.xml"));
}

TEST(ZipPackage, AZipBombLyingAboutItsSizeIsStoppedWhileExpanding) {
  TempDir dir;
  WorkbookSpec spec = one_sheet(bomb_sheet());
  spec.options["xl/worksheets/sheet1.xml"].declared_uncompressed = 4096;
  testing::write_workbook(dir.file("liar.xlsx"), spec);
  const std::string error = testing::read_error(dir.file("liar.xlsx"));
  EXPECT_THAT(error, HasSubstr("expands beyond the 4 KiB its header declares"));
}

TEST(ZipPackage, TheRatioIsAlsoCheckedOnTheBytesReallyExpanded) {
  TempDir dir;
  WorkbookSpec spec = one_sheet(bomb_sheet());
  // The headers claim a plausible ratio (3.75 GiB from 100 MiB); the data
  // is 64 MiB from 64 KiB.
  spec.options["xl/worksheets/sheet1.xml"].declared_uncompressed = 0xF0000000;
  spec.options["xl/worksheets/sheet1.xml"].declared_compressed = 100u << 20;
  testing::write_workbook(dir.file("big.xlsx"), spec);
  testing::RowCollector rows;
  std::stop_source never;
  try {
    ReaderLimits limits;
    limits.zip.max_uncompressed = 8ull << 30;
    WorkbookReader r(dir.file("big.xlsx"), limits);
    r.read(r.sheet("1"), rows, never.get_token());
    FAIL() << "a bomb must be refused";
  } catch (const XlsxError& e) {
    EXPECT_THAT(e.what(), HasSubstr("times its compressed size"));
    EXPECT_THAT(e.what(), HasSubstr("zip bomb"));
  }
}

TEST(ZipPackage, TheTotalExpandedSizeIsCapped) {
  TempDir dir;
  testing::write_workbook(dir.file("a.xlsx"), one_sheet(numbered_sheet(5000)));
  ReaderLimits limits;
  limits.zip.max_uncompressed = 64 * 1024;
  testing::RowCollector rows;
  std::stop_source never;
  try {
    WorkbookReader r(dir.file("a.xlsx"), limits);
    r.read(r.sheet("1"), rows, never.get_token());
    FAIL() << "over the cap";
  } catch (const XlsxError& e) {
    EXPECT_THAT(e.what(), HasSubstr("max_uncompressed_size"));
  }
}

TEST(ZipPackage, AFloodOfEntriesIsRefusedBeforePocoIndexesThem) {
  TempDir dir;
  const std::string path = dir.file("flood.xlsx");
  {
    testing::ZipWriter zip(path);
    testing::EntryOptions stored;
    stored.store = true;
    for (int i = 0; i <= 100'000; ++i) zip.add("x/" + std::to_string(i), "", stored);
    // No central directory: only the local headers say how many there are.
  }
  EXPECT_THAT(testing::read_error(path), HasSubstr("more than 100000 entries"));
}

TEST(ZipPackage, EncryptedAndExoticEntriesAreRefused) {
  TempDir dir;
  WorkbookSpec enc = one_sheet(numbered_sheet(2));
  enc.options["xl/worksheets/sheet1.xml"].encrypted = true;
  testing::write_workbook(dir.file("enc.xlsx"), enc);
  EXPECT_THAT(testing::read_error(dir.file("enc.xlsx")), HasSubstr("is encrypted"));

  WorkbookSpec bz = one_sheet(numbered_sheet(2));
  bz.options["xl/worksheets/sheet1.xml"].method = 12;  // bzip2
  testing::write_workbook(dir.file("bz.xlsx"), bz);
  EXPECT_THAT(testing::read_error(dir.file("bz.xlsx")), HasSubstr("compression method 12"));
}

TEST(ZipPackage, ABadChecksumIsCorruption) {
  TempDir dir;
  WorkbookSpec spec = one_sheet(numbered_sheet(50));
  spec.options["xl/worksheets/sheet1.xml"].corrupt_crc = true;
  testing::write_workbook(dir.file("crc.xlsx"), spec);
  Collected partial;
  const std::string error = testing::read_error(dir.file("crc.xlsx"), "1", &partial);
  EXPECT_THAT(error, HasSubstr("is corrupt"));
  EXPECT_THAT(error, HasSubstr("CRC-32"));
}

TEST(ZipPackage, DamagedDeflateDataIsCorruption) {
  TempDir dir;
  const std::string path = dir.file("bad.xlsx");
  testing::write_workbook(path, one_sheet(numbered_sheet(20000)));
  // Overwrite a stretch in the middle of the sheet's compressed data.
  {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(testing::file_size(path) / 2));
    const std::string junk(64, '\xFF');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  Collected partial;
  const std::string error = testing::read_error(path, "1", &partial);
  EXPECT_THAT(error, HasSubstr("xl/worksheets/sheet1.xml"));
  EXPECT_THAT(error, ::testing::AnyOf(HasSubstr("is corrupt"), HasSubstr("not well-formed")));
  EXPECT_GT(partial.rows.size(), 0u);
}

TEST(ZipPackage, StoredEntriesRead) {
  TempDir dir;
  WorkbookSpec spec = one_sheet(numbered_sheet(4));
  spec.options["xl/worksheets/sheet1.xml"].store = true;
  testing::write_workbook(dir.file("stored.xlsx"), spec);
  EXPECT_EQ(testing::read_rows(dir.file("stored.xlsx")).rows.size(), 4u);
}

}  // namespace
}  // namespace sseccoe::xlsx
