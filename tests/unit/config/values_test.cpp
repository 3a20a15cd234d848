// The value grammars (durations, sizes, option-table defaults), suggestions,
// glob and template checks, and the error formatting.
#include <gmock/gmock.h>

#include <limits>

#include "config/config.hpp"

namespace sseccoe::core {
namespace {

using namespace std::chrono_literals;
using sdk::OptionType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Duration, AcceptsEveryUnitAndCompounds) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("5m"), 5min);
  EXPECT_EQ(parse_duration("2h"), 2h);
  EXPECT_EQ(parse_duration("1d"), 24h);
  EXPECT_EQ(parse_duration("30"), 30s) << "a bare number is seconds";
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration(" 10 s "), 10s);
  EXPECT_EQ(parse_duration("0s"), 0ms);
}

TEST(Duration, RefusesWhatIsNotADuration) {
  for (const char* bad : {"", "s", "5 minutes", "-5s", "1.5h", "5M", "1h30", "5s5", "abc", "9999999999999999999s",
                          "106751991167301d", "1e3s"}) {
    EXPECT_THROW(parse_duration(bad), std::invalid_argument) << bad;
  }
  try {
    parse_duration("-5s");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("is negative"));
    EXPECT_THAT(e.what(), HasSubstr("\"30s\""));
  }
}

TEST(Size, AcceptsBytesAndBinaryUnits) {
  EXPECT_EQ(parse_size("512"), 512u);
  EXPECT_EQ(parse_size("512B"), 512u);
  EXPECT_EQ(parse_size("64KiB"), 64u * 1024);
  EXPECT_EQ(parse_size("64K"), 64u * 1024);
  EXPECT_EQ(parse_size("10MiB"), 10u << 20);
  EXPECT_EQ(parse_size("10 mib"), 10u << 20);
  EXPECT_EQ(parse_size("1GiB"), 1u << 30);
  EXPECT_EQ(parse_size("1G"), 1u << 30);
  EXPECT_EQ(parse_size("2TiB"), 2ull << 40);
}

TEST(Size, RefusesAmbiguousAndMalformed) {
  try {
    parse_size("10MB");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("ambiguous unit 'MB': write 10MiB"));
  }
  for (const char* bad : {"", "MiB", "-1", "1.5GiB", "10 PB", "10XiB", "9999999TiB", "99999999999999999999"})
    EXPECT_THROW(parse_size(bad), std::invalid_argument) << bad;
}

TEST(OptionDefaults, ParseThroughTheSamePathAsUserValues) {
  EXPECT_EQ(std::get<std::vector<std::string>>(parse_duration_or_size(OptionType::StringList, "[\"**\"]")),
            std::vector<std::string>{"**"});
  EXPECT_EQ(std::get<std::int64_t>(parse_duration_or_size(OptionType::Duration, "5s")), 5000);
  EXPECT_EQ(std::get<std::int64_t>(parse_duration_or_size(OptionType::Duration, "\"5s\"")), 5000);
  EXPECT_EQ(std::get<std::int64_t>(parse_duration_or_size(OptionType::Duration, "30")), 30000);
  EXPECT_EQ(std::get<std::int64_t>(parse_duration_or_size(OptionType::Size, "64MiB")), 64 << 20);
  EXPECT_EQ(std::get<bool>(parse_duration_or_size(OptionType::Boolean, "true")), true);
  EXPECT_EQ(std::get<std::int64_t>(parse_duration_or_size(OptionType::Integer, "-3")), -3);
  EXPECT_EQ(std::get<std::string>(parse_duration_or_size(OptionType::String, "\"quoted\"")), "quoted");
  EXPECT_EQ(std::get<std::string>(parse_duration_or_size(OptionType::String, "bare words")), "bare words");
  EXPECT_EQ(std::get<std::string>(parse_duration_or_size(OptionType::String, "true")), "true");
  EXPECT_EQ(std::get<std::string>(parse_duration_or_size(OptionType::Path, "/var/lib/x")), "/var/lib/x");
}

TEST(OptionDefaults, RefuseValuesOfTheWrongType) {
  EXPECT_THROW(parse_duration_or_size(OptionType::Boolean, "yes"), std::invalid_argument);
  EXPECT_THROW(parse_duration_or_size(OptionType::Integer, "\"3\""), std::invalid_argument);
  EXPECT_THROW(parse_duration_or_size(OptionType::Integer, "3.5"), std::invalid_argument);
  EXPECT_THROW(parse_duration_or_size(OptionType::StringList, "[1, 2]"), std::invalid_argument);
  EXPECT_THROW(parse_duration_or_size(OptionType::StringList, "[\"a\""), std::invalid_argument);
  EXPECT_THROW(parse_duration_or_size(OptionType::Duration, "true"), std::invalid_argument);
  EXPECT_THROW(parse_duration_or_size(OptionType::Size, "-1"), std::invalid_argument);
  // A newline cannot smuggle a second key into "v = <text>".
  EXPECT_THROW(parse_duration_or_size(OptionType::Integer, "1\nw = 2"), std::invalid_argument);
}

TEST(Suggest, FindsTheClosestWithinAThirdOfTheWord) {
  const std::vector<std::string> keys = {"name", "plugin", "enabled", "interval", "path", "include", "exclude"};
  EXPECT_EQ(suggest("incldue", keys), "include") << "a transposition costs one";
  EXPECT_EQ(suggest("pluign", keys), "plugin");
  EXPECT_EQ(suggest("intervall", keys), "interval");
  EXPECT_EQ(suggest("Include", keys), "include") << "case differences are suggested";
  EXPECT_EQ(suggest("colour", keys), "");
  EXPECT_EQ(suggest("x", keys), "");
  EXPECT_EQ(suggest("include", keys), "") << "an exact match needs no suggestion";
  EXPECT_EQ(suggest("", keys), "");
  EXPECT_EQ(suggest(std::string(10000, 'a'), keys), "") << "long input stays cheap";
  EXPECT_EQ(suggest("anything", {}), "");
}

TEST(Glob, AcceptsTheMatchersSyntax) {
  for (const char* ok : {"**/*.pdf", "*.pdf", "constancias/**", "a/**/b/*.jp?g", "[0-9][0-9]*.pdf", "[!.]*",
                         "x/[]]y", "**", "{literal}.txt", "a**b"})
    EXPECT_EQ(check_glob(ok), "") << ok;
}

TEST(Glob, RefusesWhatWouldNeverMatch) {
  EXPECT_THAT(check_glob(""), HasSubstr("empty"));
  EXPECT_THAT(check_glob("[a-z.pdf"), HasSubstr("never closed"));
  EXPECT_THAT(check_glob("***.pdf"), HasSubstr("'***'"));
  EXPECT_THAT(check_glob("/srv/x/*.pdf"), HasSubstr("starts with '/'"));
  // The shared matcher (sdk::Glob) takes '\' as an escape: "dir\*.pdf" is
  // the literal name "dir*.pdf", and an escaped ']' leaves the class open.
  EXPECT_EQ(check_glob("dir\\*.pdf"), "");
  EXPECT_THAT(check_glob("*.{pdf,jpg}"), HasSubstr("alternatives are not supported"));
  EXPECT_THAT(check_glob("x[\\]y"), HasSubstr("never closed"));
}

TEST(Template, ChecksPlaceholders) {
  for (const char* ok : {"", "plain", "{stem}", "Constancia {stem} ({meta.subject})", "{{literal}}", "a }} b"})
    EXPECT_EQ(check_template(ok), "") << ok;
  EXPECT_THAT(check_template("{stem"), HasSubstr("unclosed '{'"));
  EXPECT_THAT(check_template("stem}"), HasSubstr("'}' without '{'"));
  EXPECT_THAT(check_template("{}"), HasSubstr("empty placeholder"));
  EXPECT_THAT(check_template("{meta subject}"), HasSubstr("invalid placeholder"));
}

TEST(Formatting, LocationAndErrorStrings) {
  EXPECT_EQ((Location{"/etc/a.toml", 3, 7}).str(), "/etc/a.toml:3:7");
  EXPECT_EQ((Location{"/etc/a.toml", 3, 0}).str(), "/etc/a.toml:3");
  EXPECT_EQ((Location{"/etc/a.toml", 0, 0}).str(), "/etc/a.toml");
  EXPECT_EQ((Location{"", 0, 0}).str(), "");
  EXPECT_EQ((ConfigError{{"/etc/a.toml", 3, 7}, "rule[2].activity", "required"}).str(),
            "/etc/a.toml:3:7: rule[2].activity: required");
  EXPECT_EQ((ConfigError{{"/etc/a.toml", 0, 0}, "", "does not exist"}).str(), "/etc/a.toml: does not exist");
  EXPECT_EQ((ConfigError{{}, "", "100 more errors"}).str(), "100 more errors");
}

}  // namespace
}  // namespace sseccoe::core
