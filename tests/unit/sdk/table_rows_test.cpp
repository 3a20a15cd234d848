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

}  // namespace
}  // namespace sseccoe::sdk::table
