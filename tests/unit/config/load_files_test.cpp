// What can be wrong with the files themselves, and conf.d drop-ins.
#include <gmock/gmock.h>

#include "support.hpp"

namespace sseccoe::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(ConfigTest, MissingFileSaysHowToCreateIt) {
  const auto r = core::load_config(dir_ + "/nope.toml", registry_);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].where.file, dir_ + "/nope.toml");
  EXPECT_THAT(r.errors[0].message, HasSubstr("does not exist"));
  EXPECT_THAT(r.errors[0].message, HasSubstr("--config"));
}

TEST_F(ConfigTest, DirectoryInsteadOfFile) {
  const auto r = core::load_config(dir_, registry_);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].message, HasSubstr("is a directory"));
}

TEST_F(ConfigTest, EmptyFileReportsTheMissingAgentSection) {
  const auto r = load("");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].option, "agent");
}

TEST_F(ConfigTest, BinaryGarbageIsAnErrorNotACrash) {
  std::string garbage;
  std::uint32_t x = 2463534242u;
  for (int i = 0; i < 4096; ++i) {  // xorshift: deterministic noise
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    garbage += static_cast<char>(x & 0xff);
  }
  const auto r = load(garbage);
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_THAT(r.errors[0].message, HasSubstr("invalid TOML"));
  EXPECT_GE(r.errors[0].where.line, 1);
}

TEST_F(ConfigTest, InvalidUtf8IsReportedWithItsPosition) {
  const auto r = load("[agent]\ninstitution = \"INM\"\nprogram = \"PAT-\xff\xfe\"\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].where.line, 3);
  EXPECT_THAT(r.errors[0].message, HasSubstr("utf-8"));
}

TEST_F(ConfigTest, Latin1FileIsReportedNotMisread) {
  // "Difusión" written by an editor in Windows-1252.
  const auto r = load(valid_text() + "# Difusi\xf3n\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].where.line, 25);
}

TEST_F(ConfigTest, Utf8ByteOrderMarkIsAccepted) {
  const auto r = load("\xEF\xBB\xBF" + valid_text());
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST_F(ConfigTest, HugeFileIsRefusedBeforeParsing) {
  std::string big;
  big.reserve(10u << 20);
  const std::string line = "# padding padding padding padding padding padding padding padding\n";
  while (big.size() < (10u << 20)) big += line;
  const auto r = load(valid_text() + big);
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_THAT(r.errors[0].message, HasSubstr("larger than the limit of 1 MiB"));
}

TEST_F(ConfigTest, DeeplyNestedArraysAreASyntaxError) {
  const auto r = load("[agent]\nx = " + std::string(5000, '[') + "\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_THAT(r.errors[0].message, HasSubstr("invalid TOML"));
}

TEST_F(ConfigTest, DropInAddsASourceAndOverridesAKey) {
  write("agent.toml", valid_text());
  write("conf.d/20-difusion.toml",
        "[agent]\nlog_level = \"debug\"\n\n[[source]]\nname = \"difusion\"\nplugin = \"folder\"\npath = \"/srv/difusion\"\n\n"
        "[[rule]]\nsource = \"difusion\"\nkind = \"diffusion_material\"\nactivity = \"2.1.1\"\n");
  write("conf.d/10-registry.toml", "[registry]\ntimeout = \"2m\"\n");
  write("conf.d/.hidden.toml", "garbage = [\n");
  write("conf.d/notes.txt", "not toml at all [");
  const auto r = core::load_config(dir_ + "/agent.toml", registry_);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_THAT(r.config.files, ElementsAre(dir_ + "/agent.toml", dir_ + "/conf.d/10-registry.toml",
                                          dir_ + "/conf.d/20-difusion.toml"));
  EXPECT_EQ(r.config.agent.log_level, "debug");
  EXPECT_EQ(r.config.agent.institution, "INM") << "keys not overridden stay";
  EXPECT_EQ(r.config.registry.timeout, std::chrono::minutes(2));
  ASSERT_EQ(r.config.sources.size(), 2u);
  EXPECT_EQ(r.config.sources[1].name, "difusion");
  EXPECT_EQ(r.config.sources[1].where.file, dir_ + "/conf.d/20-difusion.toml");
  ASSERT_EQ(r.config.rules.size(), 2u);
  EXPECT_EQ(r.config.rules[1].index, 2) << "rules are numbered across files, in order";
  EXPECT_EQ(r.config.rules[1].source, "difusion");
}

TEST_F(ConfigTest, DropInErrorsNameTheDropIn) {
  write("agent.toml", valid_text());
  write("conf.d/50-extra.toml", "[[source]]\nname = \"constancias\"\nplugin = \"folder\"\npath = \"/x\"\n");
  write("conf.d/60-broken.toml", "[registry\n");
  const auto r = core::load_config(dir_ + "/agent.toml", registry_);
  ASSERT_EQ(r.errors.size(), 1u) << "a file that does not parse stops the section checks\n" << dump(r);
  EXPECT_EQ(r.errors[0].where.file, dir_ + "/conf.d/60-broken.toml");

  std::filesystem::remove(dir_ + "/conf.d/60-broken.toml");
  const auto dup = core::load_config(dir_ + "/agent.toml", registry_);
  ASSERT_EQ(dup.errors.size(), 1u) << dump(dup);
  EXPECT_EQ(dup.errors[0].where.file, dir_ + "/conf.d/50-extra.toml");
  EXPECT_EQ(dup.errors[0].where.line, 2);
  EXPECT_THAT(dup.errors[0].message, HasSubstr("already used at " + dir_ + "/agent.toml:13"));
}

TEST_F(ConfigTest, DropInsCanBeSkipped) {
  write("agent.toml", valid_text());
  write("conf.d/10-broken.toml", "[[[");
  core::LoadOptions options;
  options.read_drop_ins = false;
  const auto r = core::load_config(dir_ + "/agent.toml", registry_, options);
  EXPECT_TRUE(r.ok()) << dump(r);
}

TEST_F(ConfigTest, TooManyErrorsAreCappedWithACount) {
  std::string text = valid_text();
  for (int i = 0; i < 300; ++i) text += "\n[[rule]]\nsource = \"nope\"\nkind = \"k\"\nactivity = \"1\"\n";
  const auto r = load(text);
  ASSERT_EQ(r.errors.size(), 201u);
  EXPECT_THAT(r.errors.back().message, HasSubstr("100 more errors not shown"));
}

}  // namespace
}  // namespace sseccoe::test
