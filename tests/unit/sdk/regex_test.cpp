// sdk::Regex's named-group capture (search_groups, search_all_groups), used
// by the certificate templates; the rest of Regex is exercised by the rules'
// tests.
#include "sseccoe/sdk/regex.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sseccoe::sdk {
namespace {

TEST(Regex, SearchGroupsGivesNamedGroupsAndWholeMatch) {
  const auto re = Regex::compile(R"((?i)curso:?\s+(?P<value>\S+)\s+de\s+(?P<hours>\d+))", false);
  const auto g = re.search_groups("El CURSO: Ética de 20 horas");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->at("value"), "Ética");
  EXPECT_EQ(g->at("hours"), "20");
  EXPECT_EQ(g->at(""), "CURSO: Ética de 20");
  EXPECT_EQ(g->size(), 3u);
  EXPECT_FALSE(re.search_groups("nada que ver"));
}

TEST(Regex, GroupNotTakingPartIsAbsentEmptyIsEmpty) {
  const auto re = Regex::compile(R"((?P<a>x)|(?P<b>y)(?P<c>z*))", false);
  const auto g = re.search_groups("--y--");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->count("a"), 0u);
  EXPECT_EQ(g->at("b"), "y");
  EXPECT_EQ(g->at("c"), "");
}

TEST(Regex, GroupsAreOfTheNfcText) {
  // "a" + combining acute in the text, precomposed in the pattern.
  const auto re = Regex::compile("(?P<value>Mar\u00eda)", false);
  const auto g = re.search_groups("Mari\u0301a L\u00f3pez");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->at("value"), "Mar\u00eda");
}

TEST(Regex, SearchAllGroupsIsLeftToRightNonOverlapping) {
  const auto re = Regex::compile(R"((?P<value>\d+))", false);
  const auto all = re.search_all_groups("a1 b22 c333 d4444", 3);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].at("value"), "1");
  EXPECT_EQ(all[1].at("value"), "22");
  EXPECT_EQ(all[2].at("value"), "333");
  EXPECT_TRUE(re.search_all_groups("a1", 0).empty());
}

TEST(Regex, EmptyMatchesAdvanceByOneCharacter) {
  const auto re = Regex::compile("(?P<value>x*)", false);
  const auto all = re.search_all_groups("ñxñ", 10);
  ASSERT_EQ(all.size(), 4u);  // "" before ñ, "x", "" before the last ñ, "" at the end (as Python's finditer)
  EXPECT_EQ(all[0].at("value"), "");
  EXPECT_EQ(all[1].at("value"), "x");
}

TEST(Regex, CaretAnchorsAtTheTextStartOnlyInLaterMatches) {
  const auto re = Regex::compile("^(?P<value>a)", false);
  EXPECT_EQ(re.search_all_groups("aaa", 5).size(), 1u);
}

TEST(Regex, GroupNames) {
  const auto re = Regex::compile(R"((?P<value>a)(b)(?P<other>c))", false);
  EXPECT_EQ(re.group_names(), (std::vector<std::string>{"other", "value"}));
  EXPECT_TRUE(Regex::compile("abc", false).group_names().empty());
}

TEST(Regex, InvalidUtf8TextIsSearchedAsBytes) {
  const auto re = Regex::compile(R"(folio (?P<value>\d+))", false);
  const auto g = re.search_groups("\xff\xfe folio 123 \xc3");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->at("value"), "123");
}

}  // namespace
}  // namespace sseccoe::sdk
