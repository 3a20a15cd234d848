// The plugin loader against real shared libraries built by tests/fixtures:
// good plugins load, broken libraries are reported and skipped.
#include <gmock/gmock.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugins/plugin_registry.hpp"

namespace sseccoe::core {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kFixtures = SSECCOE_TEST_PLUGIN_DIR;

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out;
}

class PluginDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sseccoe-plugins-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ::chmod(dir_.c_str(), 0755);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Copies fixture `name`.so into the test's own directory as `as`.
  void copy(const std::string& name, const std::string& as = "") {
    fs::copy_file(kFixtures + "/" + name + ".so", dir_ + "/" + (as.empty() ? name + ".so" : as),
                  fs::copy_options::overwrite_existing);
  }

  std::string dir_;
};

TEST(PluginRegistry, FixtureDirectoryLoadsTheGoodAndReportsTheBroken) {
  PluginRegistry registry;
  registry.load_directory(kFixtures);
  EXPECT_THAT(registry.names(), ElementsAre("alpha", "beta", "fixture")) << joined(registry.problems());
  const auto& problems = registry.problems();
  ASSERT_EQ(problems.size(), 4u) << joined(problems);
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("fixture_bad_abi.so"), HasSubstr("ABI version " + std::to_string(sdk::kAbiVersion + 98)),
                                       HasSubstr("rebuild the plugin"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("fixture_bad_table.so"), HasSubstr("'password' is secret"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("fixture_throws.so"), HasSubstr("cannot initialise"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("fixture_no_manifest.so"), HasSubstr("No manifest"))));
}

TEST(PluginRegistry, LoadedPluginIsUsable) {
  PluginRegistry registry;
  registry.load_directory(kFixtures);
  const sdk::Plugin* p = registry.find("fixture");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->abi_version(), sdk::kAbiVersion);
  EXPECT_EQ(p->options().size(), 9u);
  EXPECT_EQ(p->options()[0].name, "root");
  EXPECT_TRUE(p->options()[0].required);
  EXPECT_EQ(registry.origin("fixture"), kFixtures + "/fixture_good.so");
  EXPECT_EQ(registry.origin("nope"), "");
  EXPECT_EQ(registry.find("nope"), nullptr);
  sdk::SourceConfig config;
  config.instance = "x";
  auto source = p->create(config);
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->probe(), "");
}

TEST(PluginRegistry, TwoRegistriesCanLoadTheSameLibraries) {
  auto first = std::make_unique<PluginRegistry>();
  first->load_directory(kFixtures);
  first.reset();  // plugins destroyed, libraries stay mapped
  PluginRegistry second;
  second.load_directory(kFixtures);
  ASSERT_NE(second.find("fixture"), nullptr);
  EXPECT_EQ(second.find("fixture")->name(), "fixture");
}

TEST(PluginRegistry, LoadingTheSameDirectoryTwiceAddsNothing) {
  PluginRegistry registry;
  registry.load_directory(kFixtures);
  const auto problems = registry.problems().size();
  registry.load_directory(kFixtures);
  EXPECT_EQ(registry.names().size(), 3u);
  EXPECT_EQ(registry.problems().size(), problems);
}

TEST_F(PluginDir, DuplicatePluginNameIsReportedAndTheFirstKept) {
  copy("fixture_good", "a_good.so");
  copy("fixture_good", "b_copy.so");
  PluginRegistry registry;
  registry.load_directory(dir_);
  EXPECT_THAT(registry.names(), ElementsAre("fixture"));
  EXPECT_EQ(registry.origin("fixture"), dir_ + "/a_good.so");
  ASSERT_EQ(registry.problems().size(), 1u) << joined(registry.problems());
  EXPECT_THAT(registry.problems()[0], AllOf(HasSubstr("b_copy.so"), HasSubstr("already loaded from"),
                                            HasSubstr("a_good.so")));
}

TEST_F(PluginDir, GarbageSharedObjectIsReported) {
  copy("fixture_good");
  std::ofstream(dir_ + "/garbage.so") << "this is not an ELF file";
  std::ofstream(dir_ + "/README.txt") << "ignored: not a .so";
  fs::create_directory(dir_ + "/subdir.so");
  PluginRegistry registry;
  registry.load_directory(dir_);
  EXPECT_THAT(registry.names(), ElementsAre("fixture"));
  ASSERT_EQ(registry.problems().size(), 1u) << joined(registry.problems());
  EXPECT_THAT(registry.problems()[0], HasSubstr("garbage.so"));
}

TEST_F(PluginDir, EmptyFileNamedSoIsReported) {
  std::ofstream(dir_ + "/empty.so").flush();
  PluginRegistry registry;
  registry.load_directory(dir_);
  EXPECT_TRUE(registry.names().empty());
  ASSERT_EQ(registry.problems().size(), 1u);
  EXPECT_THAT(registry.problems()[0], HasSubstr("empty.so"));
}

TEST_F(PluginDir, MissingDirectoryIsAProblemNotACrash) {
  PluginRegistry registry;
  registry.load_directory(dir_ + "/nope");
  EXPECT_TRUE(registry.names().empty());
  ASSERT_EQ(registry.problems().size(), 1u);
  EXPECT_THAT(registry.problems()[0], HasSubstr("plugin_dir"));
}

TEST_F(PluginDir, WorldWritableDirectoryOrLibraryIsRefused) {
  copy("fixture_good");
  ::chmod(dir_.c_str(), 0777);
  PluginRegistry open_dir;
  open_dir.load_directory(dir_);
  EXPECT_TRUE(open_dir.names().empty());
  ASSERT_EQ(open_dir.problems().size(), 1u);
  EXPECT_THAT(open_dir.problems()[0], HasSubstr("chmod o-w"));

  ::chmod(dir_.c_str(), 0755);
  ::chmod((dir_ + "/fixture_good.so").c_str(), 0666);
  PluginRegistry open_file;
  open_file.load_directory(dir_);
  EXPECT_TRUE(open_file.names().empty());
  ASSERT_EQ(open_file.problems().size(), 1u);
  EXPECT_THAT(open_file.problems()[0], HasSubstr("writable by every user"));
}

TEST(PluginRegistry, DefaultDirectoryIsBesideTheExecutable) {
  const auto exe = fs::read_symlink("/proc/self/exe");
  EXPECT_EQ(PluginRegistry::default_directory(),
            (exe.parent_path().parent_path() / "lib" / "sseccoe-agent" / "plugins").string());
}

}  // namespace
}  // namespace sseccoe::core
