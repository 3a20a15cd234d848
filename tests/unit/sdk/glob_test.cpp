// The shared glob matcher's behaviour in detail (written with the folder
// plugin, which uses it for include/exclude; rules use it too).
#include "sseccoe/sdk/glob.hpp"

#include <gtest/gtest.h>

#include <string>


namespace sseccoe::sdk {
namespace {

bool m(const std::string& pattern, const std::string& key, bool ci = false) {
  return Glob::compile(pattern, ci).matches(key);
}

TEST(Glob, LiteralMatchesWholeKeyOnly) {
  EXPECT_TRUE(m("a/b.pdf", "a/b.pdf"));
  EXPECT_FALSE(m("a/b.pdf", "a/b.pdfx"));
  EXPECT_FALSE(m("a/b.pdf", "x/a/b.pdf"));  // anchored at the root
  EXPECT_FALSE(m("b.pdf", "a/b.pdf"));
}

TEST(Glob, StarStaysWithinOneSegment) {
  EXPECT_TRUE(m("*.pdf", "x.pdf"));
  EXPECT_TRUE(m("*.pdf", ".pdf"));
  EXPECT_FALSE(m("*.pdf", "a/x.pdf"));
  EXPECT_TRUE(m("a/*/c", "a/b/c"));
  EXPECT_FALSE(m("a/*/c", "a/b/x/c"));
  EXPECT_TRUE(m("con*cia*.pdf", "constancia-2021.pdf"));
  EXPECT_FALSE(m("con*cia*.pdf", "constancia-2021.doc"));
  EXPECT_TRUE(m("a***b", "ab"));  // runs of '*' inside a segment are one '*'
}

TEST(Glob, QuestionMarkIsOneCodePointNotOneByte) {
  EXPECT_TRUE(m("a?o.txt", "año.txt"));  // 'ñ' is two bytes in UTF-8
  EXPECT_FALSE(m("a??o.txt", "año.txt"));
  EXPECT_FALSE(m("a?b", "a/b"));
  EXPECT_TRUE(m("?", "\xF0\x9F\x93\x84"));  // one 4-byte emoji
}

TEST(Glob, GlobstarMatchesZeroOrMoreDirectories) {
  EXPECT_TRUE(m("**/*.pdf", "x.pdf"));
  EXPECT_TRUE(m("**/*.pdf", "a/x.pdf"));
  EXPECT_TRUE(m("**/*.pdf", "a/b/c/x.pdf"));
  EXPECT_FALSE(m("**/*.pdf", "a/b/c/x.doc"));
  EXPECT_TRUE(m("a/**/z", "a/z"));
  EXPECT_TRUE(m("a/**/z", "a/b/c/z"));
  EXPECT_FALSE(m("a/**/z", "b/a/z"));
  EXPECT_TRUE(m("a/**", "a/b"));
  EXPECT_TRUE(m("a/**", "a/b/c"));
  EXPECT_TRUE(m("a/**", "a"));  // zero directories, documented
  EXPECT_TRUE(m("**", "anything/at/all.txt"));
  EXPECT_TRUE(m("**/x/**/y/*.txt", "1/x/2/3/y/f.txt"));
  EXPECT_FALSE(m("**/x/**/y/*.txt", "1/x/2/3/z/f.txt"));
}

TEST(Glob, DoubleStarInsideASegmentIsAPlainStar) {
  EXPECT_TRUE(m("a**b", "axxb"));
  EXPECT_FALSE(m("a**b", "ax/xb"));
}

TEST(Glob, Classes) {
  EXPECT_TRUE(m("[abc].txt", "b.txt"));
  EXPECT_FALSE(m("[abc].txt", "d.txt"));
  EXPECT_TRUE(m("file[0-9].txt", "file7.txt"));
  EXPECT_FALSE(m("file[0-9].txt", "filex.txt"));
  EXPECT_TRUE(m("[!a]x", "bx"));
  EXPECT_FALSE(m("[!a]x", "ax"));
  EXPECT_TRUE(m("[^a]x", "bx"));
  EXPECT_TRUE(m("[]]", "]"));    // ']' first is literal
  EXPECT_TRUE(m("[!]]", "a"));
  EXPECT_FALSE(m("[!]]", "]"));
  EXPECT_TRUE(m("[a-]", "-"));  // '-' last is literal
  EXPECT_TRUE(m("[ñÑ]o", "ño"));
  EXPECT_FALSE(m("[!x]", "a/"));  // never matches across '/'
  EXPECT_FALSE(m("a[!x]b", "a/b"));
}

TEST(Glob, EscapesMakeMetacharactersLiteral) {
  EXPECT_TRUE(m("a\\*b", "a*b"));
  EXPECT_FALSE(m("a\\*b", "axb"));
  EXPECT_TRUE(m("\\[x\\]", "[x]"));
  EXPECT_TRUE(m("a\\?", "a?"));
  EXPECT_FALSE(m("a\\?", "ab"));
  EXPECT_TRUE(m("[\\]]", "]"));
}

TEST(Glob, CaseSensitivityIsAChoice) {
  EXPECT_FALSE(m("**/*.pdf", "A/X.PDF"));
  EXPECT_TRUE(m("**/*.pdf", "A/X.PDF", true));
  EXPECT_TRUE(m("**/Thumbs.db", "fotos/thumbs.db", true));
  EXPECT_TRUE(m("ÑANDÚ.txt", "ñandú.TXT", true));  // not just ASCII
  EXPECT_FALSE(m("ÑANDÚ.txt", "ñandú.TXT"));
  EXPECT_TRUE(m("[A-Z]x", "qx", true));
  EXPECT_TRUE(m("[a-z]x", "Qx", true));
  EXPECT_FALSE(m("[!a-z]x", "Qx", true));
  EXPECT_TRUE(m("[!a-z]x", "Qx", false));
}

TEST(Glob, PatternIsNormalisedToNfcLikeKeys) {
  const std::string nfd_pattern = "Constancia Jose\xCC\x81.pdf";  // e + combining acute
  const std::string nfc_key = "Constancia Jos\xC3\xA9.pdf";
  EXPECT_TRUE(m(nfd_pattern, nfc_key));
}

TEST(Glob, EscapedKeyBytesAreMatchedAsWritten) {
  // A Latin-1 name's key spells its bad byte "%E9": a glob can name it.
  EXPECT_TRUE(m("caf%E9.txt", "caf%E9.txt"));
  EXPECT_TRUE(m("caf?E9.txt", "caf%E9.txt"));
  EXPECT_TRUE(m("*.txt", "caf%E9.txt"));
}

TEST(Glob, LeadingAndTrailingSlashes) {
  EXPECT_TRUE(m("/docs/*.pdf", "docs/a.pdf"));
  EXPECT_TRUE(m("docs/", "docs/a/b.pdf"));
  EXPECT_TRUE(m("a//b", "a/b"));
}

TEST(Glob, MalformedPatternsAreRefusedWithAReason) {
  const auto error_of = [](const std::string& p) -> std::string {
    try {
      Glob::compile(p, false);
    } catch (const GlobError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of("[abc").find("never closed"), std::string::npos);
  EXPECT_NE(error_of("[z-a]").find("backwards"), std::string::npos);
  EXPECT_NE(error_of("abc\\").find("lone"), std::string::npos);
  EXPECT_NE(error_of("a[/]b").find("'/'"), std::string::npos);
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  EXPECT_NE(error_of("/").find("empty"), std::string::npos);
  EXPECT_NE(error_of("caf\xE9").find("UTF-8"), std::string::npos);
  EXPECT_NE(error_of("[").find("never closed"), std::string::npos);
  EXPECT_NE(error_of("[!").find("never closed"), std::string::npos);
  EXPECT_NE(error_of("[\\").find("never closed"), std::string::npos);
  EXPECT_NE(error_of("[abc").find("[abc"), std::string::npos) << "the message names the glob";
}

TEST(Glob, PathologicalPatternsStayLinear) {
  // Would take astronomically long with naive backtracking.
  const std::string text(5000, 'a');
  EXPECT_FALSE(m("*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "a/";
  deep += "x";
  EXPECT_FALSE(m("**/a/**/a/**/a/**/a/**/b", deep));
  EXPECT_TRUE(m("**/a/**/a/**/a/**/a/**/x", deep));
}

TEST(Glob, HugeKeysAndPatterns) {
  const std::string long_name(100000, 'x');
  EXPECT_TRUE(m("**/*", "dir/" + long_name));
  EXPECT_TRUE(m(long_name, long_name));
  EXPECT_FALSE(m(long_name + "y", long_name));
}

TEST(Glob, CouldMatchBelowPrunesOnlyHopelessDirectories) {
  const Glob docs = Glob::compile("docs/**/*.pdf", false);
  EXPECT_TRUE(docs.could_match_below(""));
  EXPECT_TRUE(docs.could_match_below("docs"));
  EXPECT_TRUE(docs.could_match_below("docs/2021/mayo"));
  EXPECT_FALSE(docs.could_match_below("fotos"));
  EXPECT_FALSE(docs.could_match_below("fotos/docs"));

  const Glob flat = Glob::compile("*.pdf", false);
  EXPECT_TRUE(flat.could_match_below(""));
  EXPECT_FALSE(flat.could_match_below("a"));  // only root-level files match

  const Glob exact = Glob::compile("a/b", false);
  EXPECT_TRUE(exact.could_match_below("a"));
  EXPECT_FALSE(exact.could_match_below("a/b"));
  EXPECT_TRUE(Glob::compile("**", false).could_match_below("x/y/z"));
}

TEST(Glob, MatchesEverythingBelowOnlyForTrailingGlobstar) {
  const Glob hidden = Glob::compile("**/.*/**", false);
  EXPECT_TRUE(hidden.matches_everything_below(".git"));
  EXPECT_TRUE(hidden.matches_everything_below("a/b/.Trash-1000"));
  EXPECT_FALSE(hidden.matches_everything_below("a/b"));
  EXPECT_FALSE(Glob::compile("**/.*", false).matches_everything_below(".git"));
  EXPECT_TRUE(Glob::compile("tmp/", false).matches_everything_below("tmp"));
  EXPECT_FALSE(Glob::compile("tmp/", false).matches_everything_below("tmp2"));
}


TEST(GlobSet, UnionAndErrorsNameThePattern) {
  const GlobSet set = GlobSet::compile({"**/*.pdf", "**/*.jpg"}, false);
  EXPECT_TRUE(set.matches("a/b.pdf"));
  EXPECT_TRUE(set.matches("b.jpg"));
  EXPECT_FALSE(set.matches("b.png"));
  EXPECT_FALSE(GlobSet().matches("x"));
  try {
    GlobSet::compile({"**/*.pdf", "[oops"}, false);
    FAIL() << "a malformed glob must be refused";
  } catch (const GlobError& e) {
    EXPECT_NE(std::string(e.what()).find("[oops"), std::string::npos);
  }
}

}  // namespace
}  // namespace sseccoe::sdk
