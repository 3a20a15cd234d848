// The csv source end to end in-process: real files, the real TableHarvest,
// a fake emitter standing in for the core.
#include <iconv.h>
#include <sys/time.h>

#include <ctime>

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "csv_options.hpp"
#include "csv_source.hpp"
#include "test_support.hpp"

namespace sseccoe::csv {
namespace {

using testing::FakeEmitter;
using testing::TempDir;

const char* const kHeader = "No. Empleado;Nombre;Curso;Fecha";

sdk::SourceConfig config_for(const std::string& path) {
  return testing::config_with(path, {{"employee_id", "No. Empleado"}, {"name", "Nombre"}, {"course", "Curso"},
                                     {"occurred_on", "Fecha"}},
                              {"employee_id", "course"});
}

CsvSource source_for(const sdk::SourceConfig& c) { return CsvSource(read_settings(c)); }

std::string lines(const std::vector<std::string>& ls, const std::string& eol = "\n") {
  std::string out;
  for (const auto& l : ls) out += l + eol;
  return out;
}

std::string to_cp1252(const std::string& utf8) {
  iconv_t cd = ::iconv_open("CP1252", "UTF-8");
  std::string out(utf8.size(), '\0');
  char* src = const_cast<char*>(utf8.data());
  std::size_t src_left = utf8.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  const std::size_t r = ::iconv(cd, &src, &src_left, &dst, &dst_left);
  ::iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) throw std::runtime_error("not representable in CP1252");
  out.resize(out.size() - dst_left);
  return out;
}

const sdk::Item& item(const FakeEmitter& out, const std::string& key) {
  const testing::Emitted* e = out.find(key);
  if (e == nullptr) throw std::runtime_error("not emitted: " + key + "\n" + out.dump());
  return e->item;
}

// Three people, one of them twice (two courses).
const std::vector<std::string> kRows = {
    "1001;José Núñez;Ética pública;14/05/2021",
    "1002;María Peña;Conflictos de interés;2021-06-01",
    "1001;José Núñez;Código de Conducta;2021-07-20",
};

TEST(CsvSource, Windows1252WithSemicolonsComesOutRight) {
  TempDir t;
  const std::string p = t.write("capacitacion.csv", to_cp1252(lines({kHeader, kRows[0], kRows[1], kRows[2]}, "\r\n")));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 3u) << out.dump();
  const sdk::Item& jose = item(out, "row:1001|Ética pública");
  ASSERT_EQ(jose.people.size(), 1u);
  EXPECT_EQ(jose.people[0].name, "José Núñez");
  EXPECT_EQ(jose.people[0].employee_id, "1001");
  EXPECT_EQ(jose.metadata.at("course"), "Ética pública");
  EXPECT_EQ(jose.occurred_on, "2021-05-14");
  EXPECT_EQ(jose.metadata.at("line"), "2");
  EXPECT_EQ(jose.locator, "file://" + p + "#line=2");
  EXPECT_EQ(item(out, "row:1002|Conflictos de interés").people[0].name, "María Peña");
  EXPECT_TRUE(out.quarantined.empty()) << out.dump();
  EXPECT_TRUE(out.logged("encoding windows-1252, detected")) << out.dump();
  EXPECT_TRUE(out.logged("delimiter ';' (detected)")) << out.dump();
}

TEST(CsvSource, Utf8WithByteOrderMark) {
  TempDir t;
  const std::string p =
      t.write("capacitacion.csv", "\xEF\xBB\xBF" + lines({"No. Empleado,Nombre,Curso,Fecha", "1001,José Núñez,Ética,2021-05-14"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 1u) << out.dump();
  EXPECT_EQ(item(out, "row:1001|Ética").people[0].name, "José Núñez");
  EXPECT_TRUE(out.logged("encoding utf-8, byte-order mark")) << out.dump();
}

TEST(CsvSource, QuotedNewlinesKeepLineNumbersRight) {
  TempDir t;
  const std::string p = t.write("capacitacion.csv", lines({kHeader, "1001;\"Núñez\nJosé\";\"Ética\npública\";2021-05-14",
                                                           "1002;María;Conflictos;2021-06-01"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_EQ(item(out, "row:1001|Ética\npública").metadata.at("line"), "2");
  EXPECT_EQ(item(out, "row:1002|Conflictos").metadata.at("line"), "5") << "the row above spans lines 2 to 4";
  EXPECT_EQ(item(out, "row:1002|Conflictos").locator, "file://" + p + "#line=5");
}

TEST(CsvSource, CrLfLineEnds) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, "1001;Ana;Ética;2021-05-14", "1002;Luis;Ética;2021-05-15"}, "\r\n"));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 2u) << out.dump();
  EXPECT_EQ(item(out, "row:1002|Ética").metadata.at("course"), "Ética") << "no CR left in the last cell";
  EXPECT_EQ(item(out, "row:1002|Ética").occurred_on, "2021-05-15");
  EXPECT_EQ(item(out, "row:1002|Ética").metadata.at("line"), "3");
}

TEST(CsvSource, RaggedRowIsQuarantinedAloneAndTheRestHarvested) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, "1001;Ana;Ética;2021-05-14", "1002;Luis;Ética;2021-05-15;extra",
                                                "1003;Eva;Ética;2021-05-16"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_EQ(out.emitted_keys(), (std::set<std::string>{"row:1001|Ética", "row:1003|Ética"}));
  ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
  EXPECT_EQ(out.quarantined[0].key, "line:c.csv#3");
  EXPECT_EQ(out.quarantined[0].reason, "line 3 has 5 fields, the header has 4");
  EXPECT_EQ(out.quarantined[0].locator, "file://" + p + "#line=3");
}

TEST(CsvSource, DuplicateKeyQuarantinesTheSecondNamingBothLines) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, "1001;Ana;Ética;2021-05-14", "1002;Luis;Ética;2021-05-15",
                                                "1001;Ana B.;Ética;2021-05-16"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_EQ(item(out, "row:1001|Ética").people[0].name, "Ana");
  ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
  EXPECT_EQ(out.quarantined[0].key, "row:1001|Ética");
  EXPECT_NE(out.quarantined[0].reason.find("duplicate key (line 2 and line 4)"), std::string::npos)
      << out.quarantined[0].reason;
}

TEST(CsvSource, BytesThatAreNotUtf8QuarantineOnlyTheirRow) {
  TempDir t;
  std::vector<std::string> rows = {kHeader};
  for (int i = 0; i < 20; ++i) rows.push_back(std::to_string(2000 + i) + ";Peña Ibáñez;Ética;2021-05-14");
  rows.push_back("3000;Pe\xF1" "a;Ética;2021-05-14");  // one row saved from another program
  rows.push_back("3001;Núñez;Ética;2021-05-14");
  const std::string p = t.write("c.csv", lines(rows));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_EQ(out.emitted.size(), 21u) << out.dump();
  EXPECT_EQ(item(out, "row:3001|Ética").people[0].name, "Núñez");
  ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
  EXPECT_EQ(out.quarantined[0].key, "line:c.csv#22");
  const std::string& why = out.quarantined[0].reason;
  EXPECT_EQ(why.rfind("line 22: column \"Nombre\" holds bytes that are not utf-8 text (the file is read as utf-8, "
                      "detected",
                      0),
            0u)
      << why;
  const std::string tail = "; if the export was saved as Windows-1252, set encoding = \"windows-1252\"";
  EXPECT_EQ(why.substr(why.size() - tail.size()), tail) << why;
}

TEST(CsvSource, BadBytesInAColumnNoFieldMapsDoNotQuarantine) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({"No. Empleado;Nombre;Curso;Fecha;Notas", "1001;Peña;Ética;2021-05-14;ok",
                                                "1002;Ana;Ética;2021-05-14;mal\xF1"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_EQ(out.emitted.size(), 2u) << out.dump();
  EXPECT_TRUE(out.quarantined.empty()) << out.dump();
}

TEST(CsvSource, TruncatedFileHarvestsWhatItCanAndMarksNothingGone) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, "1001;Ana;Ética;2021-05-14", "1002;Luis;Ética;2021-05-15"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  sdk::Cursor c = src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 2u);
  // The export is rewritten and cut inside a quoted field of its last row.
  t.write("c.csv", lines({kHeader, "1001;Ana;Ética;2021-05-14"}) + "1003;\"Eva", std::chrono::seconds(30));
  out.clear_pass();
  c = src.harvest(c, out, {});
  ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
  EXPECT_EQ(out.quarantined[0].reason,
            "line 3: the file ends inside a quoted field of the row that starts on line 3 (an unterminated quote, or "
            "a file cut short)");
  EXPECT_EQ(out.find("row:1001|Ética")->outcome, sdk::EmitOutcome::Unchanged);
  EXPECT_TRUE(out.gone_keys.empty()) << "row 1002 may be in the part that was cut off";
  EXPECT_FALSE(src.last_pass().complete);
}

TEST(CsvSource, EmptyFileIsQuarantinedAndMarksNothingGone) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, "1001;Ana;Ética;2021-05-14"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  sdk::Cursor c = src.harvest({}, out, {});
  t.write("c.csv", "", std::chrono::seconds(30));
  out.clear_pass();
  src.harvest(c, out, {});
  ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
  EXPECT_EQ(out.quarantined[0].key, "table:c.csv");
  EXPECT_NE(out.quarantined[0].reason.find("no header row, the export is empty"), std::string::npos)
      << out.quarantined[0].reason;
  EXPECT_TRUE(out.gone_keys.empty());
  EXPECT_TRUE(out.emitted.empty());
}

TEST(CsvSource, HeaderOnlyFileHasNoRows) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_TRUE(out.emitted.empty()) << out.dump();
  EXPECT_TRUE(out.quarantined.empty()) << out.dump();
  EXPECT_EQ(src.last_pass().read, 1u);
  EXPECT_TRUE(src.last_pass().complete);
}

TEST(CsvSource, HugeFieldIsQuarantinedAndReadingGoesOn) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, "1001;Ana;\"" + std::string(5000, 'x') + ";2021-05-14",
                                                "1002;Luis;Ética;2021-05-15", "1003;Eva;Ética;2021-05-16"}));
  sdk::SourceConfig c = config_for(p);
  c.options.set("max_row_size", std::int64_t{1024});
  FakeEmitter out;
  auto src = source_for(c);
  src.harvest({}, out, {});
  EXPECT_EQ(out.emitted_keys(), (std::set<std::string>{"row:1002|Ética", "row:1003|Ética"})) << out.dump();
  ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
  EXPECT_EQ(out.quarantined[0].reason, "line 2: a field longer than 1 KiB (an unterminated quote?)");
}

TEST(CsvSource, ForcedEncodingWins) {
  TempDir t;
  // 0x80 is the euro sign in Windows-1252 and a control character in Latin-1.
  const std::string p = t.write("c.csv", lines({kHeader, "1001;Ana \x80;Ética;2021-05-14"}));
  for (const auto& [enc, name] : std::vector<std::pair<std::string, std::string>>{{"windows-1252", "Ana €"},
                                                                                   {"latin-1", "Ana \xC2\x80"}}) {
    sdk::SourceConfig c = config_for(p);
    c.options.set("encoding", enc);
    FakeEmitter out;
    auto src = source_for(c);
    src.harvest({}, out, {});
    ASSERT_EQ(out.emitted.size(), 1u) << enc << "\n" << out.dump();
    EXPECT_EQ(out.emitted[0].item.people[0].name, name) << enc;
  }
  // Forced UTF-8 on a Windows-1252 file: the rows are refused, and the
  // reason says the encoding was set, not guessed.
  sdk::SourceConfig c = config_for(p);
  c.options.set("encoding", std::string("utf-8"));
  FakeEmitter out;
  auto src = source_for(c);
  src.harvest({}, out, {});
  ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
  EXPECT_NE(out.quarantined[0].reason.find("(the file is read as utf-8, set)"), std::string::npos)
      << out.quarantined[0].reason;
}

TEST(CsvSource, DetectsEachDelimiter) {
  for (const char d : {',', ';', '\t', '|'}) {
    TempDir t;
    const std::string s(1, d);
    const std::string p = t.write("c.csv", lines({"No. Empleado" + s + "Nombre" + s + "Curso" + s + "Fecha",
                                                  "1001" + s + "\"Pérez, Juan; Jr.\"" + s + "Ética" + s + "2021-05-14",
                                                  "1002" + s + "Ana" + s + "Ética" + s + "2021-05-15"}));
    FakeEmitter out;
    auto src = source_for(config_for(p));
    src.harvest({}, out, {});
    ASSERT_EQ(out.emitted.size(), 2u) << "delimiter " << int(d) << "\n" << out.dump();
    EXPECT_EQ(item(out, "row:1001|Ética").people[0].name, "Pérez, Juan; Jr.");
  }
}

TEST(CsvSource, ExcelSepLineDeclaresTheDelimiterAndIsNoRow) {
  TempDir t;
  // Excel writes this line when asked to; it is no header and no row.
  const std::string p = t.write("c.csv", lines({"sep=;", "No. Empleado;Nombre;Curso;Fecha", "1001;Ana, B.;Ética;2021-05-14"}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 1u) << out.dump();
  EXPECT_EQ(item(out, "row:1001|Ética").people[0].name, "Ana, B.");
  EXPECT_EQ(item(out, "row:1001|Ética").metadata.at("line"), "3") << "the sep= line is line 1";
  EXPECT_TRUE(out.logged("delimiter ';' (sep= line)")) << out.dump();
}

TEST(CsvSource, Utf16IsRefusedWithAdvice) {
  TempDir t;
  const std::string p = t.write("c.csv", std::string("\xFF\xFEN\0o\0", 6));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_EQ(out.quarantined[0].key, "table:c.csv");
  EXPECT_NE(out.quarantined[0].reason.find("UTF-16"), std::string::npos);
  EXPECT_NE(out.quarantined[0].reason.find("CSV UTF-8"), std::string::npos);
}

TEST(CsvSource, AZipOrBinaryFileIsRefusedAsAWhole) {
  TempDir t;
  const std::string zip = t.write("libro.csv", std::string("PK\x03\x04\x14\0\x06\0", 8) + std::string(100, '\0'));
  FakeEmitter out;
  auto src = source_for(config_for(zip));
  src.harvest({}, out, {});
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_NE(out.quarantined[0].reason.find("ZIP archive (an .xlsx workbook saved under a .csv name?)"),
            std::string::npos);
  std::string utf16;  // UTF-16LE without a byte-order mark
  for (const char c : std::string("No. Empleado;Nombre\r\n1;Ana\r\n")) utf16 += std::string(1, c) + '\0';
  const std::string bin = t.write("utf16.csv", utf16);
  FakeEmitter out2;
  auto src2 = source_for(config_for(bin));
  src2.harvest({}, out2, {});
  ASSERT_EQ(out2.quarantined.size(), 1u);
  EXPECT_NE(out2.quarantined[0].reason.find("the file is not text"), std::string::npos) << out2.quarantined[0].reason;
  EXPECT_FALSE(src2.last_pass().complete);
}

TEST(CsvSource, AFileChangedWhileReadIsReadAgainNextPass) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, kRows[0], kRows[1]}));
  FakeEmitter out;
  bool appended = false;
  out.after_emit = [&](const sdk::Item&) {
    if (appended) return;
    appended = true;
    std::FILE* f = std::fopen(p.c_str(), "ab");
    std::fputs("1003;Luis;Ética;2021-07-20\n", f);
    std::fclose(f);
  };
  auto src = source_for(config_for(p));
  const sdk::Cursor first = src.harvest({}, out, {});
  EXPECT_EQ(src.last_pass().retry, 1u);
  EXPECT_FALSE(src.last_pass().complete);
  EXPECT_EQ(first.value.find(p), std::string::npos) << "the file's version is not recorded: " << first.value;
  out.clear_pass();
  src.harvest(first, out, {});
  EXPECT_EQ(src.last_pass().read, 1u);
  EXPECT_NE(out.find("row:1003|Ética"), nullptr) << out.dump();
}

TEST(CsvSource, UnchangedFileIsNotReadAgainAndChangesAreRevisionsAndGone) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, kRows[0], kRows[1], kRows[2]}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  const sdk::Cursor first = src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 3u);
  EXPECT_NE(first.value.find("\"files\""), std::string::npos) << first.value;

  out.clear_pass();
  const sdk::Cursor second = src.harvest(first, out, {});
  EXPECT_TRUE(src.last_pass().skipped);
  EXPECT_TRUE(out.emitted.empty());
  EXPECT_EQ(second.value, first.value);

  // María's date corrected, the second course of José removed, rows reordered.
  t.write("c.csv", lines({kHeader, "1002;María Peña;Conflictos de interés;2021-06-02", kRows[0]}), std::chrono::seconds(60));
  out.clear_pass();
  src.harvest(second, out, {});
  EXPECT_EQ(out.find("row:1002|Conflictos de interés")->outcome, sdk::EmitOutcome::Changed);
  EXPECT_EQ(out.find("row:1001|Ética pública")->outcome, sdk::EmitOutcome::Unchanged) << "moving is no change";
  EXPECT_EQ(out.gone_keys, (std::vector<std::string>{"row:1001|Código de Conducta"}));
  EXPECT_TRUE(src.last_pass().complete);
}

TEST(CsvSource, ChangedSettingsReadUnchangedFilesAgain) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, kRows[0]}));
  FakeEmitter out;
  const sdk::Cursor first = source_for(config_for(p)).harvest({}, out, {});
  sdk::SourceConfig c = config_for(p);
  c.options.set("delimiter", std::string(";"));
  out.clear_pass();
  auto src = source_for(c);
  src.harvest(first, out, {});
  EXPECT_FALSE(src.last_pass().skipped);
  EXPECT_EQ(out.emitted.size(), 1u) << out.dump();
}

TEST(CsvSource, GlobReadsEveryFileAndOneBadFileBlocksOnlyGone) {
  TempDir t;
  t.write("rh/capacitacion_01.csv", lines({kHeader, "1001;Ana;Ética;2021-01-14"}));
  t.write("rh/capacitacion_02.csv", lines({"No. Empleado,Nombre,Curso,Fecha", "1002,Luis,Ética,2021-02-14"}));
  FakeEmitter out;
  auto src = source_for(config_for(t.path("rh/capacitacion_*.csv")));
  sdk::Cursor c = src.harvest({}, out, {});
  EXPECT_EQ(out.emitted_keys(), (std::set<std::string>{"row:1001|Ética", "row:1002|Ética"}));
  EXPECT_EQ(out.find("row:1002|Ética")->item.metadata.at("table"), "capacitacion_02.csv");

  // A third file arrives in UTF-16, and Luis's row leaves the second.
  t.write("rh/capacitacion_03.csv", std::string("\xFF\xFEN\0", 4));
  t.write("rh/capacitacion_02.csv", lines({"No. Empleado,Nombre,Curso,Fecha"}), std::chrono::seconds(60));
  out.clear_pass();
  c = src.harvest(c, out, {});
  EXPECT_EQ(out.find("row:1001|Ética")->outcome, sdk::EmitOutcome::Unchanged) << "every file is read";
  ASSERT_NE(out.find_quarantine("table:capacitacion_03.csv"), nullptr) << out.dump();
  EXPECT_TRUE(out.gone_keys.empty()) << "a refused file may hold the row";
  EXPECT_FALSE(src.last_pass().complete);

  // The bad file is removed: now the pass is complete and the row is gone.
  t.remove("rh/capacitacion_03.csv");
  out.clear_pass();
  src.harvest(c, out, {});
  EXPECT_EQ(out.gone_keys, (std::vector<std::string>{"row:1002|Ética"}));
}

TEST(CsvSource, AFileStillBeingWrittenWaitsForSettle) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, kRows[0]}), std::chrono::seconds(0));
  sdk::SourceConfig c = config_for(p);
  c.options.set("settle", std::int64_t{60'000});
  FakeEmitter out;
  auto src = source_for(c);
  const sdk::Cursor first = src.harvest({}, out, {});
  EXPECT_TRUE(out.emitted.empty());
  EXPECT_EQ(src.last_pass().settling, 1u);
  ASSERT_TRUE(src.next_due().has_value());
  EXPECT_GT(*src.next_due(), std::chrono::steady_clock::now() + std::chrono::seconds(50));
  EXPECT_TRUE(first.empty()) << "nothing read, nothing recorded";
  t.set_age("c.csv", std::chrono::seconds(120));
  src.harvest(first, out, {});
  EXPECT_EQ(out.emitted.size(), 1u);
}

TEST(CsvSource, CensusCountsRowsIntoOneItem) {
  TempDir t;
  std::vector<std::string> rows = {"No. Empleado;Nombre;Unidad"};
  for (int i = 0; i < 250; ++i) rows.push_back(std::to_string(5000 + i) + ";Persona " + std::to_string(i) + ";OIC");
  const std::string p = t.write("plantilla.csv", lines(rows));
  sdk::SourceConfig c = testing::config_with(p, {}, {});
  c.role = "census";
  FakeEmitter out;
  auto src = source_for(c);
  src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 1u) << out.dump();
  const sdk::Item& census = out.emitted[0].item;
  EXPECT_EQ(census.natural_key, "census:plantilla.csv");
  EXPECT_EQ(census.metadata.at("count"), "250");
  EXPECT_TRUE(census.people.empty());
  EXPECT_FALSE(census.occurred_on.empty());
}

TEST(CsvSource, MissingFileFailsTheSourceAndSaysWhatToDo) {
  TempDir t;
  auto src = source_for(config_for(t.path("plantilla.csv")));
  FakeEmitter out;
  try {
    src.harvest({}, out, {});
    FAIL() << "a missing export must fail the pass";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("source 'capacitacion': " + t.path("plantilla.csv") + " does not exist"),
              std::string::npos)
        << e.what();
  }
  EXPECT_NE(src.probe().find("does not exist"), std::string::npos);
  t.write("plantilla.csv", lines({kHeader}));
  EXPECT_EQ(src.probe(), "");
}

TEST(CsvSource, StopReturnsTheCursorItWasGiven) {
  TempDir t;
  const std::string p = t.write("c.csv", lines({kHeader, kRows[0]}));
  std::stop_source stop;
  stop.request_stop();
  FakeEmitter out;
  auto src = source_for(config_for(p));
  const sdk::Cursor from{"{\"v\":1}"};
  EXPECT_EQ(src.harvest(from, out, stop.get_token()).value, from.value);
  EXPECT_TRUE(out.emitted.empty());
}

// Sets a file's modification time to `unix` seconds.
void set_mtime(const std::string& path, std::time_t unix) {
  const struct timeval times[2] = {{unix, 0}, {unix, 0}};
  ASSERT_EQ(::utimes(path.c_str(), times), 0) << path;
}

std::string local_day(std::time_t unix) {
  std::tm tm{};
  ::localtime_r(&unix, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

sdk::SourceConfig roster_config(const std::string& path) {
  return testing::config_with(path, {{"employee_id", "No. Empleado"}, {"name", "Nombre"}, {"role", "Cargo"}},
                              {"employee_id"});
}

// 2021-05-14 12:00 UTC: the same day in every Mexican time zone.
constexpr std::time_t kMay2021 = 1621015200;

TEST(CsvSource, ARosterWithoutADateColumnIsDatedByTheFilesMtime) {
  TempDir t;
  const std::string p = t.write("directorio.csv", lines({"No. Empleado;Nombre;Cargo", "1001;José Núñez;Presidente",
                                                         "1002;María Peña;Secretaria"}));
  set_mtime(p, kMay2021);
  FakeEmitter out;
  auto src = source_for(roster_config(p));
  const sdk::Cursor first = src.harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 2u) << out.dump();
  for (const auto& e : out.emitted) {
    EXPECT_EQ(e.item.occurred_on, local_day(kMay2021));
    EXPECT_EQ(e.item.occurred_on_from, "export:mtime");
    EXPECT_EQ(e.outcome, sdk::EmitOutcome::New);
  }

  // Exported again the next day, the same cells: read again, nothing changed.
  t.write("directorio.csv", lines({"No. Empleado;Nombre;Cargo", "1001;José Núñez;Presidente",
                                   "1002;María Peña;Secretaria"}));
  set_mtime(p, kMay2021 + 86400);
  out.clear_pass();
  src.harvest(first, out, {});
  ASSERT_EQ(out.emitted.size(), 2u) << "a new mtime is read again: " << out.dump();
  for (const auto& e : out.emitted) EXPECT_EQ(e.outcome, sdk::EmitOutcome::Unchanged) << e.item.natural_key;

  // A training list with its date column keeps the column's dates.
  const std::string q = t.write("capacitacion.csv", lines({kHeader, "1001;Ana;Ética;14/05/2021", "1002;Eva;Ética;"}));
  FakeEmitter out2;
  auto src2 = source_for(config_for(q));
  src2.harvest({}, out2, {});
  EXPECT_EQ(item(out2, "row:1001|Ética").occurred_on_from, "column:Fecha");
  EXPECT_EQ(item(out2, "row:1002|Ética").occurred_on, "") << "an empty date cell is not the export's date";
}

TEST(CsvSource, ControlCharactersQuarantineTheirRowsWithOneWarningForTheFile) {
  using namespace std::string_literals;
  TempDir t;
  std::string data = lines({kHeader, "1001;Ana;Ética;2021-05-14"});
  data += "1002;J\0o\0s\0e\0;Ética;2021-05-14\n"s;   // line 3: UTF-16 read as 8-bit text
  data += "1003;Luis;\x1A\x1A;2021-05-14\n";                          // line 4: a DOS end-of-file mark
  data += "1004;Eva\tRuiz;Ética;2021-05-15\n";                        // line 5: a tab is text
  data += "1005;Pe\xF1" "a\0;Ética;2021-05-14\n"s;   // line 6: junk that is no text at all
  const std::string p = t.write("c.csv", data);
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_EQ(out.emitted_keys(), (std::set<std::string>{"row:1001|Ética", "row:1004|Ética"})) << out.dump();
  ASSERT_EQ(out.quarantined.size(), 3u) << out.dump();
  EXPECT_EQ(out.quarantined[0].key, "line:c.csv#3");
  EXPECT_NE(out.quarantined[0].reason.find("line 3, column \"Nombre\": the cell holds the control character 0x00 "
                                           "(NUL)"),
            std::string::npos)
      << out.quarantined[0].reason;
  EXPECT_NE(out.quarantined[1].reason.find("line 4, column \"Curso\": the cell holds the control character 0x1A "
                                           "(SUB)"),
            std::string::npos)
      << out.quarantined[1].reason;
  EXPECT_EQ(out.quarantined[2].key, "line:c.csv#6");
  EXPECT_NE(out.quarantined[2].reason.find("column \"Nombre\" holds"), std::string::npos) << out.quarantined[2].reason;
  std::size_t warnings = 0;
  for (const auto& [level, m] : out.logs) {
    if (level != sdk::LogLevel::Warn || m.find("control characters") == std::string::npos) continue;
    ++warnings;
    EXPECT_NE(m.find("table 'c.csv': 2 rows hold control characters"), std::string::npos) << m;
    EXPECT_NE(m.find("the first at line 3 (0x00 (NUL))"), std::string::npos) << m;
  }
  EXPECT_EQ(warnings, 1u) << out.dump();
  const std::string text = out.dump();
  EXPECT_EQ(text.find("J?o?s"), std::string::npos) << "the cell is never shown";
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(item(out, "row:1004|Ética").people.at(0).name, "Eva\tRuiz");
}

TEST(CsvSource, ControlCharactersInAColumnNoFieldMapsAreNeverRead) {
  using namespace std::string_literals;
  TempDir t;
  const std::string p = t.write("c.csv", lines({"No. Empleado;Nombre;Curso;Fecha;Notas", "1001;Ana;Ética;2021-05-14;\x01\x02",
                                                "1002;Eva;Ética;2021-05-14;a\0b"s}));
  FakeEmitter out;
  auto src = source_for(config_for(p));
  src.harvest({}, out, {});
  EXPECT_EQ(out.emitted.size(), 2u) << out.dump();
  EXPECT_TRUE(out.quarantined.empty()) << out.dump();
}

TEST(CsvSource, ATitleLineTakenAsTheHeaderIsNamedAsSuch) {
  TempDir t;
  for (const std::string title : {"Directorio del Comité de Ética 2021", "Directorio del Comité de Ética 2021;;"}) {
    const std::string p = t.write("directorio.csv", lines({title, "No. Empleado;Nombre;Cargo", "1001;Ana;Vocal"}));
    FakeEmitter out;
    auto src = source_for(roster_config(p));
    src.harvest({}, out, {});
    EXPECT_TRUE(out.emitted.empty());
    ASSERT_EQ(out.quarantined.size(), 1u) << out.dump();
    EXPECT_EQ(out.quarantined[0].key, "table:directorio.csv");
    const std::string& why = out.quarantined[0].reason;
    EXPECT_NE(why.find("row 1 looks like a title (one non-empty cell, \"Directorio del Comité de Ética 2021\"), not "
                       "the column names: this plugin reads the column names from the first line (it has no "
                       "header_row option), so remove the title line(s) from the export"),
              std::string::npos)
        << why;
  }
}

}  // namespace
}  // namespace sseccoe::csv
