// Masking runs on every log line, including text that came from outside: a
// registry's error message, a 100 KB mail subject, a Message-ID with a
// thousand '@'. It must stay linear and never crash, and must still catch
// identifiers written the way file names write them.
#include <gtest/gtest.h>

#include "util/mask.hpp"

namespace sseccoe::util {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(MaskHostile, AHugeWordIsLeftAsItIs) {
  for (char c : {'a', 'A', '1', '.'}) {
    const std::string big(1 << 20, c);
    EXPECT_EQ(mask_personal(big), big);
  }
}

TEST(MaskHostile, AHugeLocalPartIsMasked) {
  const std::string local(1 << 20, 'x');
  const std::string out = mask_personal("de " + local + "@inm.gob.mx fin");
  EXPECT_EQ(out, "de xx" + std::string(local.size() - 2, '*') + "@inm.gob.mx fin");
}

TEST(MaskHostile, ManyAtSigns) {
  std::string s;
  for (int i = 0; i < 100000; ++i) s += "a@";
  EXPECT_EQ(mask_personal(s), s) << "no domain: nothing is an address";
  std::string addrs;
  for (int i = 0; i < 20000; ++i) addrs += "ana" + std::to_string(i) + "@inm.gob.mx,";
  const std::string out = mask_personal(addrs);
  EXPECT_EQ(out.substr(0, 32), "an**@inm.gob.mx,an**@inm.gob.mx,");
  EXPECT_FALSE(contains(out, "ana1")) << out.substr(0, 80);
  EXPECT_EQ(out.size(), addrs.size());
}

TEST(MaskHostile, AHugeLogLineWithIdentifiersEverywhere) {
  std::string line;
  for (int i = 0; i < 20000; ++i) line += "curp BOXW310820HNERXN09 rfc GODE561231GR8 mail ana@inm.gob.mx; ";
  const std::string out = mask_personal(line);
  EXPECT_FALSE(contains(out, "310820"));
  EXPECT_FALSE(contains(out, "561231"));
  EXPECT_FALSE(contains(out, "ana@"));
  EXPECT_EQ(out.size(), line.size());
}

TEST(MaskHostile, AHugeKey) {
  const std::string out = mask_key(std::string(1 << 20, 'k') + "/" + std::string(1 << 20, 'v') + ".pdf");
  EXPECT_EQ(out.size(), (1u << 20) + 1 + 3 + 3 + 4);
}

TEST(MaskHostile, MisEncodedTextPassesThrough) {
  const std::string latin1 = "Jos\xE9 P\xE9rez \xFF\xFE BOXW310820HNERXN09";
  const std::string out = mask_personal(latin1);
  EXPECT_EQ(out.substr(0, 15), latin1.substr(0, 15));
  EXPECT_FALSE(contains(out, "310820"));
  EXPECT_EQ(mask_personal(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(MaskIdentifiers, InFileNamesWithUnderscores) {
  // File names join words with '_' (a word character for regex \b).
  for (const std::string name : {"constancia_BOXW310820HNERXN09.pdf", "GODE561231GR8_nomina.xlsx",
                                 "curso-etica_GODE561231GR8_2021.pdf"}) {
    const std::string out = mask_personal(name);
    EXPECT_FALSE(contains(out, "310820")) << out;
    EXPECT_FALSE(contains(out, "561231")) << out;
  }
}

TEST(MaskIdentifiers, NotPartOfALongerWord) {
  // 19 and 14 characters: not a CURP, not an RFC.
  EXPECT_EQ(mask_personal("BOXW310820HNERXN091"), "BOXW310820HNERXN091");
  EXPECT_EQ(mask_personal("XGODE561231GR8"), "XGODE561231GR8");
}

}  // namespace
}  // namespace sseccoe::util
