// Rules against hostile or broken metadata: huge values (a 1 MiB mail
// subject anyone can send), values in the wrong encoding. The agent must
// neither crash nor spin; the trace says what was searched.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "rules/rules.hpp"

namespace sseccoe::core {
namespace {

using ::testing::HasSubstr;
using Meta = std::map<std::string, std::string>;

std::vector<RuleSection> one_regex_rule(const std::string& field, const std::string& pattern) {
  RuleSection r;
  r.index = 1;
  r.kind = "course_certificate";
  r.activity = "1.1.1";
  r.regex = {{field, pattern}};
  r.where = {"agent.toml", 12, 0};
  return {r};
}

TEST(RulesHostile, AHugeValueWithABacktrackingPatternDoesNotCrash) {
  const auto rules = one_regex_rule("subject", ".*curso.*");
  RuleSet set(rules);
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"subject", std::string(1 << 20, 'a')}}, &trace));
  ASSERT_EQ(trace.size(), 1u);
  EXPECT_THAT(trace[0].why, HasSubstr("does not match /.*curso.*/"));
  EXPECT_THAT(trace[0].why, HasSubstr("(1048576 bytes)")) << "the trace shows a shortened value";
  EXPECT_LT(trace[0].why.size(), 400u);
}

TEST(RulesHostile, AlternationOverAHugeValue) {
  const auto rules = one_regex_rule("to", "((a|b)|(c|d))*e");
  RuleSet set(rules);
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"to", std::string(1 << 20, 'a')}}));
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"to", std::string(1 << 20, 'a') + "e"}}));
}

// RE2 searches the whole value in linear time: nothing is cut, so a match at
// the end of a 1 MiB subject is found, and "$" means the real end.
TEST(RulesHostile, AMatchAtTheEndOfAOneMegabyteSubjectIsFound) {
  const auto rules = one_regex_rule("subject", "pr[aá]cticas?");
  RuleSet set(rules);
  const std::string filler(1 << 20, 'x');
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"subject", filler + " Buenas prácticas"}}));
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"subject", "PRÁCTICA " + filler}}));
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"subject", filler + " pr\xc3"}}));
}

TEST(RulesHostile, EndAnchorMatchesOnlyAtTheRealEnd) {
  const auto rules = one_regex_rule("to", "gob\\.mx$");
  RuleSet set(rules);
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"to", std::string(4000, 'x') + "gob.mx" + std::string(100, 'y')}}));
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"to", std::string(1 << 20, 'x') + "@sfp.gob.mx"}}));
}

TEST(RulesHostile, ManyHugeValuesUnderManyRules) {
  std::vector<RuleSection> rules;
  for (int i = 0; i < 20; ++i) {
    auto r = one_regex_rule(i % 2 ? "subject" : "from", "(capacitaci[oó]n|curso).*(constancia|diploma)$")[0];
    r.index = i + 1;
    rules.push_back(r);
  }
  RuleSet set(rules);
  const std::string big(1 << 20, 'z');
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"subject", big}, {"from", big}}));
}

TEST(RulesHostile, MisEncodedValuesAreSearchedAsBytes) {
  const auto rules = one_regex_rule("subject", "tica");
  RuleSet set(rules);
  // "Ética" in Windows-1252, not UTF-8: the ASCII part still matches.
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"subject", "Curso de \xC9tica"}}));
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"subject", std::string("\xff\xfe\0\x80", 4)}}));
  // A letter class never matches half of a character, nor a stray byte.
  const auto accented = one_regex_rule("subject", "^[áé]$");
  RuleSet strict(accented);
  EXPECT_FALSE(strict.classify("buzon", "<a@b>", Meta{{"subject", "\xC3"}}));
  EXPECT_FALSE(strict.classify("buzon", "<a@b>", Meta{{"subject", "\xE1"}}));
  EXPECT_TRUE(strict.classify("buzon", "<a@b>", Meta{{"subject", "á"}}));
}

TEST(RulesHostile, RenderTemplateOfHugeValuesIsLinear) {
  const std::string big(1 << 20, 'z');
  EXPECT_EQ(render_template("{stem}{stem}", Meta{{"stem", big}}).size(), 2u << 20);
  EXPECT_EQ(render_template(std::string(1 << 20, '{'), Meta{}).size(), 1u << 19);
}

}  // namespace
}  // namespace sseccoe::core
