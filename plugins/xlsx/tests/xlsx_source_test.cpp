// The source end to end against a fake core: rows through TableHarvest,
// the cursor, damaged files, globs, settling, stopping.
#include <gmock/gmock.h>

#include <sys/stat.h>
#include <utime.h>

#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "harvest_cursor.hpp"
#include "sseccoe/sdk/table.hpp"
#include "test_support.hpp"
#include "xlsx_options.hpp"
#include "xlsx_plugin.hpp"

namespace sseccoe::xlsx {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::FakeEmitter;
using testing::TempDir;

struct Person {
  std::string id, name, curp, cargo;
  double alta;  // serial day
};

// A valid CURP (python-stdnum's example) and its malformed twin.
constexpr const char* kCurp = "BOXW310820HNERXN09";
constexpr const char* kBadCurp = "BOXW310820HNERXN08";

std::vector<Person> roster() {
  return {{"1001", "Ana Pérez", kCurp, "Presidenta", 44242},
          {"1002", "Luis Núñez", "", "Secretario", 44330},
          {"1003", "María Peña", "", "Vocal", 44505}};
}

// The roster as Excel writes it: texts in the shared strings, ids as numbers,
// dates as serial days with a date format, a title above the header when asked.
void write_roster(const std::string& path, const std::vector<Person>& people, bool title = false,
                  const std::string& sheet = "Hoja1", int truncate_at_percent = 0) {
  std::vector<std::string> strings = {"No. Empleado", "Nombre", "CURP", "Cargo", "Fecha de alta",
                                      "Directorio del Comité"};
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < strings.size(); ++i) index[strings[i]] = i;
  auto sst = [&](const std::string& s) {
    auto [it, fresh] = index.emplace(s, strings.size());
    if (fresh) strings.push_back(s);
    return it->second;
  };
  std::string rows;
  std::uint64_t r = 1;
  if (title) {
    rows += testing::row(r, testing::c_shared("A1", 5));
    r += 2;
  }
  const std::string h = std::to_string(r);
  rows += testing::row(r++, testing::c_shared("A" + h, 0) + testing::c_shared("B" + h, 1) +
                                testing::c_shared("C" + h, 2) + testing::c_shared("D" + h, 3) +
                                testing::c_shared("E" + h, 4));
  for (const auto& p : people) {
    const std::string n = std::to_string(r);
    std::string cells = testing::c_num("A" + n, p.id) + testing::c_shared("B" + n, sst(p.name));
    if (!p.curp.empty()) cells += testing::c_shared("C" + n, sst(p.curp));
    cells += testing::c_shared("D" + n, sst(p.cargo)) +
             testing::c_num("E" + n, std::to_string(static_cast<long long>(p.alta)), testing::kDateCustom);
    rows += testing::row(r++, cells);
  }
  testing::WorkbookSpec spec;
  spec.sheets.push_back({sheet, testing::sheet_xml(rows)});
  spec.shared_strings = testing::shared_strings_xml(strings);
  testing::write_workbook(path, spec);
  if (truncate_at_percent > 0) testing::truncate_file(path, testing::file_size(path) * truncate_at_percent / 100);
}

void set_mtime(const std::string& path, std::time_t t) {
  const utimbuf times{t, t};
  ::utime(path.c_str(), &times);
}

const sdk::StringPairs kColumns = {{"employee_id", "No. Empleado"},
                                   {"name", "Nombre"},
                                   {"curp", "CURP"},
                                   {"cargo", "Cargo"},
                                   {"occurred_on", "Fecha de alta"}};

std::unique_ptr<sdk::Source> source_for(const std::string& path, std::map<std::string, sdk::OptionValue> extra = {},
                                        const std::string& role = "evidence") {
  sdk::SourceConfig c = testing::config_for(path, {"employee_id"}, kColumns);
  c.role = role;
  for (auto& [k, v] : extra) c.options.set(k, v);
  return XlsxPlugin().create(c);
}

sdk::Cursor harvest(sdk::Source& s, FakeEmitter& out, const sdk::Cursor& from = {}) {
  out.clear_pass();
  return s.harvest(from, out, std::stop_token{});
}

TEST(XlsxSource, RosterRowsBecomeItemsWithPeopleAndDates) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster());
  auto s = source_for(path);
  FakeEmitter out;
  harvest(*s, out);
  EXPECT_TRUE(out.quarantined.empty()) << out.all_logs();
  ASSERT_EQ(out.keys(), (std::set<std::string>{"row:1001", "row:1002", "row:1003"}));
  const auto& ana = out.find("row:1001")->item;
  ASSERT_EQ(ana.people.size(), 1u);
  EXPECT_EQ(ana.people[0].employee_id, "1001");
  EXPECT_EQ(ana.people[0].name, "Ana Pérez");
  EXPECT_EQ(ana.people[0].curp, kCurp);
  EXPECT_EQ(ana.occurred_on, "2021-02-15");
  EXPECT_EQ(ana.occurred_on_from, "column:Fecha de alta");
  EXPECT_EQ(ana.metadata.at("cargo"), "Presidenta");
  EXPECT_EQ(ana.metadata.at("table"), "plantilla.xlsx#Hoja1");
  EXPECT_EQ(ana.metadata.at("line"), "2") << "the sheet's row number";
  EXPECT_EQ(ana.locator, "file://" + path + "#line=2");
  EXPECT_EQ(out.find("row:1003")->item.occurred_on, "2021-11-05");
}

TEST(XlsxSource, AnUnchangedFileIsNotReadAgainAndAChangedCellIsARevision) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster());
  set_mtime(path, 1620000000);
  auto s = source_for(path);
  FakeEmitter out;
  const sdk::Cursor first = harvest(*s, out);
  EXPECT_EQ(out.emitted.size(), 3u);
  EXPECT_THAT(first.value, HasSubstr(path));

  const sdk::Cursor second = harvest(*s, out, first);
  EXPECT_TRUE(out.emitted.empty()) << "an unchanged file is not even opened";
  EXPECT_EQ(second.value, first.value);

  auto people = roster();
  people[1].cargo = "Vocal suplente";
  write_roster(path, people);
  set_mtime(path, 1620000600);
  const sdk::Cursor third = harvest(*s, out, second);
  EXPECT_NE(third.value, second.value);
  ASSERT_EQ(out.emitted.size(), 3u);
  EXPECT_EQ(out.find("row:1002")->outcome, sdk::EmitOutcome::Changed);
  EXPECT_EQ(out.find("row:1001")->outcome, sdk::EmitOutcome::Unchanged);
  EXPECT_TRUE(out.gone_keys.empty());

  // A row removed from the export is reported gone.
  people.pop_back();
  write_roster(path, people);
  set_mtime(path, 1620001200);
  harvest(*s, out, third);
  EXPECT_EQ(out.gone_keys, (std::vector<std::string>{"row:1003"}));
}

TEST(XlsxSource, ChangedSettingsReadUnchangedFilesAgain) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster());
  FakeEmitter out;
  const sdk::Cursor c = harvest(*source_for(path), out);
  harvest(*source_for(path), out, c);
  EXPECT_TRUE(out.emitted.empty()) << "same settings, same file: nothing read";
  sdk::StringPairs columns = kColumns;
  columns.pop_back();  // occurred_on no longer mapped: every row reads differently
  auto other = XlsxPlugin().create(testing::config_for(path, {"employee_id"}, columns));
  harvest(*other, out, c);
  EXPECT_EQ(out.emitted.size(), 3u);
  EXPECT_EQ(out.find("row:1001")->outcome, sdk::EmitOutcome::Changed);
  // A raised limit reads a refused file again too.
  harvest(*source_for(path, {{"max_compression_ratio", std::int64_t{500}}}), out, c);
  EXPECT_EQ(out.emitted.size(), 3u);
}

TEST(XlsxSource, ADirectoryThatCannotBeListedMeansNoRowIsGone) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("rh"));
  write_roster(dir.file("rh/a.xlsx"), roster());
  std::string deep = dir.file("rh");
  for (int i = 0; i < 34; ++i) deep += "/d";
  std::filesystem::create_directories(deep);
  FakeEmitter out;
  out.store["row:9999"] = "an earlier version";  // a row that a file too deep might still hold
  harvest(*source_for(dir.file("rh/**/*.xlsx")), out);
  EXPECT_EQ(out.emitted.size(), 3u);
  EXPECT_TRUE(out.gone_keys.empty());
  EXPECT_TRUE(out.logged("levels deep")) << out.all_logs();
}

TEST(XlsxSource, ATruncatedCopyKeepsWhatItReadAndMarksNothingGone) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  std::vector<Person> many;
  for (int i = 0; i < 20000; ++i)
    many.push_back({std::to_string(100000 + i), "Persona " + std::to_string(i * 7919 % 100003), "", "Vocal",
                    44242.0 + i % 200});
  write_roster(path, many);
  auto s = source_for(path);
  FakeEmitter out;
  const sdk::Cursor first = harvest(*s, out);
  ASSERT_EQ(out.emitted.size(), 20000u);

  write_roster(path, many, false, "Hoja1", 70);
  const sdk::Cursor second = harvest(*s, out, first);
  ASSERT_EQ(out.quarantined.size(), 1u) << out.all_logs();
  const auto& q = out.quarantined[0];
  EXPECT_EQ(q.key, "table:plantilla.xlsx");
  EXPECT_THAT(q.reason, HasSubstr("plantilla.xlsx: the file is truncated"));
  EXPECT_THAT(q.reason, HasSubstr("rows before that point were read"));
  EXPECT_EQ(q.locator, "file://" + path);
  EXPECT_GT(out.emitted.size(), 1000u) << "the rows before the cut are read";
  EXPECT_LT(out.emitted.size(), 20000u);
  for (const auto& e : out.emitted) EXPECT_EQ(e.outcome, sdk::EmitOutcome::Unchanged) << e.item.natural_key;
  EXPECT_TRUE(out.gone_keys.empty()) << "rows past the cut are not gone";
  EXPECT_EQ(out.store.size(), 20000u);

  // The broken file is not read (nor quarantined) again while it stays as it is.
  harvest(*s, out, second);
  EXPECT_TRUE(out.quarantined.empty());
  EXPECT_TRUE(out.emitted.empty());

  // The whole copy arrives: read again, nothing lost, nothing revised.
  write_roster(path, many);
  harvest(*s, out, second);
  EXPECT_TRUE(out.quarantined.empty());
  EXPECT_EQ(out.emitted.size(), 20000u);
  EXPECT_TRUE(out.gone_keys.empty());
}

TEST(XlsxSource, AMissingSheetQuarantinesTheFileNamingTheSheets) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster(), false, "Directorio");
  auto s = source_for(path, {{"sheet", std::string("Hoja1")}});
  FakeEmitter out;
  harvest(*s, out);
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("plantilla.xlsx: the workbook has no sheet named 'Hoja1'"));
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("its sheets are 'Directorio'"));
  EXPECT_TRUE(out.emitted.empty());
}

TEST(XlsxSource, ARenamedColumnQuarantinesTheFileNotEveryRow) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster());
  sdk::StringPairs columns = kColumns;
  columns[4].second = "Fecha de ingreso";
  sdk::SourceConfig c = testing::config_for(path, {"employee_id"}, columns);
  auto s = XlsxPlugin().create(c);
  FakeEmitter out;
  harvest(*s, out);
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_EQ(out.quarantined[0].key, "table:plantilla.xlsx");
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("Fecha de ingreso"));
  EXPECT_TRUE(out.emitted.empty());
}

TEST(XlsxSource, HeaderRowSkipsATitle) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster(), true);
  FakeEmitter out;
  auto automatic = source_for(path);
  harvest(*automatic, out);
  ASSERT_EQ(out.quarantined.size(), 1u) << "the title is taken for the header";
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("No. Empleado"));
  EXPECT_THAT(out.quarantined[0].reason,
              HasSubstr("row 1 looks like a title (one non-empty cell, \"Directorio del Comité\"), not the column "
                        "names: set header_row = 2 if the column names are on row 2"));
  EXPECT_THAT(out.quarantined[0].reason, Not(HasSubstr("closest header")));

  auto s = source_for(path, {{"header_row", std::int64_t{3}}});
  harvest(*s, out);
  EXPECT_TRUE(out.quarantined.empty()) << out.all_logs();
  EXPECT_EQ(out.emitted.size(), 3u);
  EXPECT_EQ(out.find("row:1001")->item.metadata.at("line"), "4");

  auto beyond = source_for(path, {{"header_row", std::int64_t{50}}});
  harvest(*beyond, out);
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("no row 50"));
}

TEST(XlsxSource, AGlobReadsEveryWorkbookAndSkipsLockAndHiddenFiles) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("rh/2021"));
  write_roster(dir.file("rh/2021/enero.xlsx"), {roster()[0]});
  write_roster(dir.file("rh/2021/FEBRERO.XLSX"), {roster()[1]});
  write_roster(dir.file("rh/marzo.xlsx"), {roster()[2]});
  testing::ZipWriter(dir.file("rh/2021/~$enero.xlsx")).finish();  // Excel's lock file: not a workbook
  write_roster(dir.file("rh/2021/.oculto.xlsx"), {{"9", "x", "", "x", 1}});
  std::filesystem::create_directory_symlink("..", dir.file("rh/2021/bucle"));  // a loop: not followed
  std::filesystem::create_symlink(dir.file("rh/marzo.xlsx"), dir.file("rh/2021/enlace.xlsx"));
  auto s = source_for(dir.file("rh/**/*.xlsx"));
  FakeEmitter out;
  harvest(*s, out);
  ASSERT_EQ(out.quarantined.size(), 1u) << out.all_logs();
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("duplicate key")) << "the linked copy of marzo is read";
  EXPECT_EQ(out.keys(), (std::set<std::string>{"row:1001", "row:1002", "row:1003"}));
  EXPECT_EQ(out.find("row:1002")->item.metadata.at("table"), "2021/FEBRERO.XLSX#Hoja1");

  auto flat = source_for(dir.file("rh/*.xlsx"));
  harvest(*flat, out);
  EXPECT_EQ(out.keys(), (std::set<std::string>{"row:1003"}));
}

TEST(XlsxSource, NothingToReadIsSaidOnceAndAMissingFileFailsTheSource) {
  TempDir dir;
  auto s = source_for(dir.file("*.xlsx"));
  FakeEmitter out;
  const sdk::Cursor first = harvest(*s, out);
  EXPECT_TRUE(out.logged("no file matches"));
  harvest(*s, out, first);
  EXPECT_FALSE(out.logged("no file matches"));

  auto missing = source_for(dir.file("plantilla.xlsx"));
  EXPECT_THROW(harvest(*missing, out), std::runtime_error);
  auto missing_dir = source_for(dir.file("nada/*.xlsx"));
  try {
    harvest(*missing_dir, out);
    FAIL() << "an unreadable glob base fails the source";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("nada"));
  }
  EXPECT_THAT(missing->probe(), HasSubstr("cannot find"));
}

TEST(XlsxSource, AFileStillBeingWrittenWaitsUntilItSettles) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster());
  auto s = source_for(path, {{"settle", std::int64_t{3'600'000}}});
  FakeEmitter out;
  const sdk::Cursor c = harvest(*s, out);
  EXPECT_TRUE(out.emitted.empty());
  EXPECT_TRUE(out.logged("it is read once it has stayed unchanged that long"));
  EXPECT_THAT(c.value, Not(HasSubstr(path)));
  set_mtime(path, 1620000000);
  harvest(*s, out, c);
  EXPECT_EQ(out.emitted.size(), 3u);
}

TEST(XlsxSource, AStopBetweenRowsEndsThePassWithoutGoneRows) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  std::vector<Person> many;
  for (int i = 0; i < 500; ++i) many.push_back({std::to_string(5000 + i), "P" + std::to_string(i), "", "V", 44242});
  write_roster(path, many);
  auto s = source_for(path);
  FakeEmitter out;
  const sdk::Cursor full = harvest(*s, out);
  ASSERT_EQ(out.emitted.size(), 500u);

  write_roster(path, many);  // a new stamp: read again
  std::stop_source stop;
  out.clear_pass();
  out.on_emit = [&](const sdk::Item&) {
    if (out.emitted.size() == 9) stop.request_stop();
  };
  const sdk::Cursor after = s->harvest(full, out, stop.get_token());
  EXPECT_EQ(out.emitted.size(), 10u) << "the row being emitted finishes; the next is not read";
  EXPECT_TRUE(out.gone_keys.empty());
  EXPECT_TRUE(out.quarantined.empty());
  EXPECT_THAT(after.value, Not(HasSubstr(path))) << "the file is read again next pass";
}

TEST(XlsxSource, TheCoresExceptionsPassThrough) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster());
  auto s = source_for(path);
  FakeEmitter out;
  out.on_emit = [&](const sdk::Item& item) {
    if (item.natural_key == "row:1002") throw std::runtime_error("the state directory is full");
  };
  try {
    harvest(*s, out);
    FAIL() << "the emitter's failure must reach the core";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "the state directory is full");
  }
  EXPECT_TRUE(out.quarantined.empty()) << "the core's failure is not the file's";
}

TEST(XlsxSource, AFileReplacedWhileReadIsDeferredNotQuarantined) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  std::vector<Person> many;
  for (int i = 0; i < 20000; ++i) many.push_back({std::to_string(7000 + i), "P" + std::to_string(i), "", "V", 44242});
  write_roster(path, many);
  auto s = source_for(path);
  FakeEmitter out;
  out.on_emit = [&](const sdk::Item&) {
    if (out.emitted.size() == 5) testing::truncate_file(path, testing::file_size(path) / 2);
  };
  const sdk::Cursor c = harvest(*s, out);
  EXPECT_TRUE(out.quarantined.empty()) << out.quarantined[0].reason;
  EXPECT_TRUE(out.logged("changed while it was read"));
  EXPECT_THAT(c.value, Not(HasSubstr(path)));
}

TEST(XlsxSource, ACensusCountsTheRows) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster());
  set_mtime(path, 1620990000);  // 2021-05-14 in Mexico City
  sdk::SourceConfig c = testing::config_for(path, {}, {{"employee_id", "No. Empleado"}});
  c.role = "census";
  auto s = XlsxPlugin().create(c);
  FakeEmitter out;
  harvest(*s, out);
  ASSERT_EQ(out.emitted.size(), 1u) << out.all_logs();
  const auto& item = out.emitted[0].item;
  EXPECT_EQ(item.metadata.at("count"), "3");
  EXPECT_TRUE(item.people.empty());
  EXPECT_FALSE(item.occurred_on.empty());
}

TEST(XlsxSource, BadRowsAreQuarantinedAlone) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  auto people = roster();
  people[1].curp = kBadCurp;
  people.push_back({"1001", "Duplicada", "", "Vocal", 44300});
  write_roster(path, people);
  auto s = source_for(path);
  FakeEmitter out;
  harvest(*s, out);
  EXPECT_EQ(out.keys(), (std::set<std::string>{"row:1001", "row:1003"}));
  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("CURP"));
  EXPECT_THAT(out.quarantined[0].reason, Not(HasSubstr(kBadCurp))) << "masked";
  EXPECT_THAT(out.quarantined[1].reason, HasSubstr("duplicate key"));
}

TEST(XlsxSource, TheSheetIsFoundIgnoringCaseAccentsAndSpaces) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  write_roster(path, roster(), false, "Integrantes Comité");
  for (const std::string spec : {"Integrantes Comité", "integrantes comite", "  INTEGRANTES   COMITÉ ", "1"}) {
    auto s = source_for(path, {{"sheet", spec}});
    FakeEmitter out;
    harvest(*s, out);
    EXPECT_TRUE(out.quarantined.empty()) << spec << ": " << out.all_logs();
    EXPECT_EQ(out.emitted.size(), 3u) << spec;
    if (!out.emitted.empty()) {
      EXPECT_EQ(out.emitted[0].item.metadata.at("table"), "plantilla.xlsx#Integrantes Comité") << "the tab's own name";
    }
  }
  auto wrong = source_for(path, {{"sheet", std::string("Integrantes Comites")}});
  FakeEmitter out;
  harvest(*wrong, out);
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("no sheet named 'Integrantes Comites'"));
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("its sheets are 'Integrantes Comité'"));
}

TEST(XlsxSource, TwoSheetsThatFoldAlikeNeedTheExactName) {
  TempDir dir;
  const std::string path = dir.file("plantilla.xlsx");
  const std::string header = testing::row(1, testing::c_shared("A1", 0) + testing::c_shared("B1", 1));
  testing::WorkbookSpec spec;
  spec.sheets.push_back({"Nómina", testing::sheet_xml(header + testing::row(2, testing::c_num("A2", "1") +
                                                                               testing::c_shared("B2", 2)))});
  spec.sheets.push_back({"NOMINA", testing::sheet_xml(header + testing::row(2, testing::c_num("A2", "2") +
                                                                               testing::c_shared("B2", 3)))});
  spec.shared_strings = testing::shared_strings_xml({"No. Empleado", "Nombre", "Ana", "Eva"});
  testing::write_workbook(path, spec);
  const sdk::StringPairs columns{{"employee_id", "No. Empleado"}, {"name", "Nombre"}};
  auto source = [&](const std::string& sheet) {
    sdk::SourceConfig c = testing::config_for(path, {"employee_id"}, columns);
    c.options.set("sheet", sheet);
    return XlsxPlugin().create(c);
  };
  FakeEmitter out;
  harvest(*source("NOMINA"), out);
  EXPECT_EQ(out.keys(), (std::set<std::string>{"row:2"})) << "the exact name wins: " << out.all_logs();
  harvest(*source("Nómina"), out);
  EXPECT_EQ(out.keys(), (std::set<std::string>{"row:1"})) << out.all_logs();
  harvest(*source("nomina"), out);
  EXPECT_TRUE(out.emitted.empty());
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("matches the sheets 'Nómina' and 'NOMINA'"));
  EXPECT_THAT(out.quarantined[0].reason, HasSubstr("write the name exactly as on its tab"));
}

std::string local_day(std::time_t t) {
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

TEST(XlsxSource, ARosterWithoutADateColumnIsDatedByTheFilesMtime) {
  TempDir dir;
  const std::string path = dir.file("directorio.xlsx");
  write_roster(path, roster());
  constexpr std::time_t kMay2021 = 1621015200;  // 2021-05-14 12:00 UTC, the same day in Mexico
  set_mtime(path, kMay2021);
  const sdk::StringPairs columns{{"employee_id", "No. Empleado"}, {"name", "Nombre"}, {"cargo", "Cargo"}};
  auto s = XlsxPlugin().create(testing::config_for(path, {"employee_id"}, columns));
  FakeEmitter out;
  const sdk::Cursor first = harvest(*s, out);
  ASSERT_EQ(out.emitted.size(), 3u) << out.all_logs();
  for (const auto& e : out.emitted) {
    EXPECT_EQ(e.item.occurred_on, local_day(kMay2021)) << e.item.natural_key;
    EXPECT_EQ(e.item.occurred_on_from, "export:mtime");
  }
  // The same workbook saved again the next day: read again, nothing changed.
  write_roster(path, roster());
  set_mtime(path, kMay2021 + 86400);
  harvest(*s, out, first);
  ASSERT_EQ(out.emitted.size(), 3u) << "a new mtime is read again";
  for (const auto& e : out.emitted) EXPECT_EQ(e.outcome, sdk::EmitOutcome::Unchanged) << e.item.natural_key;
}

}  // namespace
}  // namespace sseccoe::xlsx
