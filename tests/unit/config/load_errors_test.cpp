// Each class of configuration error: reported with file, line, column, the
// option's path and what to do, and every one collected, not just the first.
#include <gmock/gmock.h>

#include "config/sections.hpp"
#include "support.hpp"

namespace sseccoe::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Replaces the first occurrence of `from` in `text`.
std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST_F(ConfigTest, TomlSyntaxErrorHasFileLineAndColumn) {
  const auto r = load("[agent]\ninstitution = \"INM\"\nprogram = PAT-2021\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  const auto& e = r.errors[0];
  EXPECT_EQ(e.where.file, dir_ + "/agent.toml");
  EXPECT_EQ(e.where.line, 3);
  EXPECT_GT(e.where.column, 0);
  EXPECT_THAT(e.message, HasSubstr("invalid TOML"));
  EXPECT_THAT(e.str(), ::testing::StartsWith(dir_ + "/agent.toml:3:"));
}

TEST_F(ConfigTest, TruncatedFileIsASyntaxError) {
  const std::string text = valid_text();
  const auto r = load(text.substr(0, text.find("[[source]]") + 5));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  EXPECT_EQ(r.errors[0].where.line, 12);
  EXPECT_THAT(r.errors[0].message, HasSubstr("invalid TOML"));
}

TEST_F(ConfigTest, MissingInstitutionIsRequired) {
  const auto r = load(with(valid_text(), "institution = \"INM\"\n", ""));
  const auto* e = error_for(r, "agent.institution");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 1) << "the [agent] header";
  EXPECT_THAT(e->message, HasSubstr("required"));
  EXPECT_THAT(e->message, HasSubstr("institution = \"...\""));
  EXPECT_EQ(r.errors.size(), 1u) << dump(r);
}

TEST_F(ConfigTest, MissingAgentSectionSaysWhatToAdd) {
  const auto r = load("[registry]\nurl = \"https://r.example\"\ntoken_file = \"registry.token\"\n");
  const auto* e = error_for(r, "agent");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("add [agent] with institution"));
}

TEST_F(ConfigTest, InstitutionMustBeUpperCaseCode) {
  const auto r = load(with(valid_text(), "\"INM\"", "\"inm\""));
  const auto* e = error_for(r, "agent.institution");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 2);
  EXPECT_EQ(e->where.column, 15);
  EXPECT_THAT(e->message, HasSubstr("write \"INM\""));
}

TEST_F(ConfigTest, UnknownPluginSuggestsTheClosest) {
  const auto r = load(with(valid_text(), "plugin = \"folder\"", "plugin = \"foldr\""));
  const auto* e = error_for(r, "source.constancias.plugin");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 14);
  EXPECT_THAT(e->message, HasSubstr("unknown plugin \"foldr\": did you mean 'folder'?"));
  EXPECT_EQ(r.errors.size(), 1u) << "plugin options are not checked against no plugin\n" << dump(r);
}

TEST_F(ConfigTest, UnknownPluginListsTheLoadedOnesWhenNothingIsClose) {
  const auto r = load(with(valid_text(), "plugin = \"folder\"", "plugin = \"imap\""));
  const auto* e = error_for(r, "source.constancias.plugin");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("loaded plugins: folder, maildir"));
}

TEST_F(ConfigTest, MisspeltPluginOptionSuggestsTheRightOneWithItsLine) {
  const auto r = load(with(valid_text(), "include = ", "incldue = "));
  ASSERT_EQ(r.errors.size(), 1u) << dump(r);
  const auto& e = r.errors[0];
  EXPECT_EQ(e.option, "source.constancias.incldue");
  EXPECT_EQ(e.where.line, 16);
  EXPECT_EQ(e.where.column, 1);
  EXPECT_THAT(e.message, HasSubstr("did you mean 'include'?"));
  EXPECT_EQ(e.str(), dir_ + "/agent.toml:16:1: source.constancias.incldue: unknown option: did you mean 'include'?");
}

TEST_F(ConfigTest, MisspeltCoreSourceKeyIsSuggestedToo) {
  const auto r = load(valid_text() + "\n[[source]]\nname = \"b\"\nplugin = \"folder\"\npath = \"/b\"\nintervall = \"1m\"\n");
  const auto* e = error_for(r, "source.b.intervall");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("did you mean 'interval'?"));
}

TEST_F(ConfigTest, WrongTypeSaysWhatIsExpected) {
  const auto r = load(valid_text() + "\n[[source]]\nname = \"b\"\nplugin = \"folder\"\npath = \"/b\"\n"
                                     "depth = \"3\"\nfollow_symlinks = 1\ninclude = \"*.pdf\"\nmax_size = 1.5\n"
                                     "settle = \"5 minutes\"\n");
  const auto* depth = error_for(r, "source.b.depth");
  ASSERT_NE(depth, nullptr);
  EXPECT_THAT(depth->message, HasSubstr("expected an integer, got the string \"3\": write the number without quotes"));
  EXPECT_EQ(depth->where.line, 30);
  const auto* follow = error_for(r, "source.b.follow_symlinks");
  ASSERT_NE(follow, nullptr);
  EXPECT_THAT(follow->message, HasSubstr("expected a boolean"));
  const auto* include = error_for(r, "source.b.include");
  ASSERT_NE(include, nullptr);
  EXPECT_THAT(include->message, HasSubstr("write it in brackets, [\"*.pdf\"]"));
  const auto* size = error_for(r, "source.b.max_size");
  ASSERT_NE(size, nullptr);
  EXPECT_THAT(size->message, HasSubstr("expected a size"));
  EXPECT_THAT(size->message, HasSubstr("got a floating-point number"));
  const auto* settle = error_for(r, "source.b.settle");
  ASSERT_NE(settle, nullptr);
  EXPECT_THAT(settle->message, HasSubstr("\"5 minutes\" has an unknown unit 'minutes'"));
  EXPECT_EQ(r.errors.size(), 5u) << "every error collected\n" << dump(r);
}

TEST_F(ConfigTest, RequiredPluginOptionMissing) {
  const auto r = load(with(valid_text(), "path = \"/srv/comite/constancias\"\n", ""));
  const auto* e = error_for(r, "source.constancias.path");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 12) << "the [[source]] header";
  EXPECT_THAT(e->message, HasSubstr("required option is missing: add path = \"/path/to/path\""));
  EXPECT_THAT(e->message, HasSubstr("Directory to read"));
}

TEST_F(ConfigTest, DuplicateSourceNameNamesTheFirst) {
  const auto r = load(valid_text() + "\n[[source]]\nname = \"constancias\"\nplugin = \"folder\"\npath = \"/b\"\n");
  const auto* e = error_for(r, "source.constancias.name");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 27);
  EXPECT_THAT(e->message, HasSubstr("duplicate source name: already used at " + dir_ + "/agent.toml:13:8"));
}

TEST_F(ConfigTest, InvalidSourceNameUsesItsIndexInTheOptionPath) {
  const auto r = load(with(valid_text(), "name = \"constancias\"", "name = \"Constancias 2021\""));
  const auto* e = error_for(r, "source[1].name");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("lower-case letters"));
  ASSERT_NE(error_for(r, "rule[1].source"), nullptr);
}

TEST_F(ConfigTest, RuleNamingAnUnknownSourceSuggests) {
  const auto r = load(with(valid_text(), "source = \"constancias\"", "source = \"constancia\""));
  const auto* e = error_for(r, "rule[1].source");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 19);
  EXPECT_THAT(e->message, HasSubstr("did you mean 'constancias'?"));
}

TEST_F(ConfigTest, RuleRequiresKindAndActivity) {
  std::string text = with(valid_text(), "kind = \"course_certificate\"\n", "");
  text = with(text, "activity = \"1.1.1\"\n", "");
  const auto r = load(text);
  ASSERT_NE(error_for(r, "rule[1].kind"), nullptr);
  ASSERT_NE(error_for(r, "rule[1].activity"), nullptr);
  EXPECT_EQ(error_for(r, "rule[1].kind")->where.line, 18);
}

TEST_F(ConfigTest, BadRegexIsReportedAtLoadTimeWithItsLocation) {
  const auto r = load(with(valid_text(), "subject = \"^Constancia\"", "subject = \"(Constancia\""));
  const auto* e = error_for(r, "rule[1].match.subject");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 20);
  EXPECT_GT(e->where.column, 30);
  EXPECT_THAT(e->message, HasSubstr("invalid regular expression \"(Constancia\""));
}

// Rules as a Spanish-speaking IT person writes them: accented classes,
// inline flags and letters outside ASCII are all accepted (RE2), where
// std::regex refused "(?i)".
TEST_F(ConfigTest, SpanishRegexesAreAccepted) {
  for (const char* pattern : {"pr[aá]cticas?", "(?i)capacitaci[oó]n", "PRÁCTICA", "compañ[ií]a", "(?-i)Ñandú",
                              "^Constancia\\\\s+de\\\\s+\\\\w+", "\\\\p{L}+"}) {
    const auto r = load(with(valid_text(), "subject = \"^Constancia\"", std::string("subject = \"") + pattern + "\""));
    EXPECT_TRUE(r.ok()) << pattern << "\n" << dump(r);
    ASSERT_EQ(r.config.rules.size(), 1u);
  }
}

TEST_F(ConfigTest, WhatRe2CannotDoIsReportedWithTheReason) {
  struct Case {
    const char* pattern;
    const char* says;
  };
  for (const Case& c : {Case{"(a)\\\\1", "invalid escape sequence"}, Case{"constancia(?=s)", "invalid perl operator"},
                        Case{"[z-a]", "invalid character class range"}, Case{"a{2,1}", "invalid repetition size"},
                        Case{"x{1001}", "invalid repetition size"}}) {
    const auto r = load(with(valid_text(), "subject = \"^Constancia\"", std::string("subject = \"") + c.pattern + "\""));
    const auto* e = error_for(r, "rule[1].match.subject");
    ASSERT_NE(e, nullptr) << c.pattern << "\n" << dump(r);
    EXPECT_EQ(e->where.line, 20);
    EXPECT_THAT(e->message, HasSubstr(c.says)) << c.pattern;
    EXPECT_THAT(e->message, HasSubstr("RE2 syntax"));
  }
}

TEST_F(ConfigTest, BadGlobAndTemplateAreReported) {
  std::string text = with(valid_text(), "glob = \"**/*.pdf\"", "glob = \"**/[a-z.pdf\"");
  text = with(text, "\"Constancia {stem}\"", "\"Constancia {stem\"");
  text = with(text, "\"{meta.course}\"", "\"{meta course}\"");
  const auto r = load(text);
  ASSERT_NE(error_for(r, "rule[1].match.glob"), nullptr);
  EXPECT_THAT(error_for(r, "rule[1].match.glob")->message, HasSubstr("never closed by ']'"));
  ASSERT_NE(error_for(r, "rule[1].title"), nullptr);
  EXPECT_THAT(error_for(r, "rule[1].title")->message, HasSubstr("unclosed '{'"));
  ASSERT_NE(error_for(r, "rule[1].attributes.curso"), nullptr);
  EXPECT_EQ(r.errors.size(), 3u) << dump(r);
}

TEST_F(ConfigTest, AttachmentIsAGlobAndFilesNameContentRoles) {
  std::string text = with(valid_text(), "match = { glob = \"**/*.pdf\"", "match = { attachment = \"*.pdf\"");
  text = with(text, "kind = ", "files = [\"message\", \"acuse\"]\nkind = ");
  auto r = load(text);
  ASSERT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.config.rules[0].attachment, "*.pdf");
  EXPECT_EQ(r.config.rules[0].files, (std::vector<std::string>{"message", "acuse"}));

  r = load(with(with(valid_text(), "match = { glob = \"**/*.pdf\"", "match = { attachment = \"[a.pdf\""),
                "kind = ", "files = [\"mesage\"]\nkind = "));
  ASSERT_NE(error_for(r, "rule[1].match.attachment"), nullptr) << dump(r);
  EXPECT_THAT(error_for(r, "rule[1].match.attachment")->message, HasSubstr("never closed by ']'"));
  ASSERT_NE(error_for(r, "rule[1].files"), nullptr) << dump(r);
  EXPECT_THAT(error_for(r, "rule[1].files")->message, HasSubstr("did you mean 'message'?"));
}

TEST_F(ConfigTest, MisspeltGlobKeyInMatchIsSuggested) {
  // A glob is no regular expression, so "golb" cannot be a metadata regex.
  const auto r = load(with(valid_text(), "match = { glob", "match = { golb"));
  const auto* e = error_for(r, "rule[1].match.golb");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->message, "unknown match key: did you mean 'glob'?");
  EXPECT_EQ(e->where.column, 11);

  // A valid regex may be a metadata field that happens to look like "glob".
  const auto w = load(with(valid_text(), "match = { glob = \"**/*.pdf\"", "match = { glow = \"x\""));
  EXPECT_TRUE(w.ok()) << "a metadata field may have any name\n" << dump(w);
  ASSERT_EQ(w.warnings.size(), 1u) << dump(w);
  EXPECT_THAT(w.warnings[0].message, HasSubstr("did you mean 'glob'?"));
}

TEST_F(ConfigTest, BadDurationIsReported) {
  const auto r = load(with(valid_text(), "timeout = \"10s\"", "timeout = \"10 sec\""));
  const auto* e = error_for(r, "registry.timeout");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 9);
  EXPECT_THAT(e->message, HasSubstr("unknown unit 'sec'"));
  EXPECT_THAT(e->message, HasSubstr("\"30s\""));
}

TEST_F(ConfigTest, DurationAndRangeLimits) {
  std::string text = with(valid_text(), "concurrency = 4", "concurrency = 33\nretry_initial = \"10m\"");
  text += "\n[[source]]\nname = \"b\"\nplugin = \"folder\"\npath = \"/b\"\ninterval = \"500ms\"\n";
  const auto r = load(text);
  ASSERT_NE(error_for(r, "registry.concurrency"), nullptr);
  ASSERT_NE(error_for(r, "registry.retry_max"), nullptr);
  ASSERT_NE(error_for(r, "source.b.interval"), nullptr);
  EXPECT_THAT(error_for(r, "source.b.interval")->message, HasSubstr("at least 1s"));
}

TEST_F(ConfigTest, PlainHttpToANonLoopbackHostSaysUseHttps) {
  const auto r = load(with(valid_text(), "https://registro.example.gob.mx", "http://registro.example.gob.mx"));
  const auto* e = error_for(r, "registry.url");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 7);
  EXPECT_THAT(e->message, HasSubstr("use https://"));
}

TEST_F(ConfigTest, PlainHttpToLoopbackIsAllowed) {
  for (const char* url : {"http://127.0.0.1:8080/api/v1", "http://localhost:9/api/v1", "http://[::1]:8080/api/v1",
                          "http://127.1.2.3/api/v1"}) {
    const auto r = load(with(valid_text(), "https://registro.example.gob.mx/api/v1/", url));
    EXPECT_TRUE(r.ok()) << url << "\n" << dump(r);
  }
}

TEST_F(ConfigTest, RegistryUrlShapes) {
  EXPECT_EQ(core::config_detail::check_registry_url("https://r.example.gob.mx/api/v1"), "");
  EXPECT_THAT(core::config_detail::check_registry_url("ftp://r.example"), HasSubstr("scheme 'ftp'"));
  EXPECT_THAT(core::config_detail::check_registry_url("https://user:pw@r.example"), HasSubstr("credentials never"));
  EXPECT_THAT(core::config_detail::check_registry_url("https://r.example:99999"), HasSubstr("invalid port"));
  EXPECT_THAT(core::config_detail::check_registry_url("https://r.example/?a=b"), HasSubstr("query"));
  EXPECT_THAT(core::config_detail::check_registry_url("http://127.0.0.1.evil.example/"), HasSubstr("use https://"));
  EXPECT_THAT(core::config_detail::check_registry_url("http://128.0.0.1/"), HasSubstr("use https://"));
  EXPECT_THAT(core::config_detail::check_registry_url("registro.example"), HasSubstr("not a URL"));
  EXPECT_THAT(core::config_detail::check_registry_url("https://"), HasSubstr("no host"));
}

TEST_F(ConfigTest, MissingTokenFileIsAnErrorWithThePathOnly) {
  std::filesystem::remove(token_);
  const auto r = load(valid_text());
  const auto* e = error_for(r, "registry.token_file");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 8);
  EXPECT_THAT(e->message, HasSubstr(token_ + " does not exist"));
}

TEST_F(ConfigTest, TokenFileThatIsADirectoryIsAnError) {
  std::filesystem::remove(token_);
  std::filesystem::create_directory(token_);
  const auto r = load(valid_text());
  const auto* e = error_for(r, "registry.token_file");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("not a regular file"));
}

TEST_F(ConfigTest, UrlWithoutTokenFileIsAnError) {
  const auto r = load(with(valid_text(), "token_file = \"registry.token\"\n", ""));
  const auto* e = error_for(r, "registry.token_file");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("required when url is set"));
}

TEST_F(ConfigTest, InlineSecretIsRefusedWithoutEchoingIt) {
  const auto r = load(with(valid_text(), "token_file = \"registry.token\"", "token = \"s3cr3t-inline\""));
  const auto* e = error_for(r, "registry.token");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("set 'token_file' to its path"));
  for (const auto& err : r.errors) EXPECT_THAT(err.str(), Not(HasSubstr("s3cr3t")));
}

TEST_F(ConfigTest, SecretWithWrongTypeDoesNotEchoTheValue) {
  const auto r = load(valid_text() + "\n[[source]]\nname = \"b\"\nplugin = \"folder\"\npath = \"/b\"\n"
                                     "password_file = 123456789\n");
  const auto* e = error_for(r, "source.b.password_file");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("expected a path"));
  EXPECT_THAT(e->str(), Not(HasSubstr("123456789")));
}

TEST_F(ConfigTest, UnknownTopLevelTablesAndKeysGetSuggestions) {
  const auto r = load(valid_text() + "\n[[sources]]\nname = \"x\"\n\n[registy]\nurl = \"x\"\n");
  ASSERT_NE(error_for(r, "sources"), nullptr);
  EXPECT_THAT(error_for(r, "sources")->message, HasSubstr("did you mean 'source'?"));
  ASSERT_NE(error_for(r, "registy"), nullptr);
  EXPECT_THAT(error_for(r, "registy")->message, HasSubstr("did you mean 'registry'?"));
}

TEST_F(ConfigTest, KeyAboveItsSectionSaysWhereItBelongs) {
  const auto r = load("log_level = \"debug\"\n" + valid_text());
  const auto* e = error_for(r, "log_level");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->where.line, 1);
  EXPECT_THAT(e->message, HasSubstr("belongs in the [agent] section"));
}

TEST_F(ConfigTest, SectionsWithTheWrongBracketsAreExplained) {
  const auto r = load("[[agent]]\ninstitution = \"INM\"\n[source]\nname = \"x\"\n");
  ASSERT_NE(error_for(r, "agent"), nullptr);
  EXPECT_THAT(error_for(r, "agent")->message, HasSubstr("write [agent] (single brackets)"));
  ASSERT_NE(error_for(r, "source"), nullptr);
  EXPECT_THAT(error_for(r, "source")->message, HasSubstr("[[source]]"));
}

TEST_F(ConfigTest, UnknownAgentKeyAndBadLogLevel) {
  const auto r = load(with(valid_text(), "state_dir = \"state\"", "stat_dir = \"state\"\nlog_level = \"verbose\""));
  ASSERT_NE(error_for(r, "agent.stat_dir"), nullptr);
  EXPECT_THAT(error_for(r, "agent.stat_dir")->message, HasSubstr("did you mean 'state_dir'?"));
  ASSERT_NE(error_for(r, "agent.log_level"), nullptr);
  EXPECT_THAT(error_for(r, "agent.log_level")->message, HasSubstr("trace, debug, info, warn, error"));
}

TEST_F(ConfigTest, UnknownTimezoneAndMissingCatalogFile) {
  const auto r = load(with(valid_text(), "state_dir = \"state\"",
                           "timezone = \"America/Nowhere_City\"\ncatalog_file = \"PAT-2021.json\""));
  if (std::filesystem::is_directory("/usr/share/zoneinfo")) {
    ASSERT_NE(error_for(r, "agent.timezone"), nullptr);
  }
  ASSERT_NE(error_for(r, "agent.catalog_file"), nullptr);
  EXPECT_THAT(error_for(r, "agent.catalog_file")->message, HasSubstr(dir_ + "/PAT-2021.json does not exist"));
}

TEST_F(ConfigTest, ErrorsAreSortedByPosition) {
  std::string text = with(valid_text(), "concurrency = 4", "concurrency = 0");
  text = with(text, "include = ", "incldue = ");
  text = with(text, "institution = \"INM\"", "institution = \"inm\"");
  const auto r = load(text);
  ASSERT_EQ(r.errors.size(), 3u) << dump(r);
  EXPECT_LT(r.errors[0].where.line, r.errors[1].where.line);
  EXPECT_LT(r.errors[1].where.line, r.errors[2].where.line);
}

TEST_F(ConfigTest, NulCharacterInAStringIsRefused) {
  const auto r = load(with(valid_text(), "path = \"/srv/comite/constancias\"", "path = \"/srv\\u0000/x\""));
  ASSERT_NE(error_for(r, "source.constancias.path"), nullptr);
  EXPECT_THAT(error_for(r, "source.constancias.path")->message, HasSubstr("NUL"));
}

}  // namespace
}  // namespace sseccoe::test

namespace sseccoe::test {
namespace {

TEST_F(ConfigTest, UnknownPluginMentionsLibrariesThatFailedToLoad) {
  write("plugins/broken.so", "not an ELF file");
  registry_.load_directory(dir_ + "/plugins");
  ASSERT_EQ(registry_.problems().size(), 1u);
  const auto r = load(with(valid_text(), "plugin = \"folder\"", "plugin = \"imap\""));
  const auto* e = error_for(r, "source.constancias.plugin");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("(some plugin libraries failed to load: run 'sseccoe-agent plugins list')"));
}

}  // namespace
}  // namespace sseccoe::test

namespace sseccoe::test {
namespace {

TEST_F(ConfigTest, DisabledSourceWithAnUnknownPluginIsOnlyAWarning) {
  const auto r = load(valid_text() + "\n[[source]]\nname = \"correo\"\nplugin = \"imap\"\nenabled = false\nhost = \"x\"\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.warnings.size(), 1u) << dump(r);
  EXPECT_EQ(r.warnings[0].option, "source.correo.plugin");
  EXPECT_THAT(r.warnings[0].message, HasSubstr("the source is disabled"));
}

const sdk::OptionSpec kBrokenDefault[] = {
    {"wait", sdk::OptionType::Duration, "soon", false, false, "A default that does not parse"},
};

TEST_F(ConfigTest, PluginDefaultThatDoesNotParseIsBlamedOnThePlugin) {
  registry_.add(std::make_unique<FakePlugin>("sloppy", kBrokenDefault));
  const auto r = load(valid_text() + "\n[[source]]\nname = \"s\"\nplugin = \"sloppy\"\n");
  const auto* e = error_for(r, "source.s.wait");
  ASSERT_NE(e, nullptr);
  EXPECT_THAT(e->message, HasSubstr("plugin 'sloppy' declares an invalid default"));
  EXPECT_THAT(e->message, HasSubstr("set it explicitly"));
  const auto fixed = load(valid_text() + "\n[[source]]\nname = \"s\"\nplugin = \"sloppy\"\nwait = \"1m\"\n");
  EXPECT_TRUE(fixed.ok()) << dump(fixed);
}

}  // namespace
}  // namespace sseccoe::test

namespace sseccoe::test {
namespace {

// Every key, given a value of a type it never takes, is one error for that
// key: nothing throws, nothing is silently defaulted.
TEST_F(ConfigTest, EveryKeyWithAWrongTypeIsOneErrorNeverAThrow) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> sections = {
      {"agent", {"institution", "program", "state_dir", "catalog_file", "plugin_dir", "log_level", "timezone"}},
      {"registry", {"url", "token_file", "ca_file", "timeout", "retry_initial", "retry_max", "concurrency"}},
      {"source", {"name", "plugin", "enabled", "interval", "path", "include", "exclude", "max_size", "settle",
                  "follow_symlinks", "depth", "label", "password_file"}},
      {"rule", {"source", "match", "kind", "activity", "title", "attributes", "files"}},
  };
  for (const auto& [section, keys] : sections) {
    for (const auto& key : keys) {
      for (const std::string bad : {"{ x = 1 }", "1979-05-27T07:32:00Z", "[1, \"a\"]"}) {
        // Replace the key's line in the valid text, or add it to the section.
        std::string text = valid_text();
        const std::string header = section == "source" || section == "rule" ? "[[" + section + "]]\n"
                                                                             : "[" + section + "]\n";
        const auto start = text.find(header);
        ASSERT_NE(start, std::string::npos);
        const auto line = text.find("\n" + key + " = ", start);
        const auto section_end = text.find("\n\n", start);
        if (line != std::string::npos && line < section_end) {
          const auto eol = text.find('\n', line + 1);
          text.replace(line + 1, eol - line - 1, key + " = " + bad);
        } else {
          text.insert(start + header.size(), key + " = " + bad + "\n");
        }
        core::ConfigResult r;
        ASSERT_NO_THROW(r = load(text)) << section << "." << key << " = " << bad;
        EXPECT_FALSE(r.ok()) << section << "." << key << " = " << bad;
        bool named = false;
        for (const auto& e : r.errors) named = named || e.option.find("." + key) != std::string::npos ||
                                                e.option.find("]." + key) != std::string::npos;
        EXPECT_TRUE(named) << section << "." << key << " = " << bad << "\n" << dump(r);
      }
    }
  }
}

}  // namespace
}  // namespace sseccoe::test
