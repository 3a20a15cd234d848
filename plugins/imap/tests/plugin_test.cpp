#include <Poco/ClassLoader.h>
#include <Poco/Manifest.h>

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "imap_options.hpp"
#include "imap_plugin.hpp"
#include "test_support.hpp"

namespace sseccoe::imap {
namespace {

sdk::SourceConfig config() {
  sdk::SourceConfig c;
  c.instance = "correo";
  c.institution = "INM";
  c.options = testing::default_options();
  c.work_dir = "/tmp";
  return c;
}

TEST(OptionTable, EveryOptionIsDocumentedWithAParsableDefault) {
  std::set<std::string> names;
  for (const auto& spec : option_table()) {
    const std::string name(spec.name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate option " << name;
    EXPECT_FALSE(spec.doc.empty()) << name;
    EXPECT_EQ(spec.doc.find('\n'), std::string_view::npos) << name;
    if (spec.secret) {
      EXPECT_EQ(spec.type, sdk::OptionType::Path) << name;
      EXPECT_TRUE(name.size() > 5 && name.substr(name.size() - 5) == "_file") << name;
    }
    if (!spec.default_value.empty()) {
      EXPECT_FALSE(spec.required) << name;
      EXPECT_NO_THROW(testing::parse_default(spec.type, std::string(spec.default_value))) << name;
    }
  }
  for (const char* reserved : {"interval", "name", "plugin", "enabled", "role"})
    EXPECT_EQ(names.count(reserved), 0u) << reserved << " is the core's";
  for (const char* expected : {"url", "username", "password_file", "token_file", "folders", "ca_file", "timeout",
                               "idle", "per_attachment", "max_message_size"})
    EXPECT_EQ(names.count(expected), 1u) << expected;
}

TEST(OptionTable, DefaultsReadBackAsDocumented) {
  const ImapSettings s = read_settings(config());
  EXPECT_EQ(s.server.host, "mail.example.gob.mx");
  EXPECT_EQ(s.server.port, 993);
  EXPECT_TRUE(s.server.implicit_tls);
  EXPECT_EQ(s.folders, (std::vector<std::string>{"INBOX"}));
  EXPECT_EQ(s.ca_file, "");
  EXPECT_EQ(s.timeout, std::chrono::seconds(60));
  EXPECT_TRUE(s.idle);
  EXPECT_EQ(s.work_dir, "/tmp");
}

TEST(OptionTable, ValuesTypesCannotRuleOutAreRefusedWithTheSourceAndOption) {
  auto refused = [](sdk::SourceConfig c, const std::string& fragment) {
    try {
      read_settings(c);
      ADD_FAILURE() << fragment << ": must be refused";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("source 'correo': "), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  sdk::SourceConfig c = config();
  c.options.set("url", std::string("https://mail.example.gob.mx"));
  refused(c, "url");
  c = config();
  c.options.set("token_file", std::string("/run/credentials/token"));
  refused(c, "not both");
  c = sdk::SourceConfig{};
  c.instance = "correo";
  c.options = testing::default_options();
  sdk::OptionValues no_secret;
  for (const auto& [k, v] : c.options.all())
    if (k != "password_file") no_secret.set(k, v);
  c.options = no_secret;
  refused(c, "password_file");
  c = config();
  c.options.set("folders", std::vector<std::string>{});
  refused(c, "folders");
  c = config();
  c.options.set("folders", std::vector<std::string>{"INBOX", ""});
  refused(c, "folders");
  c = config();
  c.options.set("timeout", std::int64_t{10});
  refused(c, "timeout");
  c = config();
  c.options.set("username", std::string());
  refused(c, "username");
}

TEST(ImapPlugin, CreatesASourceWhoseProbeSaysWhatIsWrong) {
  const ImapPlugin plugin;
  EXPECT_EQ(plugin.name(), "imap");
  EXPECT_EQ(plugin.abi_version(), sdk::kAbiVersion);
  sdk::SourceConfig c = config();
  c.options.set("url", std::string("imap://127.0.0.1:1"));  // nothing listens on port 1
  testing::TempDir dir;
  c.options.set("password_file", dir.write("pass", "s3cret\n"));
  auto source = plugin.create(c);
  const std::string problem = source->probe();
  EXPECT_NE(problem.find("cannot connect to the mail server 127.0.0.1:1"), std::string::npos) << problem;

  c.options.set("password_file", dir.path() + "/missing");
  EXPECT_NE(plugin.create(c)->probe().find("option 'password_file'"), std::string::npos);
}

// Loads libimap.so the way the agent does.
TEST(ImapPlugin, LoadsThroughPocoClassLoader) {
  Poco::ClassLoader<sdk::Plugin> loader;
  loader.loadLibrary(IMAP_PLUGIN_FILE);
  const auto& manifest = loader.manifestFor(IMAP_PLUGIN_FILE);
  ASSERT_NE(manifest.find("ImapPlugin"), manifest.end());
  std::unique_ptr<sdk::Plugin> plugin(loader.create("ImapPlugin"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->name(), "imap");
  EXPECT_EQ(plugin->options().size(), option_table().size());
  EXPECT_THROW(plugin->create(sdk::SourceConfig{}), std::exception);
  plugin.reset();
  loader.unloadLibrary(IMAP_PLUGIN_FILE);
}

}  // namespace
}  // namespace sseccoe::imap
