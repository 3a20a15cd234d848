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
  EXPECT_THAT(trace[0].why, HasSubstr("only its first 2048 of 1048576 bytes are searched"));
}

TEST(RulesHostile, AlternationOverAHugeValue) {
  const auto rules = one_regex_rule("to", "((a|b)|(c|d))*e");
  RuleSet set(rules);
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"to", std::string(1 << 20, 'a')}}));
}

TEST(RulesHostile, AMatchNearTheStartOfAHugeValueIsFound) {
  const auto rules = one_regex_rule("subject", "constancia");
  RuleSet set(rules);
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"subject", "Constancia " + std::string(1 << 20, 'x')}}));
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"subject", std::string(2000, 'x') + " constancia"}}));
}

TEST(RulesHostile, AMatchBeyondTheSearchedPartIsNotSeenAndTheTraceSaysSo) {
  const auto rules = one_regex_rule("subject", "constancia");
  RuleSet set(rules);
  std::vector<RuleVerdict> trace;
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"subject", std::string(5000, 'x') + " constancia"}}, &trace));
  EXPECT_THAT(trace.at(0).why, HasSubstr("first 2048 of 5011 bytes"));
}

TEST(RulesHostile, EndAnchorDoesNotMatchWhereAValueWasCut) {
  const auto rules = one_regex_rule("to", "gob\\.mx$");
  RuleSet set(rules);
  const std::string cut_right_after = std::string(2048 - 6, 'x') + "gob.mx" + std::string(100, 'y');
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"to", cut_right_after}}));
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"to", "ueppci@sfp.gob.mx"}}));
}

TEST(RulesHostile, MisEncodedValuesAreSearchedAsBytes) {
  const auto rules = one_regex_rule("subject", "tica");
  RuleSet set(rules);
  // "Ética" in Windows-1252, not UTF-8.
  EXPECT_TRUE(set.classify("buzon", "<a@b>", Meta{{"subject", "Curso de \xC9tica"}}));
  EXPECT_FALSE(set.classify("buzon", "<a@b>", Meta{{"subject", std::string("\xff\xfe\0\x80", 4)}}));
}

TEST(RulesHostile, RenderTemplateOfHugeValuesIsLinear) {
  const std::string big(1 << 20, 'z');
  EXPECT_EQ(render_template("{stem}{stem}", Meta{{"stem", big}}).size(), 2u << 20);
  EXPECT_EQ(render_template(std::string(1 << 20, '{'), Meta{}).size(), 1u << 19);
}

}  // namespace
}  // namespace sseccoe::core
