// TableHarvest: options, settings, and matching the header row.
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

std::string header_error(const Settings& s, const std::vector<std::string>& header) {
  FakeEmitter out;
  TableHarvest h(s, out);
  h.begin_table("plantilla.csv", "file:///srv/rh/plantilla.csv", "2021-06-30");
  try {
    h.header(header, 1);
  } catch (const TableError& e) {
    return e.what();
  }
  return {};
}

TEST(TableHeader, FoldIgnoresCaseAccentsAndSpaces) {
  EXPECT_EQ(fold_header("  Año de  Ingreso"), "ano de ingreso");
  EXPECT_EQ(fold_header("ano de ingreso"), fold_header("AÑO DE INGRESO "));
  EXPECT_EQ(fold_header("Fecha de Conclusión"), fold_header("fecha   de conclusion"));
  EXPECT_NE(fold_header("Fecha de conclusión"), fold_header("Fechadeconclusion"));
}

TEST(TableHeader, MatchesHeadersWrittenDifferently) {
  FakeEmitter out;
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  h.begin_table("plantilla.csv", "file:///srv/rh/plantilla.csv", "2021-06-30");
  // Other order, other case, accents dropped, extra spaces, a BOM, an extra
  // column nobody mapped.
  h.header({"\xEF\xBB\xBF" "curp", "  NOMBRE ", "Notas", "fecha de  CONCLUSION", "rfc", "curso", "no. empleado"}, 1);
  EXPECT_EQ(h.row({"PEGL890909MJCRMS08", "Lucía Pérez", "no leer", "14/05/2021", "GODE561231GR8", "Ética", "17"}, 2),
            EmitOutcome::New);
  h.end_table();
  ASSERT_EQ(out.items.size(), 1u);
  const Item& item = out.items[0];
  EXPECT_EQ(item.natural_key, "row:17");
  EXPECT_EQ(item.metadata.at("course"), "Ética");
  EXPECT_EQ(item.occurred_on, "2021-05-14");
  EXPECT_EQ(item.occurred_on_from, "column:fecha de  CONCLUSION");
  EXPECT_EQ(item.metadata.count("Notas"), 0u) << "an unmapped column is never read";
  for (const auto& [k, v] : item.metadata) EXPECT_NE(v, "no leer") << k;
  ASSERT_EQ(item.people.size(), 1u);
  EXPECT_EQ(item.people[0].curp, "PEGL890909MJCRMS08");
  EXPECT_EQ(item.people[0].name, "Lucía Pérez");
}

TEST(TableHeader, MissingColumnsAreAllNamedWithTheClosestHeader) {
  const std::string e = header_error(settings({"employee_id"}, training_columns()),
                                     {"No. Empleado", "Nombre completo", "C.U.R.P.", "RFC", "Curso", "Fecha"});
  EXPECT_NE(e.find("source 'rh', table 'plantilla.csv'"), std::string::npos) << e;
  EXPECT_NE(e.find("header at line 1"), std::string::npos) << e;
  EXPECT_NE(e.find("no column \"Nombre\" (field 'name'; the closest header is \"Nombre completo\", column 2)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("no column \"CURP\" (field 'curp'; the closest header is \"C.U.R.P.\", column 3)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("no column \"Fecha de conclusión\" (field 'occurred_on'; the closest header is \"Fecha\""),
            std::string::npos)
      << e;
  EXPECT_EQ(e.find("no column \"RFC\""), std::string::npos) << e;
  EXPECT_NE(e.find("'columns' option"), std::string::npos) << e;
}

TEST(TableHeader, AFailedHeaderStopsTheTableButNotThePass) {
  FakeEmitter out;
  TableHarvest h(settings({"employee_id"}, training_columns()), out);
  h.begin_table("a.csv", "file:///a.csv", "");
  EXPECT_THROW(h.header({"x", "y"}, 1), TableError);
  EXPECT_THROW(h.row({"1", "2"}, 2), std::logic_error) << "no row of a table whose header failed";
  h.end_table();
  h.begin_table("b.csv", "file:///b.csv", "");
  h.header(training_header(), 1);
  h.row({"7", "", "", "", "Ética", ""}, 2);
  h.end_table();
  const Counts c = h.finish(true);
  EXPECT_EQ(c.emitted, 1u);
  EXPECT_EQ(c.gone, 0u);
}

TEST(TableHeader, AmbiguousEmptyAndAbsentHeaders) {
  const auto s = settings({"employee_id"}, {{"employee_id", "ID"}, {"name", "Nombre"}});
  const std::string twice = header_error(s, {"ID", "Nombre", "nombre "});
  EXPECT_NE(twice.find("\"Nombre\" (field 'name') appears in columns 2 and 3"), std::string::npos) << twice;
  EXPECT_NE(header_error(s, {"", " ", ""}).find("the header row is empty"), std::string::npos);
  EXPECT_NE(header_error(s, {}).find("the header row is empty"), std::string::npos);
  // A duplicated header nobody mapped is no problem.
  EXPECT_EQ(header_error(s, {"ID", "Nombre", "Obs", "Obs"}), "");

  FakeEmitter out;
  TableHarvest h(s, out);
  h.begin_table("vacio.csv", "file:///vacio.csv", "2021-06-30");
  try {
    h.end_table();
    FAIL() << "an empty export must be a TableError";
  } catch (const TableError& e) {
    EXPECT_NE(std::string(e.what()).find("no header row"), std::string::npos) << e.what();
  }
}

TEST(TableHeader, MisEncodedAndHugeHeaders) {
  const auto s = settings({"employee_id"}, {{"employee_id", "Año"}});
  // Latin-1 "Año" does not match the UTF-8 header, and the message stays UTF-8.
  const std::string e = header_error(s, {"A\xF1o", std::string(100000, 'x')});
  EXPECT_NE(e.find("no column \"Año\""), std::string::npos) << e;
  EXPECT_LT(e.size(), 1000u) << "a huge header is shortened in the message";
  EXPECT_TRUE(utf8::is_valid(e)) << "a mis-encoded header is not copied into the message";
}

TEST(TableSettings, SharedOptionsDeclareKeyAndColumns) {
  const auto opts = shared_options();
  ASSERT_EQ(opts.size(), 2u);
  EXPECT_EQ(opts[0].name, "key");
  EXPECT_EQ(opts[0].type, OptionType::StringList);
  EXPECT_TRUE(opts[0].required);
  EXPECT_EQ(opts[1].name, "columns");
  EXPECT_EQ(opts[1].type, OptionType::StringMap);
  for (const auto& o : opts) EXPECT_FALSE(o.doc.empty());
}

SourceConfig config(std::vector<std::string> key, StringPairs columns, std::string role = "evidence") {
  SourceConfig c;
  c.instance = "rh";
  c.role = std::move(role);
  c.options.set("key", std::move(key));
  c.options.set("columns", std::move(columns));
  return c;
}

std::string settings_error(const SourceConfig& c) {
  try {
    read_settings(c);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return {};
}

TEST(TableSettings, ReadsKeyColumnsAndRole) {
  const Settings s = read_settings(config({"employee_id", "Curso"}, training_columns()));
  EXPECT_EQ(s.instance, "rh");
  EXPECT_EQ(s.role, "evidence");
  // A key entry may name the header a field is mapped to.
  EXPECT_EQ(s.key, (std::vector<std::string>{"employee_id", "course"}));
  EXPECT_EQ(s.columns.size(), 6u);
  EXPECT_EQ(read_settings(config({}, {}, "census")).role, "census");
}

TEST(TableSettings, RefusesKeysColumnsDoNotMap) {
  const std::string e = settings_error(config({"employee_id", "unidad"}, training_columns()));
  EXPECT_NE(e.find("source 'rh'"), std::string::npos) << e;
  EXPECT_NE(e.find("option 'key' names 'unidad'"), std::string::npos) << e;
  EXPECT_NE(e.find("'columns'"), std::string::npos) << e;
  EXPECT_NE(e.find("employee_id, name"), std::string::npos) << "the mapped fields are offered: " << e;
  EXPECT_NE(settings_error(config({}, training_columns())).find("option 'key' is empty"), std::string::npos);
  EXPECT_NE(settings_error(config({"employee_id", "employee_id"}, training_columns())).find("twice"),
            std::string::npos);
  EXPECT_NE(settings_error(config({"id"}, {{"id", " "}})).find("empty header"), std::string::npos);
  EXPECT_NE(settings_error(config({"id"}, {{"id", "ID"}, {"line", "Renglon"}})).find("field 'line'"),
            std::string::npos);
  EXPECT_NE(settings_error(config({"id"}, {{"id", "ID"}}, "other")).find("role"), std::string::npos);
  SourceConfig no_options;
  no_options.instance = "rh";
  EXPECT_NE(settings_error(no_options).find("option 'key' is empty"), std::string::npos);
}

TEST(TableHeader, ATitleTakenAsTheHeaderIsNamedWithTheReadersWayOut) {
  auto s = settings({"employee_id"}, training_columns());
  const std::vector<std::string> title{"Directorio del Comité de Ética 2021", "", " ", "", "", ""};

  s.title_rows = TitleRows::HeaderRowOption;  // xlsx
  const std::string xlsx = header_error(s, title);
  EXPECT_NE(xlsx.find("source 'rh', table 'plantilla.csv' (header at line 1): no column \"No. Empleado\", "
                      "\"Nombre\", \"CURP\", \"RFC\", \"Curso\", \"Fecha de conclusión\": row 1 looks like a "
                      "title (one non-empty cell, \"Directorio del Comité de Ética 2021\"), not the column names: "
                      "set header_row = 2 if the column names are on row 2. Nothing of this table is harvested"),
            std::string::npos)
      << xlsx;
  EXPECT_EQ(xlsx.find("closest header"), std::string::npos) << "every suggestion would be the title: none is made";

  s.title_rows = TitleRows::FirstLine;  // csv
  const std::string csv = header_error(s, {"Directorio del Comité de Ética 2021"});
  EXPECT_NE(csv.find("row 1 looks like a title (one non-empty cell"), std::string::npos) << csv;
  EXPECT_NE(csv.find("it has no header_row option), so remove the title line(s) from the export"), std::string::npos)
      << csv;
  EXPECT_EQ(csv.find("set header_row"), std::string::npos) << csv;

  s.title_rows = TitleRows::Impossible;  // sql: the default
  EXPECT_EQ(header_error(s, title).find("looks like a title"), std::string::npos);
  EXPECT_EQ(settings({"employee_id"}, training_columns()).title_rows, TitleRows::Impossible);
}

TEST(TableHeader, ATitleIsOnlySuspectedForOneNonEmptyCell) {
  auto s = settings({"employee_id"}, training_columns());
  s.title_rows = TitleRows::HeaderRowOption;
  // Two cells: a header with missing columns, not a title.
  EXPECT_EQ(header_error(s, {"Directorio", "2021"}).find("looks like a title"), std::string::npos);
  // A one-column roster whose header is just misspelt is not a title either.
  auto one = settings({"employee_id"}, {{"employee_id", "No. Empleado"}});
  one.title_rows = TitleRows::HeaderRowOption;
  const std::string e = header_error(one, {"No. Empledo"});
  EXPECT_EQ(e.find("looks like a title"), std::string::npos) << e;
  // A title found further down: the next row is suggested.
  FakeEmitter out;
  TableHarvest h(s, out);
  h.begin_table("d.xlsx#Hoja1", "file:///d.xlsx", "");
  try {
    h.header({"", "", "Directorio 2021"}, 3);
    FAIL();
  } catch (const TableError& err) {
    EXPECT_NE(std::string(err.what()).find("row 3 looks like a title (one non-empty cell, \"Directorio 2021\"), not "
                                           "the column names: set header_row = 4 if the column names are on row 4"),
              std::string::npos)
        << err.what();
  }
  // A header whose one cell is a mapped column is no title, only short.
  const std::string short_header = header_error(s, {"No. Empleado", "", ""});
  EXPECT_EQ(short_header.find("looks like a title"), std::string::npos) << short_header;
  EXPECT_NE(short_header.find("no column \"Nombre\""), std::string::npos) << short_header;
  // A title row that does hold every mapped header is no error at all.
  EXPECT_EQ(header_error(one, {"No. Empleado", "", ""}), "");
}

}  // namespace
}  // namespace sseccoe::sdk::table
