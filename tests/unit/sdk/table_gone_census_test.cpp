// TableHarvest: rows that are gone, and census counts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sseccoe/sdk/table.hpp"
#include "table_fake_emitter.hpp"

namespace sseccoe::sdk::table {
namespace {

using testing::FakeEmitter;
using testing::settings;

using Rows = std::vector<std::vector<std::string>>;

const StringPairs kColumns{{"employee_id", "ID"}, {"name", "Nombre"}, {"curp", "CURP"}};

// One pass over one table of `rows` under ID, Nombre, CURP.
Counts pass(FakeEmitter& out, const Rows& rows, bool complete = true, const std::string& role = "evidence") {
  out.new_pass();
  TableHarvest h(settings(role == "census" ? std::vector<std::string>{} : std::vector<std::string>{"employee_id"},
                          kColumns, role),
                 out);
  h.begin_table("plantilla.csv", "file:///srv/rh/plantilla.csv", "2021-06-30");
  h.header({"ID", "Nombre", "CURP"}, 1);
  std::uint64_t line = 2;
  for (const auto& r : rows) h.row(r, line++);
  h.end_table();
  return h.finish(complete);
}

TEST(TableGone, KnownRowsNotSeenAreGoneWhenThePassIsComplete) {
  FakeEmitter out;
  pass(out, {{"1", "Ana", ""}, {"2", "Luis", ""}, {"3", "Eva", ""}});
  out.store["file:otra-cosa"] = "v";  // not a row: never reported gone by a table
  const Counts c = pass(out, {{"1", "Ana", ""}, {"3", "Eva", ""}});
  EXPECT_EQ(c.gone, 1u);
  EXPECT_EQ(out.gone_order, (std::vector<std::string>{"row:2"}));
}

TEST(TableGone, NothingIsGoneWhenThePassIsIncomplete) {
  FakeEmitter out;
  pass(out, {{"1", "Ana", ""}, {"2", "Luis", ""}});
  const Counts c = pass(out, {{"1", "Ana", ""}}, /*complete=*/false);
  EXPECT_EQ(c.gone, 0u);
  EXPECT_TRUE(out.gone_order.empty());
}

TEST(TableGone, NothingIsGoneWhenTheEmitterCannotListKeys) {
  FakeEmitter out;
  pass(out, {{"1", "Ana", ""}, {"2", "Luis", ""}});
  out.can_list = false;
  EXPECT_EQ(pass(out, {{"1", "Ana", ""}}).gone, 0u);
  EXPECT_TRUE(out.gone_order.empty());
}

TEST(TableGone, NothingIsGoneWhenATableFailedOrWasLeftHalfRead) {
  FakeEmitter out;
  pass(out, {{"1", "Ana", ""}, {"2", "Luis", ""}});

  out.new_pass();
  {
    TableHarvest h(settings({"employee_id"}, kColumns), out);
    h.begin_table("plantilla.csv", "file:///p.csv", "");
    EXPECT_THROW(h.header({"Id", "Nombre completo", "CURP"}, 1), TableError);
    h.end_table();
    EXPECT_EQ(h.finish(true).gone, 0u) << "a renamed column is not everybody gone";
  }
  {
    TableHarvest h(settings({"employee_id"}, kColumns), out);
    h.begin_table("plantilla.csv", "file:///p.csv", "");
    h.header({"ID", "Nombre", "CURP"}, 1);
    h.row({"1", "Ana", ""}, 2);
    // The reader failed here: no end_table.
    EXPECT_EQ(h.finish(true).gone, 0u);
  }
  {
    TableHarvest h(settings({"employee_id"}, kColumns), out);
    h.begin_table("vacio.csv", "file:///v.csv", "");
    EXPECT_THROW(h.end_table(), TableError);
    EXPECT_EQ(h.finish(true).gone, 0u) << "an empty export is not everybody gone";
  }
  EXPECT_TRUE(out.gone_order.empty());
}

TEST(TableGone, NothingIsGoneWhenARowCouldNotBeKeyed) {
  FakeEmitter out;
  pass(out, {{"1", "Ana", ""}, {"2", "Luis", ""}});
  const Counts c = pass(out, {{"1", "Ana", ""}, {"2", "Luis"}});  // Luis's row is ragged this time
  EXPECT_EQ(c.gone, 0u);
  EXPECT_TRUE(out.gone_order.empty());
  bool said = false;
  for (const auto& [level, m] : out.logs) said = said || m.find("could not be keyed") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(TableGone, ARefusedRowWithAKeyIsStillThere) {
  FakeEmitter out;
  pass(out, {{"1", "Ana", ""}, {"2", "Luis", ""}});
  const Counts c = pass(out, {{"1", "Ana", ""}, {"2", "Luis", "PEGL890909MJCRMS09"}});  // bad CURP now
  EXPECT_EQ(c.quarantined, 1u);
  EXPECT_EQ(c.gone, 0u);
}

TEST(TableGone, GoneKeysAreReportedOnceAndAfterTheListing) {
  FakeEmitter out;
  Rows many;
  for (int i = 0; i < 500; ++i) many.push_back({std::to_string(i), "", ""});
  pass(out, many);
  // The fake fails the test should gone() be called from inside the listing.
  const Counts c = pass(out, {{"7", "", ""}});
  EXPECT_EQ(c.gone, 499u);
  EXPECT_EQ(out.gone_keys.size(), 499u);
  EXPECT_EQ(out.gone_keys.count("row:7"), 0u);
  EXPECT_EQ(pass(out, {{"7", "", ""}}).gone, 0u) << "already gone";
}

TEST(TableCensus, CountsRowsAndEmitsOneItemWithoutPeople) {
  FakeEmitter out;
  const Counts c = pass(out,
                        {{"1", "Ana", "PEGL890909MJCRMS08"},
                         {"", "", ""},                         // blank: not a row
                         {"1", "Ana", "PEGL890909MJCRMS09"},   // neither duplicates nor bad CURPs matter
                         {"3", "Eva"},                         // ragged: not counted
                         {"", "Sin número", "bad"}},
                        true, "census");
  EXPECT_EQ(c.rows, 4u);
  EXPECT_EQ(c.emitted, 1u);
  EXPECT_EQ(c.quarantined, 0u);
  ASSERT_EQ(out.items.size(), 1u);
  const Item& i = out.items[0];
  EXPECT_EQ(i.natural_key, "census:plantilla.csv");
  EXPECT_EQ(i.version, "3@2021-06-30");
  EXPECT_EQ(i.metadata, (std::map<std::string, std::string>{
                            {"count", "3"}, {"table", "plantilla.csv"}, {"as_of", "2021-06-30"}}));
  EXPECT_EQ(i.occurred_on, "2021-06-30");
  EXPECT_EQ(i.occurred_on_from, "export");
  EXPECT_EQ(i.locator, "file:///srv/rh/plantilla.csv");
  EXPECT_TRUE(i.people.empty());
  EXPECT_TRUE(i.contents.empty());
  EXPECT_TRUE(out.quarantined.empty());
  ASSERT_EQ(out.warnings(), 1u);
  EXPECT_NE(out.logs[0].second.find("1 rows have another number of fields"), std::string::npos);
  EXPECT_EQ(out.all_text().find("Ana"), std::string::npos);
}

// The staff a census lists go into the people register (people_seen), so
// that certificates can be matched against everyone; still no item carries
// them, and nothing is refused: a census only counts.
TEST(TableCensus, ItsPeopleAreSeenForTheRegisterButNeverEmitted) {
  FakeEmitter out;
  pass(out,
       {{"1", "Ana Pérez", "PEGL890909MJCRMS08"},
        {"2", "Luis Gómez", "bad"},  // a malformed CURP: the person without it
        {"", "", ""},
        {"3", "Eva"}},  // ragged: neither counted nor seen
       true, "census");
  ASSERT_EQ(out.items.size(), 1u);
  EXPECT_TRUE(out.items[0].people.empty());
  ASSERT_EQ(out.seen_people.size(), 2u);
  EXPECT_EQ(out.seen_people[0].name, "Ana Pérez");
  EXPECT_EQ(out.seen_people[0].curp, "PEGL890909MJCRMS08");
  EXPECT_EQ(out.seen_people[0].employee_id, "1");
  EXPECT_EQ(out.seen_people[1].name, "Luis Gómez");
  EXPECT_EQ(out.seen_people[1].curp, "");
  EXPECT_TRUE(out.quarantined.empty());
}

TEST(TableCensus, ALargeStaffIsSeenInBatches) {
  FakeEmitter out;
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 2500; ++i) rows.push_back({std::to_string(i), "Persona " + std::to_string(i), ""});
  pass(out, rows, true, "census");
  EXPECT_EQ(out.seen_people.size(), 2500u);
  EXPECT_EQ(out.people_seen_calls, 3) << "1000 at a time, then the rest";
}

TEST(TableCensus, NeverReportsGoneAndQuarantinesOnlyUnreadableRows) {
  FakeEmitter out;
  out.store["row:1"] = "v";
  out.store["census:old.csv"] = "v";
  TableHarvest h(settings({}, kColumns, "census"), out);
  h.begin_table("plantilla.xlsx#Hoja1", "file:///p.xlsx", "2021-06-30");
  h.header({"ID", "Nombre", "CURP"}, 1);
  h.row({"1", "Ana", ""}, 2);
  h.broken_row(3, "the cell is not a string");
  h.end_table();
  h.begin_table("plantilla.xlsx#Hoja2", "file:///p.xlsx", "2021-06-30");
  h.header({"ID", "Nombre", "CURP"}, 1);
  h.end_table();
  const Counts c = h.finish(true);
  EXPECT_EQ(c.gone, 0u);
  EXPECT_TRUE(out.gone_order.empty());
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_EQ(out.quarantined[0].key, "line:plantilla.xlsx#Hoja1#3");
  ASSERT_EQ(out.items.size(), 2u) << "one count per table";
  EXPECT_EQ(out.items[0].metadata.at("count"), "1");
  EXPECT_EQ(out.items[1].natural_key, "census:plantilla.xlsx#Hoja2");
  EXPECT_EQ(out.items[1].metadata.at("count"), "0");
}

TEST(TableCensus, ANewCountIsANewVersion) {
  FakeEmitter out;
  pass(out, {{"1", "", ""}, {"2", "", ""}}, true, "census");
  const std::string v1 = out.items.at(0).version;
  pass(out, {{"1", "", ""}, {"2", "", ""}}, true, "census");
  EXPECT_EQ(out.items.at(0).version, v1);
  pass(out, {{"1", "", ""}}, true, "census");
  EXPECT_EQ(out.items.at(0).version, "1@2021-06-30");
}

}  // namespace
}  // namespace sseccoe::sdk::table
