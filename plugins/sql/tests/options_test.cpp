#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>

#include "sql_options.hpp"
#include "test_support.hpp"

namespace sseccoe::sql {
namespace {

using testing::config_with;

const sdk::StringPairs kColumns = {{"employee_id", "num_empleado"}, {"name", "nombre"}, {"occurred_on", "fecha"}};

sdk::SourceConfig base_config() { return config_with("/etc/dsn", "SELECT * FROM rh.v", {"employee_id"}, kColumns); }

std::string refusal(const sdk::SourceConfig& c) {
  try {
    read_settings(c);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(OptionTable, OwnAndSharedOptionsEachOnceAndDocumented) {
  std::set<std::string> names;
  for (const auto& spec : option_table()) {
    const std::string name(spec.name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate option " << name;
    EXPECT_FALSE(spec.doc.empty()) << name;
    EXPECT_EQ(spec.doc.find('\n'), std::string_view::npos) << name;
    if (!spec.default_value.empty()) {
      EXPECT_NO_THROW(testing::parse_default(spec.type, std::string(spec.default_value))) << name;
    }
  }
  for (const char* expected : {"dsn_file", "query", "updated_column", "full_every", "statement_timeout",
                               "connect_timeout", "fetch_size", "time_zone", "key", "columns"})
    EXPECT_EQ(names.count(expected), 1u) << expected;
  for (const char* reserved : {"interval", "name", "plugin", "enabled", "password", "dsn"})
    EXPECT_EQ(names.count(reserved), 0u) << reserved;
}

TEST(OptionTable, TheDsnFileIsTheOnlySecretAndIsAFile) {
  for (const auto& spec : option_table()) {
    EXPECT_EQ(spec.secret, spec.name == "dsn_file") << spec.name;
    if (spec.secret) {
      EXPECT_EQ(spec.type, sdk::OptionType::Path);
      EXPECT_TRUE(spec.name.ends_with("_file"));
      EXPECT_TRUE(spec.required);
    }
  }
}

TEST(ReadSettings, DefaultsReadBackAsDocumented) {
  const SqlSettings s = read_settings(base_config());
  EXPECT_EQ(s.instance, "rh");
  EXPECT_EQ(s.dsn_file, "/etc/dsn");
  EXPECT_EQ(s.query, "SELECT * FROM rh.v");
  EXPECT_EQ(s.updated_column, "");
  EXPECT_EQ(s.full_every, std::chrono::hours(24));
  EXPECT_EQ(s.statement_timeout, std::chrono::minutes(5));
  EXPECT_EQ(s.connect_timeout, std::chrono::seconds(10));
  EXPECT_EQ(s.fetch_size, 1000);
  EXPECT_EQ(s.time_zone, "");
  EXPECT_EQ(s.table.key, (std::vector<std::string>{"employee_id"}));
  EXPECT_EQ(s.table.columns, kColumns);
}

TEST(ReadSettings, TheQueryIsNormalized) {
  auto c = base_config();
  c.options.set("query", std::string("\n  SELECT * FROM rh.v;\n"));
  EXPECT_EQ(read_settings(c).query, "SELECT * FROM rh.v");
}

TEST(ReadSettings, RefusalsNameTheSourceAndOption) {
  struct Case {
    const char* option;
    sdk::OptionValue value;
    const char* says;
  };
  const Case cases[] = {
      {"query", std::string(" ; "), "option 'query' is empty"},
      {"query", std::string("DELETE FROM rh.plantilla"), "option 'query' must be a SELECT"},
      {"query", std::string("rh.v_plantilla"), "for a view write 'SELECT * FROM schema.view'"},
      {"dsn_file", std::string(""), "option 'dsn_file' is empty"},
      {"fetch_size", std::int64_t{0}, "option 'fetch_size' is 0"},
      {"fetch_size", std::int64_t{100'001}, "option 'fetch_size' is 100001"},
      {"full_every", std::int64_t{59'000}, "option 'full_every' must be at least 1m"},
      {"statement_timeout", std::int64_t{-1}, "option 'statement_timeout' must not be negative"},
      {"connect_timeout", std::int64_t{500}, "option 'connect_timeout' must be 1s to 10m"},
      {"connect_timeout", std::int64_t{601'000}, "option 'connect_timeout' must be 1s to 10m"},
      {"updated_column", std::string("a\nb"), "option 'updated_column' contains a control character"},
      {"time_zone", std::string("UTC\x01"), "option 'time_zone' contains a control character"},
  };
  for (const auto& k : cases) {
    auto c = base_config();
    c.options.set(k.option, k.value);
    const std::string why = refusal(c);
    EXPECT_NE(why.find("source 'rh': "), std::string::npos) << k.option << ": " << why;
    EXPECT_NE(why.find(k.says), std::string::npos) << k.option << ": " << why;
  }
}

TEST(ReadSettings, ConnectTimeoutRoundsUpToWholeSeconds) {
  auto c = base_config();
  c.options.set("connect_timeout", std::int64_t{1500});
  EXPECT_EQ(read_settings(c).connect_timeout, std::chrono::seconds(2));
}

TEST(ReadSettings, TheSharedTableOptionsAreChecked) {
  auto c = base_config();
  c.options.set("key", std::vector<std::string>{"curp"});
  EXPECT_NE(refusal(c).find("option 'key'"), std::string::npos) << refusal(c);
}

TEST(ReadSettings, ACensusCannotBeIncremental) {
  auto c = base_config();
  c.role = "census";
  c.options.set("key", std::vector<std::string>{});
  EXPECT_NO_THROW(read_settings(c));
  c.options.set("updated_column", std::string("actualizado"));
  EXPECT_NE(refusal(c).find("cannot be used on a census source"), std::string::npos) << refusal(c);
}

}  // namespace
}  // namespace sseccoe::sql
