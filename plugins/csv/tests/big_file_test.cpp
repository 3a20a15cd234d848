// A million-row export, generated here, read with flat memory.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "byte_source.hpp"
#include "csv_options.hpp"
#include "csv_source.hpp"
#include "record_reader.hpp"
#include "test_support.hpp"

namespace sseccoe::csv {
namespace {

using testing::TempDir;

constexpr std::uint64_t kRows = 1'000'000;

// Counts what it is given and keeps nothing, so that memory measured is the
// plugin's and the harvest's, not a test double's.
class CountingEmitter final : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) override {
    ++emitted;
    if (item.people.empty() || item.people[0].name.empty()) ++without_name;
    return {sdk::EmitOutcome::New, "ev-test", ""};
  }
  void quarantine(std::string_view, std::string_view, std::string_view) override { ++quarantined; }
  std::optional<sdk::KnownItem> known(std::string_view) override { return std::nullopt; }
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view) override {}
  void log(sdk::LogLevel, std::string_view) override {}
  std::uint64_t emitted = 0, quarantined = 0, without_name = 0;
};

// Windows-1252, semicolons, CRLF, a quoted field every tenth row: the
// export as Excel writes it on a Spanish Windows.
void generate(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
  std::fputs("No. Empleado;Nombre;Curso;Fecha;Horas\r\n", f);
  char line[160];
  for (std::uint64_t i = 0; i < kRows; ++i) {
    const int n = std::snprintf(line, sizeof line, "%llu;%s %llu;%s;%02llu/%02llu/2021;%llu,5\r\n",
                                static_cast<unsigned long long>(100000 + i),
                                i % 10 == 0 ? "\"Pe\xF1" "a, Jos\xE9\"" : "N\xFA\xF1" "ez Ib\xE1\xF1" "ez",
                                static_cast<unsigned long long>(i), i % 2 ? "\xC9tica p\xFA" "blica" : "Conflictos",
                                static_cast<unsigned long long>(1 + i % 28), static_cast<unsigned long long>(2 + i % 10),
                                static_cast<unsigned long long>(i % 40));
    std::fwrite(line, 1, static_cast<std::size_t>(n), f);
  }
  ASSERT_EQ(std::fclose(f), 0);
}

TEST(BigFile, AMillionRowsStreamWithBoundedMemory) {
  TempDir t;
  const std::string path = t.path("capacitacion.csv");
  generate(path);

  // The reader alone: a fixed buffer and one record, whatever the file's size.
  testing::reset_peak_rss();
  const std::uint64_t base_reader = testing::peak_rss();
  std::uint64_t records = 0;
  {
    FileSource src;
    ASSERT_FALSE(src.open(path));
    RecordReader reader(src, 0, ';');
    for (RecordReader::Event e; (e = reader.next()) != RecordReader::Event::End;)
      records += e == RecordReader::Event::Record;
  }
  const std::uint64_t reader_growth = testing::peak_rss() - base_reader;
  EXPECT_EQ(records, kRows + 1);

  // The whole source: reader, decoder and TableHarvest (which keeps a
  // digest of each key it saw, about 12 to 18 bytes a row, by design).
  testing::reset_peak_rss();
  const std::uint64_t base_source = testing::peak_rss();
  sdk::SourceConfig c = testing::config_with(
      path, {{"employee_id", "No. Empleado"}, {"name", "Nombre"}, {"course", "Curso"}, {"occurred_on", "Fecha"}},
      {"employee_id"});
  CsvSource source(read_settings(c));
  CountingEmitter out;
  source.harvest({}, out, {});
  const std::uint64_t source_growth = testing::peak_rss() - base_source;

  EXPECT_EQ(out.emitted, kRows);
  EXPECT_EQ(out.quarantined, 0u);
  EXPECT_EQ(out.without_name, 0u);
  EXPECT_TRUE(source.last_pass().complete);
  std::printf("[csv.BigFile] %llu rows: peak RSS growth reader alone %.1f MiB, whole source %.1f MiB\n",
              static_cast<unsigned long long>(kRows), reader_growth / 1048576.0, source_growth / 1048576.0);
  // Generous bounds: the point is that neither holds the file (about 50 MB).
  EXPECT_LT(reader_growth, 8ull << 20);
  EXPECT_LT(source_growth, 64ull << 20);
}

}  // namespace
}  // namespace sseccoe::csv
