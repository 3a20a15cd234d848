// A valid configuration: every value typed, defaulted and resolved.
#include <gmock/gmock.h>

#include "support.hpp"

namespace sseccoe::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(ConfigTest, ValidConfigurationLoadsWithEveryValueTyped) {
  const auto r = load(valid_text());
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& c = r.config;
  EXPECT_EQ(c.agent.institution, "INM");
  EXPECT_EQ(c.agent.program, "PAT-2021");
  EXPECT_EQ(c.agent.state_dir, dir_ + "/state") << "relative paths resolve against the file's directory";
  EXPECT_EQ(c.agent.log_level, "info");
  EXPECT_EQ(c.registry.url, "https://registro.example.gob.mx/api/v1") << "trailing slash dropped";
  EXPECT_EQ(c.registry.token_file, token_);
  EXPECT_EQ(c.registry.timeout, std::chrono::seconds(10));
  EXPECT_EQ(c.registry.retry_initial, std::chrono::seconds(1));
  EXPECT_EQ(c.registry.retry_max, std::chrono::minutes(5));
  EXPECT_EQ(c.registry.concurrency, 4);
  EXPECT_EQ(c.registry.where.line, 6);

  ASSERT_EQ(c.sources.size(), 1u);
  const auto& s = c.sources[0];
  EXPECT_EQ(s.name, "constancias");
  EXPECT_EQ(s.plugin, "folder");
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.interval, std::chrono::minutes(5));
  EXPECT_EQ(s.where.line, 12);
  EXPECT_EQ(s.options.str("path"), "/srv/comite/constancias");
  EXPECT_THAT(s.options.list("include"), ElementsAre("**/*.pdf"));
  EXPECT_FALSE(s.options.has("exclude")) << "no default, not set";
  EXPECT_EQ(s.options.size("max_size"), 64u * 1024 * 1024);
  EXPECT_EQ(s.options.duration("settle"), std::chrono::seconds(5));
  EXPECT_FALSE(s.options.boolean("follow_symlinks"));
  EXPECT_EQ(s.options.integer("depth"), 32);
  EXPECT_EQ(s.options.str("label"), "folder");
  EXPECT_FALSE(s.options.has("password_file"));

  ASSERT_EQ(c.rules.size(), 1u);
  const auto& rule = c.rules[0];
  EXPECT_EQ(rule.index, 1);
  EXPECT_EQ(rule.source, "constancias");
  EXPECT_EQ(rule.glob, "**/*.pdf");
  EXPECT_EQ(rule.regex.at("subject"), "^Constancia");
  EXPECT_EQ(rule.kind, "course_certificate");
  EXPECT_EQ(rule.activity, "1.1.1");
  EXPECT_EQ(rule.title, "Constancia {stem}");
  EXPECT_EQ(rule.attributes.at("curso"), "{meta.course}");
  EXPECT_EQ(rule.where.line, 18);
  EXPECT_THAT(c.files, ElementsAre(dir_ + "/agent.toml"));
  EXPECT_TRUE(r.warnings.empty()) << dump(r);
}

TEST_F(ConfigTest, OptionalSectionsMayBeLeftOut) {
  const auto r = load("[agent]\ninstitution = \"INM\"\nprogram = \"PAT-2021\"\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config.agent.state_dir, "/var/lib/sseccoe-agent");
  EXPECT_TRUE(r.config.registry.url.empty()) << "no url: harvest and classify only";
  EXPECT_EQ(r.config.registry.concurrency, 2);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0].message, HasSubstr("harvest nothing"));
}

TEST_F(ConfigTest, EveryOptionTypeAcceptsItsForms) {
  const auto r = load(valid_text() +
                      "\n[[source]]\nname = \"difusion-2\"\nplugin = \"maildir\"\npath = \"relative/dir\"\n"
                      "enabled = false\ninterval = 90\nmax_size = 1024\nsettle = \"1h30m\"\n"
                      "follow_symlinks = true\ndepth = -1\nexclude = []\nlabel = 'literal \\d'\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& s = r.config.sources.at(1);
  EXPECT_FALSE(s.enabled);
  EXPECT_EQ(s.interval, std::chrono::seconds(90)) << "a bare integer duration is seconds";
  EXPECT_EQ(s.options.str("path"), dir_ + "/relative/dir");
  EXPECT_EQ(s.options.size("max_size"), 1024u) << "a bare integer size is bytes";
  EXPECT_EQ(s.options.duration("settle"), std::chrono::minutes(90));
  EXPECT_TRUE(s.options.boolean("follow_symlinks"));
  EXPECT_EQ(s.options.integer("depth"), -1);
  EXPECT_TRUE(s.options.list("exclude").empty());
  EXPECT_EQ(s.options.str("label"), "literal \\d");
}

TEST_F(ConfigTest, SecretOptionKeepsThePathAndNeverReadsTheFile) {
  const std::string secret = write("share.password", "hunter2-do-not-print");
  std::filesystem::permissions(secret, std::filesystem::perms::owner_read);
  const auto r = load(valid_text() + "\n[[source]]\nname = \"x\"\nplugin = \"folder\"\npath = \"/srv\"\n"
                                     "password_file = \"share.password\"\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config.sources.at(1).options.str("password_file"), secret);
}

TEST_F(ConfigTest, WorldReadableSecretIsAWarningWithTheFix) {
  std::filesystem::permissions(token_, std::filesystem::perms::others_read, std::filesystem::perm_options::add);
  const auto r = load(valid_text());
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.warnings.size(), 1u) << dump(r);
  EXPECT_EQ(r.warnings[0].option, "registry.token_file");
  EXPECT_THAT(r.warnings[0].message, HasSubstr("chmod 600 " + token_));
  EXPECT_THAT(r.warnings[0].message, ::testing::Not(HasSubstr("s3cr3t")));
}

TEST_F(ConfigTest, CredentialsDirectoryIsExpandedForSecretFiles) {
  write("creds/registry.token", "t");
  ::setenv("CREDENTIALS_DIRECTORY", (dir_ + "/creds").c_str(), 1);
  std::string text = valid_text();
  text.replace(text.find("\"registry.token\""), 16, "\"${CREDENTIALS_DIRECTORY}/registry.token\"");
  const auto r = load(text);
  ::unsetenv("CREDENTIALS_DIRECTORY");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config.registry.token_file, dir_ + "/creds/registry.token");

  // From a shell, without systemd, the path cannot be checked: a warning.
  const auto shell = load(text);
  ASSERT_TRUE(shell.ok()) << dump(shell);
  ASSERT_FALSE(shell.warnings.empty());
  EXPECT_THAT(shell.warnings[0].message, HasSubstr("LoadCredential="));
}

TEST_F(ConfigTest, KnownKindsAndActivitiesAreCheckedWhenGiven) {
  core::LoadOptions options;
  options.known_kinds = {"course_certificate", "diffusion_material"};
  options.known_activities = {"1.1.1", "2.1.1"};
  ASSERT_TRUE(load(valid_text(), options).ok());

  std::string text = valid_text();
  text.replace(text.find("\"course_certificate\""), 20, "\"course_certificat\"");
  text.replace(text.find("\"1.1.1\""), 7, "\"9.9.9\"");
  const auto r = load(text, options);
  const auto* kind = error_for(r, "rule[1].kind");
  ASSERT_NE(kind, nullptr);
  EXPECT_THAT(kind->message, HasSubstr("did you mean 'course_certificate'?"));
  EXPECT_EQ(kind->where.line, 21);
  ASSERT_NE(error_for(r, "rule[1].activity"), nullptr);
}

TEST_F(ConfigTest, ConfiguredPluginDirIsReadBeforeValidation) {
  EXPECT_EQ(core::configured_plugin_dir(write("agent.toml", valid_text())), "");
  write("conf.d/10-plugins.toml", "[agent]\nplugin_dir = \"../plugins\"\n");
  EXPECT_EQ(core::configured_plugin_dir(dir_ + "/agent.toml"), dir_ + "/plugins");
  EXPECT_EQ(core::configured_plugin_dir(dir_ + "/nowhere/agent.toml"), "");
}

}  // namespace
}  // namespace sseccoe::test
