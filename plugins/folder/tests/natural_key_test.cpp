#include "natural_key.hpp"

#include <gtest/gtest.h>

#include <string>

#include "time_format.hpp"
#include "sdk_text.hpp"

namespace sseccoe::folder {
namespace {

const std::string kNfc = "Constancia Jos\xC3\xA9.pdf";         // é as U+00E9
const std::string kNfd = "Constancia Jose\xCC\x81.pdf";        // e + U+0301

TEST(NaturalKey, AsciiAndNfcNamesAreKeptAsTheyAre) {
  EXPECT_EQ(encode_name("informe.pdf"), "informe.pdf");
  EXPECT_EQ(encode_name(kNfc), kNfc);
  EXPECT_EQ(encode_name("a b (1) [x] ~y"), "a b (1) [x] ~y");
  EXPECT_EQ(encode_name("\xF0\x9F\x93\x84.pdf"), "\xF0\x9F\x93\x84.pdf");  // 4-byte sequence
}

TEST(NaturalKey, NfdNamesBecomeNfc) {
  EXPECT_EQ(encode_name(kNfd), kNfc);
  EXPECT_EQ(encode_name("A\xCC\x8A"), "\xC3\x85");  // A + ring above -> Å
}

TEST(NaturalKey, PercentIsEscapedSoThatTheMappingIsInjective) {
  EXPECT_EQ(encode_name("50%.pdf"), "50%25.pdf");
  EXPECT_EQ(encode_name("caf%E9"), "caf%25E9");
  EXPECT_NE(encode_name("caf%E9"), encode_name("caf\xE9"));
}

TEST(NaturalKey, Latin1BytesAreKeptEscapedNeverDropped) {
  const std::string latin1 = "caf\xE9 a\xF1o.txt";  // "café año.txt" in Latin-1
  const std::string key = encode_name(latin1);
  EXPECT_EQ(key, "caf%E9 a%F1o.txt");
  EXPECT_TRUE(utf8::is_valid(key));
  ASSERT_TRUE(decode_key(key).has_value());
  EXPECT_EQ(*decode_key(key), latin1);
  EXPECT_EQ(encode_name(*decode_key(key)), key);  // round trip is stable
}

TEST(NaturalKey, MalformedUtf8VariantsAreEscapedBytewise) {
  EXPECT_EQ(encode_name("\xC0\xAF"), "%C0%AF");              // overlong '/'
  EXPECT_EQ(encode_name("\xED\xA0\x80"), "%ED%A0%80");       // surrogate U+D800
  EXPECT_EQ(encode_name("\xF4\x90\x80\x80"), "%F4%90%80%80");  // above U+10FFFF
  EXPECT_EQ(encode_name("a\xE2\x82"), "a%E2%82");            // truncated euro sign
  EXPECT_EQ(encode_name("\x80x"), "%80x");                   // stray continuation byte
  EXPECT_EQ(encode_name("\xFF\xFE"), "%FF%FE");
  EXPECT_EQ(encode_name("\xE2\x82\xAC"), "\xE2\x82\xAC");    // the whole euro sign is fine
}

TEST(NaturalKey, ValidRunsAroundBadBytesAreStillNormalised) {
  EXPECT_EQ(encode_name("\xE9-e\xCC\x81"), "%E9-\xC3\xA9");
}

TEST(NaturalKey, ControlCharactersAreEscaped) {
  EXPECT_EQ(encode_name("a\nb"), "a%0Ab");
  EXPECT_EQ(encode_name("tab\there"), "tab%09here");
  EXPECT_EQ(encode_name("del\x7F"), "del%7F");
  EXPECT_EQ(*decode_key("a%0Ab"), "a\nb");
}

TEST(NaturalKey, HugeNamesStayInjective) {
  const std::string name(255, '\xFF');  // the longest Linux name, all bad bytes
  const std::string key = encode_name(name);
  EXPECT_EQ(key.size(), 255u * 3);
  EXPECT_EQ(*decode_key(key), name);
}

TEST(NaturalKey, RoundTripOverManyShapes) {
  const std::string samples[] = {"", "x", "%", "%%", "%25", kNfc, "\xE9", "\xC3", "a\xC3", "\xC3\xA9\xE9",
                                 "\x01\x02", "mixed \xE9 and \xC3\xB1 and %41"};
  for (const auto& raw : samples) {
    const std::string key = encode_name(raw);
    ASSERT_TRUE(decode_key(key).has_value()) << key;
    EXPECT_EQ(encode_name(*decode_key(key)), key) << key;
    EXPECT_TRUE(utf8::is_valid(key)) << key;
  }
}

TEST(NaturalKey, DecodeRefusesWhatEncodeNeverProduces) {
  EXPECT_FALSE(decode_key("%").has_value());
  EXPECT_FALSE(decode_key("abc%4").has_value());
  EXPECT_FALSE(decode_key("%G1").has_value());
  EXPECT_FALSE(decode_key("%e9").has_value());  // lower-case hex is never written
  EXPECT_EQ(*decode_key("a/b%2Fc"), "a/b/c");
}

TEST(NaturalKey, DisplayNamesAreForPeople) {
  EXPECT_EQ(display_name("50%.pdf"), "50%.pdf");
  EXPECT_EQ(display_name(kNfd), kNfc);
  EXPECT_EQ(display_name("caf\xE9"), "caf\xEF\xBF\xBD");  // U+FFFD
  EXPECT_EQ(display_name("a\nb"), "a\xEF\xBF\xBD" "b");
}

TEST(NaturalKey, LocatorsPercentEncodeRawBytes) {
  EXPECT_EQ(file_locator("/srv/comite/a b/caf\xC3\xA9.pdf"), "file:///srv/comite/a%20b/caf%C3%A9.pdf");
  EXPECT_EQ(file_locator("/srv/caf\xE9"), "file:///srv/caf%E9");
  EXPECT_EQ(file_locator("/x/50%#?.pdf"), "file:///x/50%25%23%3F.pdf");
  EXPECT_EQ(file_locator("/a-b_c.d~e"), "file:///a-b_c.d~e");
}

TEST(NaturalKey, JoinKey) {
  EXPECT_EQ(join_key("", "a"), "a");
  EXPECT_EQ(join_key("a/b", "c"), "a/b/c");
}

TEST(Utf8, LowerAndValidity) {
  EXPECT_EQ(utf8::lower("PDF"), "pdf");
  EXPECT_EQ(utf8::lower("\xC3\x91"), "\xC3\xB1");  // Ñ -> ñ
  EXPECT_TRUE(utf8::is_valid(""));
  EXPECT_FALSE(utf8::is_valid("\xC3"));
  EXPECT_THROW(utf8::nfc("\xC3"), std::invalid_argument);
}

TEST(TimeFormat, Rfc3339AndSizes) {
  EXPECT_EQ(rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(1621000000'123456789), "2021-05-14T13:46:40Z");
  EXPECT_EQ(rfc3339_utc(-1), "1969-12-31T23:59:59Z");  // rounds towards the past
  EXPECT_EQ(human_size(0), "0 bytes");
  EXPECT_EQ(human_size(1), "1 byte");
  EXPECT_EQ(human_size(1536), "1.5 KiB");
  EXPECT_EQ(human_size(8ull << 30), "8 GiB");
  EXPECT_EQ(local_date(1621000000'000000000).size(), 10u);
}

}  // namespace
}  // namespace sseccoe::folder
