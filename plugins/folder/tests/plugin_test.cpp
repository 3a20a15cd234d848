#include <Poco/ClassLoader.h>
#include <Poco/Manifest.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "folder_options.hpp"
#include "folder_plugin.hpp"
#include "test_support.hpp"

namespace sseccoe::folder {
namespace {

using testing::FakeEmitter;
using testing::TempTree;

sdk::SourceConfig config_for(const std::string& root) {
  sdk::SourceConfig c;
  c.instance = "constancias";
  c.institution = "INM";
  c.options = testing::default_options(root);
  return c;
}

TEST(OptionTable, EveryOptionIsDocumentedWithAParsableDefault) {
  std::set<std::string> names;
  for (const auto& spec : option_table()) {
    const std::string name(spec.name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate option " << name;
    EXPECT_FALSE(spec.doc.empty()) << name;
    EXPECT_EQ(spec.doc.find('\n'), std::string_view::npos) << name << ": the doc is one line";
    EXPECT_FALSE(spec.secret) << name;
    if (!spec.default_value.empty()) {
      EXPECT_NO_THROW(testing::parse_default(spec.type, std::string(spec.default_value))) << name;
    } else {
      EXPECT_TRUE(spec.required) << name << " has neither a default nor required";
    }
  }
  for (const char* reserved : {"interval", "name", "plugin", "enabled"})
    EXPECT_EQ(names.count(reserved), 0u) << reserved << " is the core's";
  for (const char* expected : {"path", "include", "exclude", "case_insensitive_globs", "follow_symlinks", "settle",
                               "max_file_size", "watch", "max_depth", "track_inode"})
    EXPECT_EQ(names.count(expected), 1u) << expected;
}

TEST(OptionTable, PathIsTheOnlyRequiredOption) {
  for (const auto& spec : option_table()) {
    EXPECT_EQ(spec.required, spec.name == "path") << spec.name;
    if (spec.name == "path") {
      EXPECT_EQ(spec.type, sdk::OptionType::Path);
    }
  }
}

TEST(OptionTable, DefaultsReadBackAsDocumented) {
  const FolderSettings s = read_settings(config_for("/srv/x"));
  EXPECT_EQ(s.root, "/srv/x");
  EXPECT_EQ(s.include, (std::vector<std::string>{"**"}));
  EXPECT_GE(s.exclude.size(), 5u);
  EXPECT_TRUE(s.case_insensitive_globs);
  EXPECT_TRUE(s.follow_symlinks);
  EXPECT_EQ(s.settle, std::chrono::seconds(5));
  EXPECT_EQ(s.max_file_size, 8ull << 30);
  EXPECT_TRUE(s.watch);
  EXPECT_EQ(s.max_depth, 64);
  EXPECT_TRUE(s.track_inode);
}

TEST(OptionTable, OutOfRangeValuesAreRefusedWithTheSourceAndOption) {
  for (const std::int64_t depth : {std::int64_t{-1}, kMaxDepthLimit + 1}) {
    sdk::SourceConfig c = config_for("/srv/x");
    c.options.set("max_depth", depth);
    try {
      read_settings(c);
      FAIL() << "max_depth " << depth << " must be refused";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("source 'constancias': option 'max_depth'"), std::string::npos);
    }
  }
  sdk::SourceConfig c = config_for("/srv/x");
  c.options.set("include", std::vector<std::string>{});
  EXPECT_THROW(read_settings(c), std::invalid_argument);
  c = config_for("");
  EXPECT_THROW(read_settings(c), std::invalid_argument);
}

TEST(FolderPlugin, CreatesASourceAndRefusesBadGlobs) {
  TempTree t;
  t.write("a.pdf", "x");
  const FolderPlugin plugin;
  EXPECT_EQ(plugin.name(), "folder");
  EXPECT_EQ(plugin.abi_version(), sdk::kAbiVersion);
  EXPECT_FALSE(plugin.description().empty());
  auto source = plugin.create(config_for(t.root()));
  FakeEmitter out;
  source->harvest({}, out, {});
  EXPECT_EQ(out.emitted_keys(), (std::set<std::string>{"a.pdf"}));
  EXPECT_EQ(source->probe(), "");

  sdk::SourceConfig bad = config_for(t.root());
  bad.options.set("include", std::vector<std::string>{"[a-"});
  try {
    plugin.create(bad);
    FAIL() << "a malformed glob must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("source 'constancias': option 'include'"), std::string::npos) << e.what();
  }
}

// Loads libfolder.so the way the agent does and harvests through it, with a
// content error thrown inside the library and caught out here.
TEST(FolderPlugin, LoadsThroughPocoClassLoader) {
  Poco::ClassLoader<sdk::Plugin> loader;
  loader.loadLibrary(FOLDER_PLUGIN_FILE);
  const auto& manifest = loader.manifestFor(FOLDER_PLUGIN_FILE);
  ASSERT_NE(manifest.find("FolderPlugin"), manifest.end());
  std::unique_ptr<sdk::Plugin> plugin(loader.create("FolderPlugin"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->name(), "folder");
  EXPECT_EQ(plugin->options().size(), option_table().size());
  {
    TempTree t;
    t.write("keep.pdf", "k");
    t.write("vanish.pdf", "v");
    auto source = plugin->create(config_for(t.root()));
    FakeEmitter out;
    out.before_open = [&](const sdk::Item& item) {
      if (item.natural_key == "vanish.pdf") t.remove("vanish.pdf");
    };
    source->harvest({}, out, {});
    ASSERT_NE(out.find("vanish.pdf"), nullptr);
    EXPECT_EQ(out.find("vanish.pdf")->outcome, sdk::EmitOutcome::Deferred);
    EXPECT_EQ(out.find("keep.pdf")->outcome, sdk::EmitOutcome::New);
    source.reset();
  }
  plugin.reset();
  loader.unloadLibrary(FOLDER_PLUGIN_FILE);
}

}  // namespace
}  // namespace sseccoe::folder
