// base64url and page tokens: round trips, and refusal of anything a client
// could send that this registry did not issue.
#include <gtest/gtest.h>

#include <string>

#include "encoding.hpp"
#include "page_token.hpp"

using namespace sseccoe::registry;

TEST(Base64Url, RoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    auto text = base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = base64url_decode(text);
    ASSERT_TRUE(back) << n;
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<char>(n * 37 + 255));
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RefusesWhatItNeverProduces) {
  EXPECT_FALSE(base64url_decode("a"));        // impossible length
  EXPECT_FALSE(base64url_decode("ab+c"));     // standard alphabet
  EXPECT_FALSE(base64url_decode("abc="));     // padding
  EXPECT_FALSE(base64url_decode("ab\xc3\xa9"));
  EXPECT_FALSE(base64url_decode("-_9"));      // non-zero trailing bits
  EXPECT_TRUE(base64url_decode(""));
}

TEST(PageToken, RoundTripsAndIsBoundToTheFilters) {
  auto t = encode_page_token(42, "INM\nPAT-2021\n");
  EXPECT_EQ(decode_page_token(t, "INM\nPAT-2021\n"), 42);
  EXPECT_FALSE(decode_page_token(t, "INM\nPAT-2021\n1.1.1"));
  EXPECT_FALSE(decode_page_token(t, "SAT\nPAT-2021\n"));
}

TEST(PageToken, MalformedTruncatedHugeAndForgedTokensAreRefused) {
  const std::string key = "INM\n\n";
  auto t = encode_page_token(7, key);
  EXPECT_FALSE(decode_page_token("", key));
  EXPECT_FALSE(decode_page_token(t.substr(0, t.size() - 3), key));
  EXPECT_FALSE(decode_page_token(t + "AAAA", key));
  EXPECT_FALSE(decode_page_token(std::string(100000, 'A'), key));
  EXPECT_FALSE(decode_page_token("not a token!", key));
  EXPECT_FALSE(decode_page_token(std::string("\xff\xfe", 2), key));
  // Right tag, impossible cursors.
  auto raw = *base64url_decode(t);  // forge payloads that keep the filter tag
  auto rest = raw.substr(raw.find(':', 2));
  for (std::string cursor : {"-5", "0", "x", "", "99999999999999999999999", "1 "})
    EXPECT_FALSE(decode_page_token(base64url_encode("1:" + cursor + rest), key)) << cursor;
  EXPECT_FALSE(decode_page_token(base64url_encode("2:7" + rest), key));
  EXPECT_EQ(decode_page_token(base64url_encode("1:9" + rest), key), 9);
}
