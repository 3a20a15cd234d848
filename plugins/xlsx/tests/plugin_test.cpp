#include <Poco/ClassLoader.h>
#include <Poco/Manifest.h>

#include <gmock/gmock.h>

#include <set>
#include <string>

#include "sseccoe/sdk/table.hpp"
#include "test_support.hpp"
#include "xlsx_options.hpp"
#include "xlsx_plugin.hpp"

namespace sseccoe::xlsx {
namespace {

using ::testing::HasSubstr;

TEST(OptionTable, OwnOptionsThenTheSharedTableOptions) {
  std::set<std::string> names;
  std::vector<std::string> order;
  for (const auto& spec : option_table()) {
    const std::string name(spec.name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate option " << name;
    order.push_back(name);
    EXPECT_FALSE(spec.doc.empty()) << name;
    EXPECT_EQ(spec.doc.find('\n'), std::string_view::npos) << name << ": the doc is one line";
    EXPECT_FALSE(spec.secret) << name;
  }
  EXPECT_EQ(order, (std::vector<std::string>{"path", "sheet", "header_row", "settle", "max_uncompressed_size",
                                             "max_compression_ratio", "max_shared_strings_size", "key", "columns"}));
  for (const char* reserved : {"interval", "name", "plugin", "enabled"}) EXPECT_EQ(names.count(reserved), 0u);
  const auto shared = sdk::table::shared_options();
  ASSERT_EQ(option_table().size(), 7 + shared.size());
  for (std::size_t i = 0; i < shared.size(); ++i) EXPECT_EQ(option_table()[7 + i].name, shared[i].name);
}

TEST(OptionTable, OwnDefaultsParseAndReadBackAsDocumented) {
  for (const auto& spec : option_table().first(7)) {
    if (spec.default_value.empty()) {
      EXPECT_TRUE(spec.required) << spec.name;
    } else {
      EXPECT_NO_THROW(testing::parse_default(spec.type, std::string(spec.default_value))) << spec.name;
    }
  }
  sdk::SourceConfig c = testing::config_for("/srv/rh/plantilla.xlsx", {"employee_id"}, {{"employee_id", "No"}});
  c.options.set("settle", std::int64_t{5000});  // the table's default (the test helper zeroes it)
  c.work_dir = "/var/lib/sseccoe-agent/work/rh";
  const XlsxSettings s = read_settings(c);
  EXPECT_EQ(s.path, "/srv/rh/plantilla.xlsx");
  EXPECT_EQ(s.sheet, "1");
  EXPECT_EQ(s.header_row, 0);
  EXPECT_EQ(s.settle, std::chrono::seconds(5));
  EXPECT_EQ(s.max_uncompressed_size, 4ull << 30);
  EXPECT_EQ(s.max_compression_ratio, 200u);
  EXPECT_EQ(s.max_shared_strings_size, 1ull << 30);
  EXPECT_EQ(s.work_dir, "/var/lib/sseccoe-agent/work/rh");
}

TEST(OptionTable, ValuesTheTypesCannotRuleOutAreRefusedNamingTheOption) {
  const auto refused = [](const std::string& option, sdk::OptionValue v) {
    sdk::SourceConfig c = testing::config_for("/srv/x.xlsx", {"employee_id"}, {{"employee_id", "No"}}, "plantilla");
    c.options.set(option, v);
    try {
      XlsxPlugin().create(c);
      return std::string("accepted");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
  };
  EXPECT_THAT(refused("header_row", std::int64_t{-1}), HasSubstr("source 'plantilla': option 'header_row'"));
  EXPECT_THAT(refused("max_compression_ratio", std::int64_t{1}), HasSubstr("option 'max_compression_ratio'"));
  EXPECT_THAT(refused("max_compression_ratio", std::int64_t{5000}), HasSubstr("2 to 1032"));
  EXPECT_THAT(refused("sheet", std::string()), HasSubstr("option 'sheet'"));
  EXPECT_THAT(refused("path", std::string()), HasSubstr("option 'path'"));
  EXPECT_THAT(refused("path", std::string("/srv/[a-.xlsx")), HasSubstr("option 'path' is not a valid glob"));
  EXPECT_THAT(refused("key", std::vector<std::string>{"curp"}), HasSubstr("option 'key'"));
  EXPECT_THAT(refused("max_shared_strings_size", std::int64_t{0}), HasSubstr("max_shared_strings_size"));
}

TEST(XlsxPlugin, ProbeSaysWhatIsWrong) {
  testing::TempDir dir;
  auto probe = [&](const std::string& path, const std::string& sheet = "1") {
    sdk::SourceConfig c = testing::config_for(path, {"employee_id"}, {{"employee_id", "No"}});
    c.options.set("sheet", sheet);
    return XlsxPlugin().create(c)->probe();
  };
  EXPECT_THAT(probe(dir.file("*.xlsx")), HasSubstr("no file matches"));
  testing::WorkbookSpec spec;
  spec.sheets.push_back({"Hoja1", testing::simple_sheet({{"No"}, {"1"}})});
  testing::write_workbook(dir.file("a.xlsx"), spec);
  EXPECT_EQ(probe(dir.file("*.xlsx")), "");
  EXPECT_THAT(probe(dir.file("a.xlsx"), "Otra"), HasSubstr("a.xlsx: the workbook has no sheet named 'Otra'"));
}

// Loads libxlsx.so the way the agent does and harvests through it, with a
// reader error raised inside the library and reported out here.
TEST(XlsxPlugin, LoadsThroughPocoClassLoader) {
  Poco::ClassLoader<sdk::Plugin> loader;
  loader.loadLibrary(XLSX_PLUGIN_FILE);
  const auto& manifest = loader.manifestFor(XLSX_PLUGIN_FILE);
  ASSERT_NE(manifest.find("XlsxPlugin"), manifest.end());
  std::unique_ptr<sdk::Plugin> plugin(loader.create("XlsxPlugin"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->name(), "xlsx");
  EXPECT_EQ(plugin->abi_version(), sdk::kAbiVersion);
  EXPECT_EQ(plugin->options().size(), option_table().size());
  {
    testing::TempDir dir;
    testing::WorkbookSpec spec;
    spec.sheets.push_back({"Hoja1", testing::simple_sheet({{"No", "Nombre"}, {"7", "Ana"}})});
    testing::write_workbook(dir.file("a.xlsx"), spec);
    testing::write_workbook(dir.file("b.xlsx"), spec);
    testing::truncate_file(dir.file("b.xlsx"), 300);
    auto source = plugin->create(testing::config_for(dir.file("*.xlsx"), {"employee_id"}, {{"employee_id", "No"}}));
    testing::FakeEmitter out;
    source->harvest({}, out, std::stop_token{});
    EXPECT_EQ(out.keys(), (std::set<std::string>{"row:7"}));
    ASSERT_EQ(out.quarantined.size(), 1u);
    EXPECT_THAT(out.quarantined[0].reason, HasSubstr("b.xlsx: the file is truncated"));
    source.reset();
  }
  plugin.reset();
  loader.unloadLibrary(XLSX_PLUGIN_FILE);
}

}  // namespace
}  // namespace sseccoe::xlsx
