#include <Poco/ClassLoader.h>
#include <Poco/Manifest.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "csv_options.hpp"
#include "csv_plugin.hpp"
#include "test_support.hpp"

namespace sseccoe::csv {
namespace {

using testing::FakeEmitter;
using testing::TempDir;

std::string refusal(const sdk::SourceConfig& c) {
  try {
    read_settings(c);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

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
    if (!spec.default_value.empty() && spec.type != sdk::OptionType::StringList) {
      EXPECT_NO_THROW(testing::parse_default(spec.type, std::string(spec.default_value))) << name;
    }
  }
  EXPECT_EQ(order, (std::vector<std::string>{"path", "delimiter", "encoding", "settle", "max_row_size", "key",
                                             "columns"}));
  for (const char* reserved : {"interval", "name", "plugin", "enabled", "role"})
    EXPECT_EQ(names.count(reserved), 0u) << reserved << " is the core's";
}

TEST(OptionTable, DefaultsReadBackAsDocumented) {
  const CsvSettings s = read_settings(testing::training_config("/srv/rh/capacitacion.csv"));
  EXPECT_EQ(s.path, "/srv/rh/capacitacion.csv");
  EXPECT_EQ(s.delimiter, 0) << "auto";
  EXPECT_FALSE(s.encoding.has_value()) << "auto";
  EXPECT_EQ(s.max_row_size, 1u << 20);
  EXPECT_EQ(s.table.key, (std::vector<std::string>{"employee_id", "course"}));
  EXPECT_EQ(s.table.role, "evidence");
  sdk::SourceConfig c = testing::training_config("/x.csv");
  c.options = {};
  for (const auto& spec : option_table())
    if (!spec.default_value.empty())
      c.options.set(std::string(spec.name), testing::parse_default(spec.type, std::string(spec.default_value)));
  c.options.set("path", std::string("/x.csv"));
  c.options.set("key", std::vector<std::string>{});
  c.role = "census";
  EXPECT_EQ(read_settings(c).settle, std::chrono::seconds(5));
}

TEST(OptionTable, BadValuesNameTheSourceAndOption) {
  sdk::SourceConfig c = testing::training_config("/x.csv");
  c.options.set("encoding", std::string("utf-16"));
  EXPECT_EQ(refusal(c).rfind("source 'capacitacion': option 'encoding': ", 0), 0u) << refusal(c);
  c = testing::training_config("/x.csv");
  c.options.set("delimiter", std::string("x"));
  EXPECT_EQ(refusal(c).rfind("source 'capacitacion': option 'delimiter': ", 0), 0u) << refusal(c);
  c = testing::training_config("/x.csv");
  c.options.set("max_row_size", std::int64_t{10});
  EXPECT_EQ(refusal(c), "source 'capacitacion': option 'max_row_size' must be from 1KiB to 1GiB");
  c = testing::training_config("/x.csv");
  c.options.set("key", std::vector<std::string>{"unidad"});
  EXPECT_NE(refusal(c).find("option 'key' names 'unidad'"), std::string::npos) << refusal(c);
  c = testing::training_config("");
  EXPECT_EQ(refusal(c), "source 'capacitacion': option 'path' is empty: set it to the export file");
}

TEST(CsvPlugin, CreatesASource) {
  TempDir t;
  const std::string p = t.write("c.csv", "No. Empleado,Nombre,CURP,Curso,Fecha\n1,Ana,,Ética,2021-05-14\n");
  const CsvPlugin plugin;
  EXPECT_EQ(plugin.name(), "csv");
  EXPECT_EQ(plugin.abi_version(), sdk::kAbiVersion);
  EXPECT_FALSE(plugin.description().empty());
  auto source = plugin.create(testing::training_config(p));
  FakeEmitter out;
  source->harvest({}, out, {});
  EXPECT_EQ(out.emitted_keys(), (std::set<std::string>{"row:1|Ética"})) << out.dump();
  EXPECT_EQ(source->probe(), "");
}

// Loads libcsv.so the way the agent does and harvests through it.
TEST(CsvPlugin, LoadsThroughPocoClassLoader) {
  Poco::ClassLoader<sdk::Plugin> loader;
  loader.loadLibrary(CSV_PLUGIN_FILE);
  const auto& manifest = loader.manifestFor(CSV_PLUGIN_FILE);
  ASSERT_NE(manifest.find("CsvPlugin"), manifest.end());
  std::unique_ptr<sdk::Plugin> plugin(loader.create("CsvPlugin"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->name(), "csv");
  EXPECT_EQ(plugin->options().size(), option_table().size());
  {
    TempDir t;
    const std::string p = t.write("c.csv", "No. Empleado;Nombre;CURP;Curso;Fecha\n1;Ana;;Ética;2021-05-14\n");
    auto source = plugin->create(testing::training_config(p));
    FakeEmitter out;
    source->harvest({}, out, {});
    EXPECT_EQ(out.emitted.size(), 1u) << out.dump();
    // A failure thrown inside the library is caught out here.
    auto missing = plugin->create(testing::training_config(t.path("nada.csv")));
    EXPECT_THROW(missing->harvest({}, out, {}), std::runtime_error);
  }
  plugin.reset();
  loader.unloadLibrary(CSV_PLUGIN_FILE);
}

}  // namespace
}  // namespace sseccoe::csv
