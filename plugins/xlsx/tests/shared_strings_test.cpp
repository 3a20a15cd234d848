#include <gmock/gmock.h>

#include "errors.hpp"
#include "shared_strings.hpp"
#include "sheet_reader.hpp"
#include <filesystem>

#include "test_support.hpp"
#include "workbook_reader.hpp"

namespace sseccoe::xlsx {
namespace {

using ::testing::HasSubstr;

TEST(SharedStrings, InMemoryAndSpilledTablesAnswerAlike) {
  testing::TempDir dir;
  SharedStrings memory(1ull << 30, "");
  SharedStrings spilled(1ull << 30, dir.path());
  // ~24 MiB of strings: past the spill threshold.
  const std::size_t n = 400'000;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string s = "persona " + std::to_string(i) + std::string(i % 97, 'x') + (i % 5 == 0 ? "" : "ñ");
    memory.add(s);
    spilled.add(s);
  }
  memory.finish();
  spilled.finish();
  EXPECT_FALSE(memory.spilled());
  EXPECT_TRUE(spilled.spilled());
  EXPECT_GT(spilled.bytes(), kSpillThreshold);
  ASSERT_EQ(memory.size(), n);
  ASSERT_EQ(spilled.size(), n);
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{4}, n / 2, n - 1}) {
    const std::string a(*memory.get(i));
    EXPECT_EQ(a, std::string(*spilled.get(i))) << i;
    EXPECT_EQ(a.rfind("persona " + std::to_string(i), 0), 0u);
  }
  EXPECT_FALSE(memory.get(n));
  EXPECT_FALSE(spilled.get(n));
  // The spill file is unlinked at once: nothing is left in the directory.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(SharedStrings, EmptyStringsAndTheEmptyTable) {
  SharedStrings t(1024, "");
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.get(0));
  t.add("");
  t.add("a");
  EXPECT_EQ(*t.get(0), "");
  EXPECT_EQ(*t.get(1), "a");
}

TEST(SharedStrings, TheCapIsAClearError) {
  SharedStrings t(10, "");
  t.add("12345");
  try {
    t.add("678901");
    FAIL() << "over the cap";
  } catch (const XlsxError& e) {
    EXPECT_THAT(e.what(), HasSubstr("max_shared_strings_size"));
  }
}

TEST(SharedStrings, OneHugeStringIsRefusedBeforeItIsHeld) {
  testing::TempDir dir;
  testing::WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", testing::sheet_xml(testing::row(1, testing::c_shared("A1", 0)))});
  spec.shared_strings = testing::shared_strings_xml({testing::noise(3u << 20)});
  testing::write_workbook(dir.file("t.xlsx"), spec);
  ReaderLimits limits;
  limits.max_shared_strings = 1u << 20;
  WorkbookReader reader(dir.file("t.xlsx"), limits);
  testing::RowCollector rows;
  std::stop_source never;
  try {
    reader.read(reader.sheet("1"), rows, never.get_token());
    FAIL() << "over the cap";
  } catch (const XlsxError& e) {
    EXPECT_THAT(e.what(), HasSubstr("exceed 1 MiB"));
  }
}

TEST(SharedStrings, AStringLongerThanACellCanBeIsRefused) {
  testing::TempDir dir;
  testing::WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", testing::sheet_xml(testing::row(1, testing::c_shared("A1", 0)))});
  spec.shared_strings = testing::shared_strings_xml({"corto", testing::noise(kMaxCellBytes + 1)});
  testing::write_workbook(dir.file("t.xlsx"), spec);
  EXPECT_THAT(testing::read_error(dir.file("t.xlsx")), HasSubstr("shared string 1 is longer than 1 MiB"));
}

}  // namespace
}  // namespace sseccoe::xlsx
