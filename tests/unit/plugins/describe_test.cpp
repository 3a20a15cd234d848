// `plugins describe` text and docs/plugins/NAME.md, generated from the
// option table, and the checks add() makes on a plugin.
#include <gmock/gmock.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "plugins/plugin_registry.hpp"

namespace sseccoe::core {
namespace {

using sdk::OptionSpec;
using sdk::OptionType;
using ::testing::HasSubstr;
using ::testing::Not;

const OptionSpec kOptions[] = {
    {"root", OptionType::Path, "", true, false, "Directory to read"},
    {"include", OptionType::StringList, "[\"**\"]", false, false, "Globs | with a pipe"},
    {"settle", OptionType::Duration, "5s", false, false, "Wait until a file is this old"},
    {"password_file", OptionType::Path, "", false, true, "File holding the password"},
    {"depth", OptionType::Integer, "", true, false, "How deep"},
};

class TablePlugin : public sdk::Plugin {
 public:
  TablePlugin(std::string name, std::span<const OptionSpec> options, int abi = sdk::kAbiVersion,
              std::string description = "Reads things for tests")
      : name_(std::move(name)), description_(std::move(description)), options_(options), abi_(abi) {}
  int abi_version() const override { return abi_; }
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return description_; }
  std::span<const OptionSpec> options() const override { return options_; }
  std::unique_ptr<sdk::Source> create(const sdk::SourceConfig&) const override { return nullptr; }

 private:
  std::string name_, description_;
  std::span<const OptionSpec> options_;
  int abi_;
};

TEST(Describe, TextListsEveryOptionInAlignedColumns) {
  const std::string text = describe_plugin_text(TablePlugin("things", kOptions));
  EXPECT_THAT(text, HasSubstr("things: Reads things for tests"));
  EXPECT_THAT(text, HasSubstr("plugin = \"things\""));
  std::istringstream lines(text);
  std::string line, header;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) {
    if (line.find("OPTION") != std::string::npos && header.empty()) header = line;
    if (line.rfind("  root ", 0) == 0 || line.rfind("  settle ", 0) == 0 || line.rfind("  password_file ", 0) == 0)
      rows.push_back(line);
  }
  ASSERT_FALSE(header.empty()) << text;
  ASSERT_EQ(rows.size(), 3u) << text;
  const auto type_col = header.find("TYPE");
  for (const auto& row : rows) EXPECT_NE(row.substr(type_col, 4), "    ") << row;
  EXPECT_THAT(rows[0], HasSubstr("(required)"));
  EXPECT_THAT(rows[0], HasSubstr("path"));
  EXPECT_THAT(rows[1], HasSubstr("5s"));
  EXPECT_THAT(rows[2], HasSubstr("yes"));
  EXPECT_THAT(text, HasSubstr("Options every source has"));
  EXPECT_THAT(text, HasSubstr("interval"));
}

TEST(Describe, MarkdownHasTableCommonOptionsAndAnExample) {
  const std::string md = describe_plugin_markdown(TablePlugin("things", kOptions));
  EXPECT_THAT(md, HasSubstr("# Source plugin `things`\n"));
  EXPECT_THAT(md, HasSubstr("| Option | Type | Default | Required | Secret | Description |"));
  EXPECT_THAT(md, HasSubstr("| `include` | list of strings | `[\"**\"]` |  |  | Globs \\| with a pipe |"));
  EXPECT_THAT(md, HasSubstr("| `password_file` | path |  |  | yes | File holding the password |"));
  EXPECT_THAT(md, HasSubstr("## Options every source has"));
  EXPECT_THAT(md, HasSubstr("| `interval` | duration | `5m` |"));
  EXPECT_THAT(md, HasSubstr("```toml\n[[source]]\nname = \"things\"\nplugin = \"things\"\n"
                            "root = \"/path/to/root\"\ndepth = 1\n```\n"));
  EXPECT_THAT(md, Not(HasSubstr("password_file = "))) << "only required options in the example";
}

TEST(Describe, MarkdownEscapesProseButNotCode) {
  const OptionSpec options[] = {
      {"exclude", OptionType::StringList, R"(["**/*.tmp"])", false, false, "Skips lock files (~$*) and <temp>"},
  };
  const std::string md = describe_plugin_markdown(TablePlugin("things", options));
  EXPECT_THAT(md, HasSubstr("| `exclude` | list of strings | `[\"**/*.tmp\"]` |  |  | "
                            "Skips lock files (~$\\*) and \\<temp> |"));
}

TEST(Describe, PluginWithoutOptions) {
  const TablePlugin bare("bare", {});
  EXPECT_THAT(describe_plugin_text(bare), HasSubstr("(none)"));
  EXPECT_THAT(describe_plugin_markdown(bare), HasSubstr("no options of its own"));
}

// docs/plugins/NAME.md must be what the code generates, for every plugin the
// build produced; regenerate with 'sseccoe-agent plugins describe NAME --markdown'.
TEST(Describe, CommittedPluginDocsMatchTheOptionTables) {
  PluginRegistry registry;
  registry.load_directory(std::string(SSECCOE_BUILD_DIR) + "/lib/sseccoe-agent/plugins");
  if (registry.names().empty()) GTEST_SKIP() << "no plugin built in this build tree";
  for (const auto* plugin : registry.all()) {
    const std::string path =
        std::string(SSECCOE_SOURCE_DIR) + "/docs/plugins/" + std::string(plugin->name()) + ".md";
    std::ifstream in(path);
    ASSERT_TRUE(in) << path << " is missing: generate it with 'sseccoe-agent plugins describe " << plugin->name()
                    << " --markdown > " << path << "'";
    std::stringstream committed;
    committed << in.rdbuf();
    EXPECT_EQ(committed.str(), describe_plugin_markdown(*plugin))
        << path << " is stale: regenerate it with 'sseccoe-agent plugins describe " << plugin->name()
        << " --markdown'";
  }
}

TEST(Add, AcceptsAConsistentPluginAndSortsByName) {
  PluginRegistry registry;
  registry.add(std::make_unique<TablePlugin>("zeta", kOptions));
  registry.add(std::make_unique<TablePlugin>("alpha", kOptions));
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"alpha", "zeta"}));
  ASSERT_EQ(registry.all().size(), 2u);
  EXPECT_EQ(registry.all()[0]->name(), "alpha");
  EXPECT_EQ(registry.origin("zeta"), "(added directly)");
  EXPECT_THROW(registry.add(std::make_unique<TablePlugin>("zeta", kOptions)), std::invalid_argument);
  EXPECT_THROW(registry.add(nullptr), std::invalid_argument);
}

TEST(Add, RefusesInconsistentPlugins) {
  const OptionSpec inline_secret[] = {{"password", OptionType::String, "", false, true, "x"}};
  const OptionSpec twice[] = {{"a", OptionType::String, "", false, false, "x"},
                              {"a", OptionType::String, "", false, false, "x"}};
  const OptionSpec core_name[] = {{"interval", OptionType::Duration, "1m", false, false, "x"}};
  const OptionSpec bad_name[] = {{"Max-Size", OptionType::Size, "", false, false, "x"}};
  const OptionSpec required_default[] = {{"a", OptionType::String, "x", true, false, "x"}};
  PluginRegistry registry;
  auto refused = [&](std::unique_ptr<sdk::Plugin> p, const std::string& why) {
    try {
      registry.add(std::move(p));
      ADD_FAILURE() << "accepted; expected: " << why;
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(why));
    }
  };
  refused(std::make_unique<TablePlugin>("p", inline_secret), "must be a path option whose name ends in \"_file\"");
  refused(std::make_unique<TablePlugin>("p", twice), "declared twice");
  refused(std::make_unique<TablePlugin>("p", core_name), "option every source has");
  refused(std::make_unique<TablePlugin>("p", bad_name), "option names are lower-case");
  refused(std::make_unique<TablePlugin>("p", required_default), "required and has a default");
  refused(std::make_unique<TablePlugin>("Bad Name", kOptions), "invalid name");
  refused(std::make_unique<TablePlugin>("p", kOptions, sdk::kAbiVersion + 1), "ABI version");
  refused(std::make_unique<TablePlugin>("p", kOptions, sdk::kAbiVersion, ""), "no description");
  EXPECT_TRUE(registry.names().empty());
}

}  // namespace
}  // namespace sseccoe::core
