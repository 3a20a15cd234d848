// The SDK's glob, as sseccoe/sdk/glob.hpp documents it, seen from the core's
// side (rules call glob_match/Glob on natural keys; check-config calls
// glob_error). The folder plugin's own tests cover its include/exclude use.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sseccoe/sdk/glob.hpp"

namespace sseccoe::sdk {
namespace {

using ::testing::HasSubstr;

bool m(std::string_view pattern, std::string_view key, bool icase = false) {
  return Glob::compile(pattern, icase).matches(key);
}

TEST(GlobContract, DoubleStarSlashMayMatchNothing) {
  EXPECT_TRUE(m("**/*.pdf", "a.pdf"));
  EXPECT_TRUE(m("**/*.pdf", "x/a.pdf"));
  EXPECT_TRUE(m("**/*.pdf", "x/y/a.pdf"));
  EXPECT_FALSE(m("**/*.pdf", "x/y/a.pdfx"));
  EXPECT_FALSE(m("**/*.pdf", "x/y/"));
  EXPECT_TRUE(m("a/**/b", "a/b"));
  EXPECT_TRUE(m("a/**/b", "a/x/y/z/b"));
  EXPECT_FALSE(m("a/**/b", "a/x/c"));
  EXPECT_TRUE(m("a/**", "a/x/y"));
  EXPECT_FALSE(m("a/**", "b/x"));
  EXPECT_TRUE(m("**", "any/thing/at/all"));
}

TEST(GlobContract, StarStaysInsideOneSegment) {
  EXPECT_TRUE(m("*.pdf", "a.pdf"));
  EXPECT_FALSE(m("*.pdf", "x/a.pdf"));
  EXPECT_TRUE(m("x/*.pdf", "x/a.pdf"));
  EXPECT_FALSE(m("x/*", "x/y/z"));
  EXPECT_TRUE(m("x/*/z", "x/y/z"));
  EXPECT_TRUE(m("*", "anything-without-slash"));
  EXPECT_TRUE(m("a*", "a"));
  EXPECT_TRUE(m("*a*b*", "xaxbx"));
  EXPECT_FALSE(m("*a*b*", "xbxax"));
}

TEST(GlobContract, QuestionMarkIsOneCodePointNeverASlash) {
  EXPECT_TRUE(m("?.pdf", "a.pdf"));
  EXPECT_TRUE(m("?.pdf", "ñ.pdf")) << "two bytes, one character";
  EXPECT_TRUE(m("?.pdf", "\xF0\x9F\x98\x80.pdf")) << "four bytes, one character";
  EXPECT_FALSE(m("?.pdf", "ab.pdf"));
  EXPECT_FALSE(m("?.pdf", ".pdf"));
  EXPECT_FALSE(m("a?b", "a/b"));
  EXPECT_TRUE(m("a?ca", "añca"));
}

TEST(GlobContract, Classes) {
  EXPECT_TRUE(m("[abc].pdf", "b.pdf"));
  EXPECT_FALSE(m("[abc].pdf", "d.pdf"));
  EXPECT_TRUE(m("[a-z]1", "q1"));
  EXPECT_FALSE(m("[a-z]1", "Q1"));
  EXPECT_TRUE(m("[0-9][0-9]", "42"));
  EXPECT_TRUE(m("[!a-c]x", "dx"));
  EXPECT_FALSE(m("[!a-c]x", "bx"));
  EXPECT_TRUE(m("[^a-c]x", "dx"));
  EXPECT_FALSE(m("[^a-c]x", "ax"));
  EXPECT_TRUE(m("[]]", "]")) << "']' right after '[' is literal";
  EXPECT_TRUE(m("[!]]", "a"));
  EXPECT_FALSE(m("[!]]", "]"));
  EXPECT_TRUE(m("[a-]", "-"));
  EXPECT_TRUE(m("[ñá]", "ñ"));
  EXPECT_TRUE(m("[á-ú]", "é"));
  EXPECT_FALSE(m("[!x]", "/")) << "a class never matches the separator";
}

TEST(GlobContract, LiteralBracketNeedsAnEscape) {
  EXPECT_TRUE(m("\\[borrador\\] *.docx", "[borrador] acta.docx"));
  EXPECT_TRUE(m("a\\*b", "a*b"));
  EXPECT_FALSE(m("a\\*b", "axb"));
  EXPECT_TRUE(m("[[]x", "[x"));
  // An unclosed '[' is a mistake the checker reports, and matches nothing.
  EXPECT_THAT(glob_error("informe[2021.pdf"), HasSubstr("never closed"));
  EXPECT_FALSE(glob_match("informe[2021.pdf", "informe[2021.pdf"));
}

TEST(GlobContract, CaseInsensitiveCoversAccentedLetters) {
  EXPECT_TRUE(m("Difusión/*.PNG", "DIFUSIÓN/cartel.png", true));
  EXPECT_TRUE(m("*ñ*", "AÑO.pdf", true));
  EXPECT_TRUE(m("pingüino", "PINGÜINO", true));
  EXPECT_TRUE(m("[a-z]*", "Évora", true) == false) << "É is outside a-z whatever its case";
  EXPECT_TRUE(m("[à-ý]*", "Évora", true));
  EXPECT_FALSE(m("Difusión/*.PNG", "DIFUSIÓN/cartel.png", false));
  EXPECT_FALSE(m("difusion", "difusión", true)) << "an accent is not case";
  EXPECT_TRUE(glob_match("CONSTANCIAS/**", "constancias/a.pdf")) << "glob_match is case-insensitive by default";
}

TEST(GlobContract, PatternsAreNormalisedToNfc) {
  // "ó" written as "o" + U+0301 in the configuration matches the NFC key.
  EXPECT_TRUE(m("Difusio\xCC\x81n/*", "Difusi\xC3\xB3n/a.png"));
}

TEST(GlobContract, LeadingAndTrailingSlash) {
  EXPECT_TRUE(m("/docs/*.pdf", "docs/a.pdf"));
  EXPECT_TRUE(m("docs/", "docs/a/b.pdf"));
  EXPECT_FALSE(m("docs/", "otros/a.pdf"));
}

TEST(GlobContract, InvalidUtf8InAKeyIsMatchedNotFatal) {
  EXPECT_TRUE(m("*.pdf", "acta-\xE9tica.pdf"));  // Latin-1 byte from an old share
  EXPECT_TRUE(m("acta-?tica.pdf", "acta-\xE9tica.pdf"));
  EXPECT_FALSE(m("acta-\xC3\xA9tica.pdf", "acta-\xE9tica.pdf")) << "a stray byte is not the letter é";
  EXPECT_FALSE(m("*.pdf", std::string_view("a\0b.txt", 7)));
}

TEST(GlobContract, PathologicalPatternsFinishWithTheRightAnswer) {
  const std::string as(100000, 'a');
  EXPECT_FALSE(m("*a*a*a*a*a*a*a*a*a*b", as));
  EXPECT_TRUE(m("*a*a*a*a*a*a*a*a*a*", as));
  EXPECT_TRUE(m("*a*a*a*a*a*a*a*a*a*b", as + "b"));

  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "a/";
  EXPECT_FALSE(m("**/a/**/a/**/a/**/a/**/b", deep + "c"));
  EXPECT_TRUE(m("**/a/**/a/**/a/**/a/**/b", deep + "b"));
}

TEST(GlobContract, ManyWildcardsAreNotCutShort) {
  // 100 segments, one '*' each: a matcher with a recursion limit gives up.
  std::string pattern, key;
  for (int i = 0; i < 100; ++i) {
    pattern += (i ? "/*" : "*");
    key += (i ? "/s" : "s") + std::to_string(i);
  }
  EXPECT_TRUE(m(pattern, key));
  EXPECT_FALSE(m(pattern, key + "/extra"));
  std::string stars;
  for (int i = 0; i < 200; ++i) stars += "*x";
  std::string xs(400, 'x');
  EXPECT_TRUE(m(stars, xs));
}

TEST(GlobContract, EmptyPatternAndEmptyKey) {
  EXPECT_THAT(glob_error(""), HasSubstr("empty"));
  EXPECT_FALSE(glob_match("", ""));
  EXPECT_FALSE(m("*", ""));
  EXPECT_TRUE(m("**", ""));
}

TEST(GlobContract, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(glob_error("**/*.pdf"), "");
  EXPECT_EQ(glob_error("[a-z]?/*.{pdf}"), "");
  EXPECT_THAT(glob_error("a["), HasSubstr("never closed"));
  EXPECT_THAT(glob_error("[!"), HasSubstr("never closed"));
  EXPECT_THAT(glob_error("x\\"), HasSubstr("lone '\\'"));
  EXPECT_THAT(glob_error("[a/b]"), HasSubstr("'/'"));
  EXPECT_THAT(glob_error("[z-a]"), HasSubstr("backwards"));
  EXPECT_THAT(glob_error("\xFF*.pdf"), HasSubstr("UTF-8"));
  EXPECT_THROW(Glob::compile("a[", true), GlobError);
  EXPECT_THAT(glob_error("a["), HasSubstr("'a['")) << "the message quotes the pattern";
}

TEST(GlobContract, DirectoryPruning) {
  auto g = Glob::compile("constancias/2021/*.pdf", true);
  EXPECT_TRUE(g.could_match_below(""));
  EXPECT_TRUE(g.could_match_below("constancias"));
  EXPECT_TRUE(g.could_match_below("Constancias/2021"));
  EXPECT_FALSE(g.could_match_below("difusion"));
  EXPECT_FALSE(g.could_match_below("constancias/2020"));
  EXPECT_FALSE(g.could_match_below("constancias/2021/sub")) << "'*' does not cross into subdirectories";
  auto all = Glob::compile("tmp/**", false);
  EXPECT_TRUE(all.matches_everything_below("tmp"));
  EXPECT_FALSE(all.matches_everything_below("docs"));
  EXPECT_FALSE(g.matches_everything_below("constancias/2021"));
}

TEST(GlobContract, GlobSetIsTheUnion) {
  auto set = GlobSet::compile({"**/*.pdf", "**/*.png"}, true);
  EXPECT_TRUE(set.matches("a/b.PDF"));
  EXPECT_TRUE(set.matches("c.png"));
  EXPECT_FALSE(set.matches("d.txt"));
  EXPECT_TRUE(GlobSet().empty());
  EXPECT_FALSE(GlobSet().matches("a"));
  EXPECT_THROW(GlobSet::compile({"ok/*", "bad["}, true), GlobError);
}

}  // namespace
}  // namespace sseccoe::sdk
