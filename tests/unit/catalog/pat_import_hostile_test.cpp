// Broken, truncated, mis-encoded and huge documents: a clear error with the
// line, or a warning, never a crash and never memory that grows with the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <streambuf>

#include "catalog/pat_import.hpp"
#include "heap_meter.hpp"
#include "support.hpp"

namespace sseccoe::catalog {
namespace {

using testing::replace_once;
using testing::seed;

ImportError import_error(const std::string& doc) {
  std::istringstream in(doc);
  try {
    import_pat_text(in);
  } catch (const ImportError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an ImportError";
  return ImportError(0, "");
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(PatImportHostile, EmptyInput) {
  const auto e = import_error("");
  EXPECT_EQ(e.line, 0u);
  EXPECT_TRUE(contains(e.what(), "no activity rows found")) << e.what();
}

TEST(PatImportHostile, DateThatIsNotADate) {
  const auto e = import_error(replace_once(seed(), "01/02/2021\t03/12/2021\tConstancia", "31/02/2021\t03/12/2021\tConstancia"));
  EXPECT_EQ(e.line, 52u);
  EXPECT_STREQ(e.what(), "line 52: activity 1.1.1: start date '31/02/2021' is not a date (expected dd/mm/yyyy)");
}

TEST(PatImportHostile, WordsInsteadOfADate) {
  const auto e = import_error(replace_once(seed(), "18/01/2021\t03/12/2021", "18/01/2021\tdiciembre"));
  EXPECT_TRUE(contains(e.what(), "activity 2.1.1: end date 'diciembre' is not a date")) << e.what();
}

TEST(PatImportHostile, WindowThatEndsBeforeItStarts) {
  const auto e = import_error(replace_once(seed(), "12/04/2021\t29/10/2021", "12/04/2021\t29/10/2020"));
  EXPECT_EQ(e.line, 168u);
  EXPECT_TRUE(contains(e.what(), "activity 5.2.1: it ends (2020-10-29) before it starts (2021-04-12)"));
}

TEST(PatImportHostile, RowWithTooFewCells) {
  const auto e = import_error(replace_once(
      seed(), "\t01/02/2021\t03/12/2021\tConstancia o captura de pantalla de que el curso fue acreditado.\tCargas",
      "\t01/02/2021\tCargas"));
  EXPECT_EQ(e.line, 52u);
  EXPECT_TRUE(contains(e.what(), "activity 1.1.1: the row has 4 non-empty cells")) << e.what();
}

TEST(PatImportHostile, RowThatLostItsTabs) {
  std::string doc = seed();
  const auto at = doc.find("1.1.2.\t");
  const auto eol = doc.find('\n', at);
  std::string row = doc.substr(at, eol - at);
  std::replace(row.begin(), row.end(), '\t', ' ');
  doc.replace(at, eol - at, row);
  const auto e = import_error(doc);
  EXPECT_EQ(e.line, 53u);
  EXPECT_TRUE(contains(e.what(), "activity 1.1.2: the row has no tab-separated cells")) << e.what();
}

TEST(PatImportHostile, KeyThatFitsNoIndicator) {
  const auto e = import_error(replace_once(seed(), "1.1.2.\t", "1.3.2.\t"));
  EXPECT_EQ(e.line, 53u);
  EXPECT_TRUE(contains(e.what(), "activity 1.3.2 does not fit indicator 1.1 (the 'Indicador' table on line 47)"))
      << e.what();
}

TEST(PatImportHostile, ActivityBeforeAnyIndicator) {
  const auto e = import_error("PAT 2021\n1.1.1.\tHacer algo.\t01/02/2021\t03/12/2021\tRegistro en el SSECCOE.\tNinguno.\n");
  EXPECT_EQ(e.line, 2u);
  EXPECT_TRUE(contains(e.what(), "comes before any 'Indicador' row")) << e.what();
}

TEST(PatImportHostile, KeyWithTwoNumbers) {
  const auto e = import_error(replace_once(seed(), "1.1.2.\t", "1.1.\t"));
  EXPECT_TRUE(contains(e.what(), "activity key '1.1.' has 2 numbers")) << e.what();
}

TEST(PatImportHostile, NumberedRowsOutsideTablesAreNotActivities) {
  // A table of contents before the first indicator: warned, not fatal.
  std::string doc = seed();
  doc.insert(doc.find("PRESENTACI"), "1.1\tCapacitación\t3\n2.1\tDifusión\t4\n");
  std::istringstream in(doc);
  const auto r = import_pat_text(in);
  EXPECT_EQ(r.catalog.activities.size(), 15u);
  EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
    return contains(w, "line 15: row '1.1 Capacitación 3' is outside an activity table; ignored");
  }));
}

TEST(PatImportHostile, DuplicateActivity) {
  const auto e = import_error(replace_once(seed(), "1.1.2.\t", "1.1.1.\t"));
  EXPECT_EQ(e.line, 53u);
  EXPECT_TRUE(contains(e.what(), "activity 1.1.1 appears twice (first on line 52)")) << e.what();
}

TEST(PatImportHostile, TwoIndicatorsWithTheSameKey) {
  const auto e = import_error(replace_once(seed(), "1.2.1.\t", "1.1.3.\t"));
  EXPECT_EQ(e.line, 63u);
  EXPECT_TRUE(contains(e.what(), "indicator 1.1 appears twice with different texts (lines 47 and 63)")) << e.what();
}

TEST(PatImportHostile, Utf16IsRefusedWithAHint) {
  const auto e = import_error(std::string("\xFF\xFE" "I\0N\0", 6));
  EXPECT_EQ(e.line, 1u);
  EXPECT_TRUE(contains(e.what(), "UTF-16")) << e.what();
}

TEST(PatImportHostile, TruncatedInTheLastRow) {
  const std::string s = seed();
  const auto e = import_error(s.substr(0, s.find("29/10/2021") + 8));  // "...\t12/04/2021\t29/10/20"
  EXPECT_EQ(e.line, 168u);
  EXPECT_TRUE(contains(e.what(), "activity 5.2.1")) << e.what();
}

TEST(PatImportHostile, TruncatedBetweenRowsStillImportsWithAWarning) {
  const std::string s = seed();
  std::istringstream in(s.substr(0, s.find("V. MEJORA")));
  const auto r = import_pat_text(in);
  EXPECT_EQ(r.catalog.activities.size(), 13u);
  EXPECT_EQ(r.catalog.indicators.size(), 7u);
  EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
    return contains(w, "announces 15 activities but has 13");
  }));
}

TEST(PatImportHostile, EveryTruncationEitherImportsOrExplains) {
  const std::string s = seed();
  for (std::size_t cut = 0; cut < s.size(); cut += 37) {
    std::istringstream in(s.substr(0, cut));
    try {
      const auto r = import_pat_text(in);
      EXPECT_FALSE(r.catalog.activities.empty());
    } catch (const ImportError& e) {
      EXPECT_GT(std::string(e.what()).size(), 10u) << "cut at " << cut;
    }
  }
}

TEST(PatImportHostile, BinaryGarbage) {
  std::string junk;
  std::uint32_t x = 12345;
  for (int i = 0; i < 1 << 20; ++i) {
    x = x * 1664525u + 1013904223u;
    junk += static_cast<char>(x >> 24);
  }
  const auto e = import_error(junk);
  EXPECT_TRUE(contains(e.what(), "no activity rows found") || e.line > 0) << e.what();
}

TEST(PatImportHostile, OverlongLineIsSkippedWithAWarning) {
  std::string doc = seed();
  doc.insert(doc.find("PRESENTACI"), std::string(200000, 'x') + "\n");
  std::istringstream in(doc);
  const auto r = import_pat_text(in);
  EXPECT_EQ(r.catalog.activities.size(), 15u);
  EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(),
                          [](const std::string& w) { return contains(w, "line 15: longer than 64 KiB"); }));
}

TEST(PatImportHostile, WarningsAreCapped) {
  std::string doc = seed();
  std::string noise;
  for (int i = 0; i < 5000; ++i) noise += "\tfila sin clave\n";
  doc.insert(doc.find("II. Difusi"), noise);
  std::istringstream in(doc);
  const auto r = import_pat_text(in);
  EXPECT_LE(r.warnings.size(), 110u);
  EXPECT_TRUE(contains(r.warnings.back(), "more warning(s) not shown")) << r.warnings.back();
}

// Generates `total` bytes of junk lines on the fly (never all in memory):
// text, tabs, high bytes, CRLF, and one line of several megabytes.
class JunkBuf : public std::streambuf {
 public:
  explicit JunkBuf(std::size_t total) : left_(total) {}

 protected:
  int_type underflow() override {
    if (left_ == 0) return traits_type::eof();
    const std::size_t n = std::min(left_, buf_.size());
    for (std::size_t i = 0; i < n; ++i) {
      x_ = x_ * 1103515245u + 12345u;
      const unsigned r = (x_ >> 16) & 0x7FFF;
      char c;
      if (produced_ > (8u << 20) && produced_ < (13u << 20)) c = 'A';  // a 5 MB line
      else if (r % 61 == 0) c = '\n';
      else if (r % 67 == 0) c = '\r';
      else if (r % 13 == 0) c = '\t';
      else if (r % 11 == 0) c = static_cast<char>(0x80 + r % 128);
      else c = static_cast<char>('0' + r % 75);
      buf_[i] = c;
      ++produced_;
    }
    left_ -= n;
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  std::array<char, 1 << 16> buf_{};
  std::size_t left_;
  std::size_t produced_ = 0;
  std::uint32_t x_ = 42;
};

TEST(PatImportHostile, FiftyMegabytesOfJunkInBoundedMemory) {
  const std::size_t before = testing::live_heap_bytes();
  testing::reset_peak_heap_bytes();
  JunkBuf buf(50u << 20);
  std::istream in(&buf);
  try {
    import_pat_text(in);
    ADD_FAILURE() << "junk must not import";
  } catch (const ImportError& e) {
    EXPECT_TRUE(contains(e.what(), "no activity rows found")) << e.what();
  }
  const std::size_t grown_mib = (testing::peak_heap_bytes() - before) >> 20;
  EXPECT_LT(grown_mib, 4u) << "the importer must stream: its heap peaked " << grown_mib << " MiB above the start";
}

}  // namespace
}  // namespace sseccoe::catalog
