// config/agent.toml, the sample IT starts from, must stay valid against the
// real plugins' option tables.
#include <gmock/gmock.h>

#include "config/config.hpp"
#include "plugins/plugin_registry.hpp"

namespace sseccoe::core {
namespace {

TEST(SampleConfiguration, IsValidAgainstTheBuiltPlugins) {
  PluginRegistry registry;
  registry.load_directory(std::string(SSECCOE_BUILD_DIR) + "/lib/sseccoe-agent/plugins");
  for (const char* plugin : {"folder", "imap", "csv", "xlsx"})
    if (registry.find(plugin) == nullptr) GTEST_SKIP() << "the " << plugin << " plugin is not built in this tree";
  LoadOptions options;
  options.check_files = false;  // /etc/sseccoe-agent/registry.token is the machine's, not the test's
  options.read_drop_ins = false;
  const auto r = load_config(std::string(SSECCOE_SOURCE_DIR) + "/config/agent.toml", registry, options);
  std::string errors;
  for (const auto& e : r.errors) errors += "  " + e.str() + "\n";
  ASSERT_TRUE(r.ok()) << errors;
  EXPECT_EQ(r.config.agent.institution, "INM");
  ASSERT_EQ(r.config.sources.size(), 5u);
  EXPECT_EQ(r.config.sources[0].name, "constancias");
  EXPECT_FALSE(r.config.sources[0].options.boolean("watch"));
  EXPECT_EQ(r.config.sources[3].role, "census");
  EXPECT_EQ(r.config.rules.size(), 10u);
  for (const auto& rule : r.config.rules) EXPECT_FALSE(rule.source.empty()) << rule.index;
}

}  // namespace
}  // namespace sseccoe::core
