#include <Poco/ClassLoader.h>
#include <Poco/Manifest.h>
#include <gtest/gtest.h>

#include <set>

#include "maildir_fixture.hpp"
#include "maildir_options.hpp"
#include "maildir_plugin.hpp"
#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::maildir {
namespace {

using mailtest::FakeEmitter;
using mailtest::MaildirTree;

TEST(OptionTable, OwnOptionsThenTheSharedMailOptionsAllDocumented) {
  std::set<std::string> names;
  for (const auto& spec : option_table()) {
    const std::string name(spec.name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate option " << name;
    EXPECT_FALSE(spec.doc.empty()) << name;
    EXPECT_EQ(spec.doc.find('\n'), std::string_view::npos) << name;
    EXPECT_FALSE(spec.secret) << name;
    EXPECT_EQ(spec.required, name == "path") << name;
    if (!spec.required) {
      EXPECT_FALSE(spec.default_value.empty()) << name;
    }
  }
  for (const char* reserved : {"interval", "name", "plugin", "enabled", "role"})
    EXPECT_EQ(names.count(reserved), 0u) << reserved << " is the core's";
  for (const auto& shared : sdk::mail::shared_options()) EXPECT_EQ(names.count(std::string(shared.name)), 1u);
  EXPECT_EQ(option_table().size(), 4u + sdk::mail::shared_options().size());
}

TEST(OptionTable, SettingsReadBackAndNonsenseIsRefused) {
  MaildirTree t;
  const MaildirSettings s = read_settings(t.config());
  EXPECT_EQ(s.root, t.root());
  EXPECT_TRUE(s.folders.empty());
  EXPECT_TRUE(s.exclude_folders.empty());
  EXPECT_FALSE(s.watch);
  EXPECT_FALSE(s.options.boolean("per_attachment"));
  sdk::SourceConfig c = t.config();
  c.options.set("folders", std::vector<std::string>{"Sent", ""});
  try {
    read_settings(c);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("source 'buzon': option 'folders'"), std::string::npos) << e.what();
  }
  c = t.config();
  c.work_dir.clear();
  EXPECT_THROW(read_settings(c), std::invalid_argument);
  c = t.config();
  c.options.set("path", std::string());
  EXPECT_THROW(read_settings(c), std::invalid_argument);
}

TEST(MaildirPlugin, LoadsThroughPocoClassLoaderAndHarvests) {
  Poco::ClassLoader<sdk::Plugin> loader;
  loader.loadLibrary(MAILDIR_PLUGIN_FILE);
  const auto& manifest = loader.manifestFor(MAILDIR_PLUGIN_FILE);
  ASSERT_NE(manifest.find("MaildirPlugin"), manifest.end());
  std::unique_ptr<sdk::Plugin> plugin(loader.create("MaildirPlugin"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->name(), "maildir");
  EXPECT_EQ(plugin->abi_version(), sdk::kAbiVersion);
  EXPECT_FALSE(plugin->description().empty());
  EXPECT_EQ(plugin->options().size(), option_table().size());
  {
    MaildirTree t;
    t.deliver("INBOX", mailtest::certificate_mail(1, "Ana"));
    t.deliver("INBOX", "");  // quarantined from inside the library
    auto source = plugin->create(t.config());
    FakeEmitter out;
    source->harvest({}, out, {});
    EXPECT_EQ(out.keys(), (std::set<std::string>{"msgid:constancia.1@sicavisp.gob.mx"}));
    EXPECT_EQ(out.quarantined.size(), 1u);
    EXPECT_EQ(source->probe(), "");
    source.reset();
  }
  plugin.reset();
  loader.unloadLibrary(MAILDIR_PLUGIN_FILE);
}

}  // namespace
}  // namespace sseccoe::maildir
