// Helpers for the configuration tests: a temporary directory with an
// agent.toml and drop-ins, and a fake plugin registered directly, so that the
// tests do not depend on any real plugin being built.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "config/config.hpp"
#include "plugins/plugin_registry.hpp"

namespace sseccoe::test {

using sdk::OptionSpec;
using sdk::OptionType;

inline const OptionSpec kFakeOptions[] = {
    {"path", OptionType::Path, "", true, false, "Directory to read"},
    {"include", OptionType::StringList, "[\"**\"]", false, false, "Globs of files to take"},
    {"exclude", OptionType::StringList, "", false, false, "Globs of files to skip"},
    {"max_size", OptionType::Size, "64MiB", false, false, "Larger files are quarantined"},
    {"settle", OptionType::Duration, "5s", false, false, "Wait until a file is this old"},
    {"follow_symlinks", OptionType::Boolean, "false", false, false, "Follow symbolic links"},
    {"depth", OptionType::Integer, "32", false, false, "Deepest directory level"},
    {"label", OptionType::String, "\"folder\"", false, false, "Free text"},
    {"password_file", OptionType::Path, "", false, true, "File holding the share's password"},
};

class FakeSource : public sdk::Source {
 public:
  sdk::Cursor harvest(const sdk::Cursor& from, sdk::Emitter&, std::stop_token) override { return from; }
};

class FakePlugin : public sdk::Plugin {
 public:
  explicit FakePlugin(std::string name = "folder", std::span<const OptionSpec> options = kFakeOptions)
      : name_(std::move(name)), options_(options) {}
  std::string_view name() const override { return name_; }
  std::string_view description() const override { return "Fake plugin for configuration tests"; }
  std::span<const OptionSpec> options() const override { return options_; }
  std::unique_ptr<sdk::Source> create(const sdk::SourceConfig&) const override {
    return std::make_unique<FakeSource>();
  }

 private:
  std::string name_;
  std::span<const OptionSpec> options_;
};

// A fresh directory per test, removed afterwards.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sseccoe-config-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    registry_.add(std::make_unique<FakePlugin>("folder"));
    registry_.add(std::make_unique<FakePlugin>("maildir"));
    token_ = write("registry.token", "s3cr3t-token-value\n");
    std::filesystem::permissions(token_, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const std::filesystem::path p = std::filesystem::path(dir_) / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    return p.string();
  }

  // A complete, valid configuration; tests append to it or replace parts.
  std::string valid_text() const {
    return "[agent]\n"
           "institution = \"INM\"\n"
           "program = \"PAT-2021\"\n"
           "state_dir = \"state\"\n"
           "\n"
           "[registry]\n"
           "url = \"https://registro.example.gob.mx/api/v1/\"\n"
           "token_file = \"registry.token\"\n"
           "timeout = \"10s\"\n"
           "concurrency = 4\n"
           "\n"
           "[[source]]\n"
           "name = \"constancias\"\n"
           "plugin = \"folder\"\n"
           "path = \"/srv/comite/constancias\"\n"
           "include = [\"**/*.pdf\"]\n"
           "\n"
           "[[rule]]\n"
           "source = \"constancias\"\n"
           "match = { glob = \"**/*.pdf\", subject = \"^Constancia\" }\n"
           "kind = \"course_certificate\"\n"
           "activity = \"1.1.1\"\n"
           "title = \"Constancia {stem}\"\n"
           "attributes = { curso = \"{meta.course}\" }\n";
  }

  core::ConfigResult load(const std::string& text, core::LoadOptions options = {}) {
    return core::load_config(write("agent.toml", text), registry_, options);
  }

  // Every error, one per line, for failure messages.
  static std::string dump(const core::ConfigResult& r) {
    std::string out;
    for (const auto& e : r.errors) out += "  error: " + e.str() + "\n";
    for (const auto& w : r.warnings) out += "  warning: " + w.str() + "\n";
    return out;
  }

  // The one error whose option path is `option`; fails the test otherwise.
  static const core::ConfigError* error_for(const core::ConfigResult& r, const std::string& option) {
    const core::ConfigError* found = nullptr;
    for (const auto& e : r.errors)
      if (e.option == option) found = &e;
    EXPECT_NE(found, nullptr) << "no error for " << option << "; got:\n" << dump(r);
    return found;
  }

  std::string dir_;
  std::string token_;
  core::PluginRegistry registry_;
};

}  // namespace sseccoe::test
