// TableHarvest: rows into items, and the rows it refuses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sseccoe/sdk/table.hpp"
#include "sseccoe/sdk/utf8.hpp"
#include "table_fake_emitter.hpp"

namespace sseccoe::sdk::table {
namespace {

using testing::FakeEmitter;
using testing::settings;
using testing::training_columns;
using testing::training_header;

using Row = std::vector<std::string>;

// Published examples (python-stdnum): valid, and valid but for the check digit.
constexpr const char* kCurp = "PEGL890909MJCRMS08";
constexpr const char* kCurp2 = "HEGG560427MVZRRL04";
constexpr const char* kRfc = "GODE561231GR8";
constexpr const char* kRfcBadCheck = "VACE460910SX6";

class Rows : public ::testing::Test {
 protected:
  // Runs one table with the training columns and `rows` (lines 2, 3, ...).
  Counts run(const std::vector<Row>& rows, std::vector<std::string> key = {"employee_id"}, bool complete = true) {
    TableHarvest h(settings(std::move(key), training_columns()), out);
    h.begin_table("capacitacion.csv", "file:///srv/rh/capacitacion.csv", "2021-06-30");
    h.header(training_header(), 1);
    std::uint64_t line = 2;
    for (const auto& r : rows) outcomes.push_back(h.row(r, line++));
    h.end_table();
    return h.finish(complete);
  }

  FakeEmitter out;
  std::vector<EmitOutcome> outcomes;
};

TEST_F(Rows, ARowBecomesAnItemWithItsPersonApart) {
  const Counts c = run({{" 00017 ", "  Lucía Pérez López ", "pegl-890909-mjcrms08", "gode 561231 gr8", "Ética pública",
                         "2021-05-14"}});
  EXPECT_EQ(c.rows, 1u);
  EXPECT_EQ(c.emitted, 1u);
  EXPECT_EQ(c.quarantined, 0u);
  ASSERT_EQ(out.items.size(), 1u);
  const Item& i = out.items[0];
  EXPECT_EQ(i.natural_key, "row:00017");
  EXPECT_EQ(i.version.size(), 64u);
  EXPECT_EQ(i.locator, "file:///srv/rh/capacitacion.csv#line=2");
  EXPECT_EQ(i.occurred_on, "2021-05-14");
  EXPECT_EQ(i.occurred_on_from, "column:Fecha de conclusión");
  EXPECT_TRUE(i.contents.empty());
  EXPECT_EQ(i.metadata, (std::map<std::string, std::string>{{"course", "Ética pública"},
                                                             {"occurred_on", "2021-05-14"},
                                                             {"table", "capacitacion.csv"},
                                                             {"line", "2"},
                                                             {"source_row", "capacitacion.csv#line=2"}}))
      << "personal fields never go into metadata";
  ASSERT_EQ(i.people.size(), 1u);
  EXPECT_EQ(i.people[0].employee_id, "00017");
  EXPECT_EQ(i.people[0].name, "Lucía Pérez López");
  EXPECT_EQ(i.people[0].curp, kCurp) << "canonical: upper case, no dashes";
  EXPECT_EQ(i.people[0].rfc, kRfc);
  EXPECT_EQ(out.warnings(), 0u);
}

TEST_F(Rows, NoPersonWhenNoPersonalFieldHasAValue) {
  FakeEmitter o;
  TableHarvest h(settings({"course"}, {{"course", "Curso"}, {"hours", "Horas"}, {"name", "Nombre"}}), o);
  h.begin_table("cursos.csv", "file:///cursos.csv", "");
  h.header({"Curso", "Horas", "Nombre"}, 1);
  h.row({"Ética", "20", ""}, 2);
  h.row({"Integridad", "10", "Ana"}, 3);
  h.end_table();
  ASSERT_EQ(o.items.size(), 2u);
  EXPECT_TRUE(o.items[0].people.empty());
  EXPECT_EQ(o.items[0].metadata.at("hours"), "20");
  EXPECT_TRUE(o.items[0].occurred_on.empty());
  ASSERT_EQ(o.items[1].people.size(), 1u);
  EXPECT_EQ(o.items[1].people[0].name, "Ana");
}

TEST_F(Rows, KeysJoinTheirPartsAndEscapeTheSeparator) {
  run({{"1", "", "", "", "Ética", ""},
       {"1|2", "", "", "", "x", ""},
       {"1", "", "", "", "2|x", ""},
       {"a\\", "", "", "", "b", ""},
       {"a", "", "", "", "\\b", ""}},
      {"employee_id", "course"});
  ASSERT_EQ(out.items.size(), 5u) << "no two of these keys are equal";
  EXPECT_EQ(out.items[0].natural_key, "row:1|Ética");
  EXPECT_EQ(out.items[1].natural_key, "row:1\\|2|x");
  EXPECT_EQ(out.items[2].natural_key, "row:1|2\\|x");
  EXPECT_EQ(out.items[3].natural_key, "row:a\\\\|b");
  EXPECT_EQ(out.items[4].natural_key, "row:a|\\\\b");
}

TEST_F(Rows, KeysAreTrimmedNormalisedAndCanonical) {
  // The same person typed three ways: one key, so the second and third are duplicates.
  run({{"", "", "pegl 890909 mjcrms08", "", "", ""},
       {"", "", "PEGL-890909-MJCRMS08", "", "", ""},
       {"", "", " PEGL890909MJCRMS08 ", "", "", ""}},
      {"curp"});
  ASSERT_EQ(out.items.size(), 1u);
  EXPECT_EQ(out.items[0].natural_key, std::string("row:") + kCurp);
  EXPECT_EQ(out.quarantined.size(), 2u);
  // "é" composed and decomposed is one key (NFC).
  FakeEmitter o2;
  TableHarvest h(settings({"course"}, {{"course", "Curso"}}), o2);
  h.begin_table("t", "l", "");
  h.header({"Curso"}, 1);
  EXPECT_EQ(h.row({"\xC3\xA9tica"}, 2), EmitOutcome::New);
  EXPECT_EQ(h.row({"e\xCC\x81tica"}, 3), EmitOutcome::Quarantined);
}

TEST_F(Rows, VersionFollowsTheCellsNotThePosition) {
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  h.begin_table("t.csv", "file:///t.csv", "");
  h.header(training_header(), 1);
  h.row({"1", "Ana", kCurp, "", "Ética", "2021-05-14"}, 2);
  h.row({"2", "Ana", kCurp, "", "Ética", "2021-05-14"}, 3);
  h.end_table();
  h.finish(true);
  TableHarvest h2(settings({"employee_id"}, training_columns()), out);
  h2.begin_table("t.csv", "file:///t.csv", "");
  h2.header(training_header(), 1);
  EXPECT_EQ(h2.row({"1", "Ana", kCurp, "", "Ética", "2021-05-14"}, 40), EmitOutcome::Unchanged) << "moved only";
  EXPECT_EQ(h2.row({"2", "Ana", kCurp, "", "Ética", "2021-05-15"}, 41), EmitOutcome::Changed);
  h2.end_table();
  ASSERT_EQ(out.items.size(), 4u);
  EXPECT_EQ(out.items[0].version, out.items[2].version);
  EXPECT_NE(out.items[1].version, out.items[3].version);
  EXPECT_NE(out.items[0].version, out.items[1].version) << "the key is a cell too";
}

TEST_F(Rows, MalformedCurpIsQuarantinedWithTheColumnNamedAndTheValueMasked) {
  const std::string bad = "PEGL890909MJCRMS09";  // wrong check digit
  const Counts c = run({{"5", "Lucía Pérez", bad, kRfc, "Ética", "2021-05-14"}});
  EXPECT_EQ(c.quarantined, 1u);
  EXPECT_EQ(c.emitted, 0u);
  EXPECT_EQ(outcomes[0], EmitOutcome::Quarantined);
  ASSERT_EQ(out.quarantined.size(), 1u);
  const auto& q = out.quarantined[0];
  EXPECT_EQ(q.key, "row:5");
  EXPECT_EQ(q.locator, "file:///srv/rh/capacitacion.csv#line=2");
  EXPECT_NE(q.reason.find("line 2, column \"CURP\""), std::string::npos) << q.reason;
  EXPECT_NE(q.reason.find("PEGL******MJC***09"), std::string::npos) << q.reason;
  EXPECT_NE(q.reason.find("check digit"), std::string::npos) << q.reason;
  EXPECT_EQ(out.all_text().find(bad), std::string::npos) << "the raw CURP must never be handed out";
  EXPECT_EQ(out.all_text().find("890909"), std::string::npos);
  EXPECT_EQ(out.all_text().find("Lucía"), std::string::npos);
}

TEST_F(Rows, MalformedRfcIsQuarantinedMasked) {
  run({{"5", "", "", "GODE561331GR8", "", ""}, {"6", "", "", "XYZ", "", ""}});
  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_NE(out.quarantined[0].reason.find("column \"RFC\": malformed RFC GODE*******R8"), std::string::npos)
      << out.quarantined[0].reason;
  EXPECT_NE(out.quarantined[0].reason.find("date"), std::string::npos);
  EXPECT_NE(out.quarantined[1].reason.find("malformed RFC X**"), std::string::npos) << out.quarantined[1].reason;
  EXPECT_EQ(out.all_text().find("561331"), std::string::npos);
}

TEST_F(Rows, RfcFailingItsCheckDigitIsKeptWithAMaskedWarning) {
  const Counts c = run({{"8", "", "", kRfcBadCheck, "", ""}});
  EXPECT_EQ(c.emitted, 1u);
  EXPECT_EQ(c.quarantined, 0u);
  ASSERT_EQ(out.items.size(), 1u);
  EXPECT_EQ(out.items[0].people.at(0).rfc, kRfcBadCheck);
  ASSERT_EQ(out.warnings(), 1u);
  const std::string& w = out.logs[0].second;
  EXPECT_NE(w.find("source 'rh', table 'capacitacion.csv', line 2, column \"RFC\""), std::string::npos) << w;
  EXPECT_NE(w.find("VACE*******X6"), std::string::npos) << w;
  EXPECT_NE(w.find("check digit"), std::string::npos) << w;
  EXPECT_EQ(out.all_text().find(kRfcBadCheck), std::string::npos);
}

TEST_F(Rows, CheckDigitWarningsAreLimitedPerTable) {
  std::vector<Row> rows;
  for (int i = 0; i < 50; ++i) rows.push_back({std::to_string(i), "", "", kRfcBadCheck, "", ""});
  const Counts c = run(rows);
  EXPECT_EQ(c.emitted, 50u);
  EXPECT_EQ(out.warnings(), 21u) << "20 one by one, then one summary";
  EXPECT_NE(out.logs.back().second.find("30 more RFCs"), std::string::npos) << out.logs.back().second;
}

TEST_F(Rows, RaggedRowIsQuarantinedByLine) {
  const Counts c = run({{"1", "Ana", "", "", "Ética"}, {"2", "", "", "", "", "", "extra"}, {"3", "", "", "", "", ""}});
  EXPECT_EQ(c.rows, 3u);
  EXPECT_EQ(c.quarantined, 2u);
  EXPECT_EQ(c.emitted, 1u);
  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_EQ(out.quarantined[0].key, "line:capacitacion.csv#2");
  EXPECT_EQ(out.quarantined[0].reason, "line 2 has 5 fields, the header has 6");
  EXPECT_EQ(out.quarantined[0].locator, "file:///srv/rh/capacitacion.csv#line=2");
  EXPECT_EQ(out.quarantined[1].reason, "line 3 has 7 fields, the header has 6");
  EXPECT_EQ(out.all_text().find("Ana"), std::string::npos);
}

TEST_F(Rows, EmptyKeyPartIsQuarantined) {
  run({{"", "Ana", "", "", "Ética", ""}, {"4", "Ana", "", "", "  ", ""}}, {"employee_id", "course"});
  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_EQ(out.quarantined[0].key, "line:capacitacion.csv#2");
  EXPECT_EQ(out.quarantined[0].reason, "line 2: the key field 'employee_id' (column \"No. Empleado\") is empty");
  EXPECT_EQ(out.quarantined[1].reason, "line 3: the key field 'course' (column \"Curso\") is empty");
}

TEST_F(Rows, DuplicateKeysNameBothLines) {
  const Counts c = run({{"1", "", "", "", "a", ""},
                        {"2", "", "", "", "b", ""},
                        {"1", "", "", "", "c", ""},
                        {"1", "", "", "", "d", ""}});
  EXPECT_EQ(c.emitted, 2u);
  EXPECT_EQ(c.quarantined, 2u);
  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_EQ(out.quarantined[0].key, "row:1");
  EXPECT_EQ(out.quarantined[0].reason, "duplicate key (line 2 and line 4)");
  EXPECT_EQ(out.quarantined[0].locator, "file:///srv/rh/capacitacion.csv#line=4");
  EXPECT_EQ(out.quarantined[1].reason, "duplicate key (line 2 and line 5)");
  EXPECT_EQ(out.items[0].metadata.at("course"), "a") << "the first line keeps the key";
}

TEST_F(Rows, DuplicateKeysAcrossTablesNameTheFirstTable) {
  TableHarvest h(settings({"employee_id"}, {{"employee_id", "ID"}}), out);
  h.begin_table("enero.csv", "file:///enero.csv", "");
  h.header({"ID"}, 1);
  h.row({"1"}, 2);
  h.row({"2"}, 3);
  h.end_table();
  h.begin_table("febrero.csv", "file:///febrero.csv", "");
  h.header({"ID"}, 1);
  h.row({"3"}, 2);
  h.row({"2"}, 3);
  h.end_table();
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_EQ(out.quarantined[0].reason, "duplicate key (line 3 of 'enero.csv' and line 3)");
  EXPECT_EQ(out.quarantined[0].locator, "file:///febrero.csv#line=3");
}

TEST_F(Rows, AKeyBelongsToItsFirstLineEvenWhenThatLineIsRefused) {
  run({{"1", "", "PEGL890909MJCRMS09", "", "", ""}, {"1", "", kCurp2, "", "", ""}});
  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_NE(out.quarantined[0].reason.find("malformed CURP"), std::string::npos);
  EXPECT_EQ(out.quarantined[1].reason, "duplicate key (line 2 and line 3)");
}

TEST_F(Rows, EvidenceDatesInTheirUsualForms) {
  run({{"1", "", "", "", "", "14/05/2021"},
       {"2", "", "", "", "", "4/5/2021"},
       {"3", "", "", "", "", "2021/05/14"},
       {"4", "", "", "", "", "2021-05-14T10:30:00-06:00"},
       {"5", "", "", "", "", "14/05/2021 10:30"},
       {"6", "", "", "", "", "29/02/2020"},
       {"7", "", "", "", "", ""}});
  ASSERT_EQ(out.items.size(), 7u);
  EXPECT_EQ(out.items[0].occurred_on, "2021-05-14");
  EXPECT_EQ(out.items[1].occurred_on, "2021-05-04") << "day first, as Mexico writes dates";
  EXPECT_EQ(out.items[2].occurred_on, "2021-05-14");
  EXPECT_EQ(out.items[3].occurred_on, "2021-05-14");
  EXPECT_EQ(out.items[4].occurred_on, "2021-05-14");
  EXPECT_EQ(out.items[5].occurred_on, "2020-02-29");
  EXPECT_EQ(out.items[6].occurred_on, "") << "an empty date is no date, not an error";
  EXPECT_EQ(out.items[6].occurred_on_from, "");
}

TEST_F(Rows, AnythingElseInTheDateColumnIsQuarantinedWithTheColumnNamed) {
  const std::vector<std::string> bad = {"05/14/2021", "29/02/2021", "2021-5-14", "14-05-2021", "mayo 2021",
                                        "44330",      "2021-05-14 25:00", "14/05/21", "2021-05-14x"};
  std::vector<Row> rows;
  for (std::size_t i = 0; i < bad.size(); ++i) rows.push_back({std::to_string(i), "", "", "", "", bad[i]});
  const Counts c = run(rows);
  EXPECT_EQ(c.emitted, 0u);
  ASSERT_EQ(out.quarantined.size(), bad.size());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    const std::string& r = out.quarantined[i].reason;
    const std::string shown = bad[i] == "mayo 2021" ? "xxxx 2021" : bad[i];
    EXPECT_NE(r.find("column \"Fecha de conclusión\": \"" + shown + "\" is not a date"), std::string::npos) << r;
    EXPECT_NE(r.find("YYYY-MM-DD"), std::string::npos) << r;
  }
}

TEST_F(Rows, ANameInTheDateColumnIsNotCopiedIntoTheReason) {
  run({{"1", "", "", "", "", "Lucía Pérez"}});
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_NE(out.quarantined[0].reason.find("\"xxxxx xxxxx\" is not a date"), std::string::npos)
      << out.quarantined[0].reason;
  EXPECT_EQ(out.all_text().find("Luc"), std::string::npos);
}

TEST_F(Rows, BlankRowsAreSkippedAndNotCounted) {
  const Counts c = run({{"", "", "", "", "", ""}, {" ", "\t", "", "\xC2\xA0", "", ""}, {}, {"1", "", "", "", "", ""}});
  EXPECT_EQ(c.rows, 1u);
  EXPECT_EQ(c.emitted, 1u);
  EXPECT_EQ(c.quarantined, 0u);
  EXPECT_EQ(outcomes[0], EmitOutcome::Unchanged);
  EXPECT_EQ(out.items.at(0).metadata.at("line"), "5");
}

TEST_F(Rows, BrokenAndMisEncodedRowsAreQuarantinedAndTheTableGoesOn) {
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  h.begin_table("t.csv", "file:///t.csv", "");
  h.header(training_header(), 1);
  h.broken_row(2, "unterminated quote");
  EXPECT_EQ(h.row({"1", "Jos\xE9", "", "", "", ""}, 3), EmitOutcome::Quarantined);
  EXPECT_EQ(h.row({"2", "", "", "", "", ""}, 4), EmitOutcome::New);
  h.end_table();
  const Counts c = h.finish(true);
  EXPECT_EQ(c.rows, 3u);
  EXPECT_EQ(c.quarantined, 2u);
  ASSERT_EQ(out.quarantined.size(), 2u);
  EXPECT_EQ(out.quarantined[0].key, "line:t.csv#2");
  EXPECT_EQ(out.quarantined[0].reason, "line 2: unterminated quote");
  EXPECT_NE(out.quarantined[1].reason.find("line 3, column \"Nombre\": the cell is not UTF-8"), std::string::npos)
      << out.quarantined[1].reason;
  EXPECT_TRUE(utf8::is_valid(out.all_text()));
}

TEST_F(Rows, HugeCellsAndManyColumns) {
  const std::string huge(8 << 20, 'x');
  std::vector<std::string> header, row;
  StringPairs columns{{"id", "c0"}};
  for (int i = 0; i < 2000; ++i) {
    header.push_back("c" + std::to_string(i));
    row.push_back(i == 0 ? "1" : "v");
  }
  row[1999] = huge;
  columns.push_back({"notes", "c1999"});
  TableHarvest h(settings({"id"}, columns), out);
  h.begin_table("t", "l", "");
  h.header(header, 1);
  EXPECT_EQ(h.row(row, 2), EmitOutcome::New);
  row[0] = "2";
  row[1999] = "x";
  row.push_back(huge);
  EXPECT_EQ(h.row(row, 3), EmitOutcome::Quarantined);
  h.end_table();
  EXPECT_EQ(out.items.at(0).metadata.at("notes").size(), huge.size());
  EXPECT_LT(out.quarantined.at(0).reason.size(), 200u);
  // A huge, malformed date is quoted shortened.
  FakeEmitter o2;
  TableHarvest h2(settings({"id"}, {{"id", "ID"}, {"occurred_on", "Fecha"}}), o2);
  h2.begin_table("t", "l", "");
  h2.header({"ID", "Fecha"}, 1);
  EXPECT_EQ(h2.row({"1", huge}, 2), EmitOutcome::Quarantined);
  EXPECT_LT(o2.quarantined.at(0).reason.size(), 300u);
}

TEST_F(Rows, CallsOutOfOrderAreProgrammingErrors) {
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  EXPECT_THROW(h.header(training_header(), 1), std::logic_error);
  EXPECT_THROW(h.row({"1"}, 2), std::logic_error);
  EXPECT_THROW(h.end_table(), std::logic_error);
  h.begin_table("t", "l", "");
  EXPECT_THROW(h.row({"1"}, 2), std::logic_error) << "no row before the header";
  EXPECT_THROW(h.begin_table("u", "l", "14/05/2021"), std::invalid_argument) << "export dates are ISO";
  h.finish(true);
  EXPECT_THROW(h.finish(true), std::logic_error);
  EXPECT_THROW(h.begin_table("t", "l", ""), std::logic_error);
  EXPECT_THROW(TableHarvest(settings({"unidad"}, training_columns()), out), std::invalid_argument);
}

// A committee roster: no date column, so every row takes the export's date.
const StringPairs kRosterColumns{{"employee_id", "No. Empleado"}, {"name", "Nombre"}, {"role", "Cargo"}};

std::vector<Item> roster_pass(FakeEmitter& out, const std::string& export_date, const std::vector<Row>& rows,
                              const std::string& from = "export:mtime", std::vector<EmitOutcome>* outcomes = nullptr) {
  out.new_pass();
  TableHarvest h(settings({"employee_id"}, kRosterColumns), out);
  h.begin_table("directorio.csv", "file:///srv/rh/directorio.csv", export_date, from);
  h.header({"No. Empleado", "Nombre", "Cargo"}, 1);
  std::uint64_t line = 2;
  for (const auto& r : rows) {
    const EmitOutcome o = h.row(r, line++);
    if (outcomes) outcomes->push_back(o);
  }
  h.end_table();
  h.finish(true);
  return out.items;
}

TEST(RowDates, WithoutADateColumnEveryRowTakesTheExportDate) {
  FakeEmitter out;
  const auto items = roster_pass(out, "2021-03-01", {{"1001", "José Núñez", "Presidente"}, {"1002", "Ana", "Vocal"}});
  ASSERT_EQ(items.size(), 2u);
  for (const auto& i : items) {
    EXPECT_EQ(i.occurred_on, "2021-03-01");
    EXPECT_EQ(i.occurred_on_from, "export:mtime");
    EXPECT_EQ(i.metadata.count("occurred_on"), 0u) << "no field is invented";
  }
  const auto sql = roster_pass(out, "2026-01-15", {{"1001", "José Núñez", "Presidente"}}, "export:query_time");
  EXPECT_EQ(sql.at(0).occurred_on_from, "export:query_time");

  // A reader that does not say where its date came from.
  FakeEmitter o2;
  TableHarvest h(settings({"employee_id"}, kRosterColumns), o2);
  h.begin_table("d.csv", "file:///d.csv", "2021-03-01");
  h.header({"No. Empleado", "Nombre", "Cargo"}, 1);
  h.row({"1", "Ana", "Vocal"}, 2);
  h.end_table();
  EXPECT_EQ(o2.items.at(0).occurred_on_from, "export");
}

TEST(RowDates, AnExportWithoutADateLeavesTheRowsUndated) {
  FakeEmitter out;
  const auto items = roster_pass(out, "", {{"1001", "José Núñez", "Presidente"}});
  EXPECT_EQ(items.at(0).occurred_on, "");
  EXPECT_EQ(items.at(0).occurred_on_from, "") << "no source named for a date there is not";
}

TEST(RowDates, TheExportDateIsNotPartOfTheVersion) {
  FakeEmitter out;
  const std::vector<Row> roster{{"1001", "José Núñez", "Presidente"}, {"1002", "Ana", "Vocal"}};
  const auto first = roster_pass(out, "2021-03-01", roster);
  std::vector<EmitOutcome> outcomes;
  const auto next_day = roster_pass(out, "2021-03-02", roster, "export:mtime", &outcomes);
  ASSERT_EQ(next_day.size(), 2u);
  EXPECT_EQ(first[0].version, next_day[0].version) << "a re-export with a newer mtime is the same row";
  EXPECT_EQ(first[1].version, next_day[1].version);
  EXPECT_EQ(outcomes, (std::vector<EmitOutcome>{EmitOutcome::Unchanged, EmitOutcome::Unchanged}));
  EXPECT_EQ(next_day[0].occurred_on, "2021-03-02") << "the item says its export's date; the core keeps the first";

  // A changed cell is a new version, dated by the export it changed in.
  outcomes.clear();
  const auto changed = roster_pass(out, "2021-04-10", {{"1001", "José Núñez", "Secretario"}, roster[1]},
                                   "export:mtime", &outcomes);
  EXPECT_EQ(outcomes, (std::vector<EmitOutcome>{EmitOutcome::Changed, EmitOutcome::Unchanged}));
  EXPECT_EQ(changed[0].occurred_on, "2021-04-10");
}

TEST(RowDates, ARowDatedByItsExportIsRevisedOnceFromAnUndatedOne) {
  // An older agent stored the roster's rows undated (and the core held them
  // for it): the version differs once, so that the core takes the date.
  FakeEmitter out;
  const std::vector<Row> roster{{"1001", "José Núñez", "Presidente"}};
  const auto undated = roster_pass(out, "", roster);
  const auto dated = roster_pass(out, "2021-03-01", roster);
  EXPECT_NE(undated[0].version, dated[0].version);

  // With a date column, nothing about the export is in the version.
  FakeEmitter o2;
  std::vector<std::string> versions;
  for (const char* date : {"", "2021-03-01", "2021-03-02"}) {
    o2.new_pass();
    TableHarvest h(settings({"employee_id"}, training_columns()), o2);
    h.begin_table("t.csv", "file:///t.csv", date, "export:mtime");
    h.header(training_header(), 1);
    h.row({"1", "Ana", kCurp, "", "Ética", "2021-05-14"}, 2);
    h.row({"2", "Eva", "", "", "Ética", ""}, 3);
    h.end_table();
    EXPECT_EQ(o2.items.at(0).occurred_on, "2021-05-14");
    EXPECT_EQ(o2.items.at(0).occurred_on_from, "column:Fecha de conclusión");
    EXPECT_EQ(o2.items.at(1).occurred_on, "") << "an empty date cell is no date, not the export's";
    versions.push_back(o2.items.at(0).version + o2.items.at(1).version);
  }
  EXPECT_EQ(versions[0], versions[1]);
  EXPECT_EQ(versions[1], versions[2]);
}

TEST_F(Rows, ControlCharactersQuarantineTheRowWithTheLineAndCode) {
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  h.begin_table("t.csv", "file:///t.csv", "");
  h.header(training_header(), 1);
  EXPECT_EQ(h.row({"1", std::string("J\0o\0s\0e\0", 8), kCurp, "", "Ética", ""}, 2), EmitOutcome::Quarantined);
  EXPECT_EQ(h.row({"2", "Ana\x1A" "Pérez", "", "", "Ética", ""}, 3), EmitOutcome::Quarantined);
  EXPECT_EQ(h.row({"3", "Ana Pérez", "", "", "Ética\x1B[0m", ""}, 4), EmitOutcome::Quarantined);
  // Tab, CR and LF are text (a quoted line break in a cell); surrounding
  // blanks are trimmed as always.
  EXPECT_EQ(h.row({"4", "Eva\tRuiz", "", "", "Ética\r\npública", ""}, 5), EmitOutcome::New);
  EXPECT_EQ(h.row({"5", "Eva Ruiz\x0C", "", "", "Ética", ""}, 6), EmitOutcome::New) << "a trailing form feed is blank";
  // A control character in a column no field maps is never read.
  h.end_table();
  const Counts c = h.finish(true);
  EXPECT_EQ(c.quarantined, 3u);
  EXPECT_EQ(c.emitted, 2u);
  ASSERT_EQ(out.quarantined.size(), 3u);
  EXPECT_EQ(out.quarantined[0].key, "line:t.csv#2");
  EXPECT_EQ(out.quarantined[0].locator, "file:///t.csv#line=2");
  EXPECT_NE(out.quarantined[0].reason.find("line 2, column \"Nombre\": the cell holds the control character 0x00 (NUL)"),
            std::string::npos)
      << out.quarantined[0].reason;
  EXPECT_NE(out.quarantined[1].reason.find("control character 0x1A (SUB)"), std::string::npos);
  EXPECT_NE(out.quarantined[2].reason.find("line 4, column \"Curso\": the cell holds the control character 0x1B (ESC)"),
            std::string::npos)
      << out.quarantined[2].reason;
  // One warning for the table, with the first line and the count (and the
  // pass's usual one: unkeyed rows keep it from reporting rows gone).
  ASSERT_EQ(out.warnings(), 2u);
  EXPECT_NE(out.logs.at(1).second.find("3 rows could not be keyed"), std::string::npos) << out.logs.at(1).second;
  const std::string& w = out.logs.at(0).second;
  EXPECT_NE(w.find("source 'rh', table 't.csv': 3 rows hold control characters"), std::string::npos) << w;
  EXPECT_NE(w.find("the first at line 2 (0x00 (NUL))"), std::string::npos) << w;
  // Never the cells: names and CURPs are personal data.
  const std::string text = out.all_text();
  for (const char* secret : {"Pérez", "Jos", kCurp, "\x1B"}) EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(out.items.at(0).people.at(0).name, "Eva\tRuiz");
  EXPECT_EQ(out.items.at(1).people.at(0).name, "Eva Ruiz");
}

TEST_F(Rows, AMillionControlCharactersAreOneWarningPerTable) {
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  for (const char* table : {"a.csv", "b.csv"}) {
    h.begin_table(table, std::string("file:///") + table, "");
    h.header(training_header(), 1);
    for (std::uint64_t line = 2; line < 5002; ++line)
      h.row({std::to_string(line) + table, std::string(1, '\x01'), "", "", "", ""}, line);
    h.end_table();
  }
  const Counts c = h.finish(true);
  EXPECT_EQ(c.quarantined, 10000u);
  ASSERT_EQ(out.warnings(), 3u) << "one a table, and one that nothing is reported gone";
  EXPECT_NE(out.logs[0].second.find("table 'a.csv': 5000 rows hold"), std::string::npos) << out.logs[0].second;
  EXPECT_NE(out.logs[1].second.find("table 'b.csv': 5000 rows hold"), std::string::npos) << out.logs[1].second;
  EXPECT_EQ(c.gone, 0u) << "rows refused before their key are unkeyed";
}

TEST_F(Rows, ATableLeftHalfReadStillWarnsOfItsControlCharacters) {
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  h.begin_table("a.csv", "file:///a.csv", "");
  h.header(training_header(), 1);
  h.row({"1", std::string("\x02"), "", "", "", ""}, 7);
  h.finish(true);  // the reader failed before end_table
  ASSERT_EQ(out.warnings(), 1u);
  EXPECT_NE(out.logs[0].second.find("1 row holds control characters (bytes 0x00-0x1F other than tab, CR and LF), "
                                    "the first at line 7 (0x02 (STX))"),
            std::string::npos)
      << out.logs[0].second;
}

}  // namespace
}  // namespace sseccoe::sdk::table
