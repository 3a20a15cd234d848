// Bearer tokens: random, 256 bits, recognised only through their digest.
#include <gtest/gtest.h>

#include <set>

#include "token.hpp"

using namespace sseccoe::registry;

TEST(Token, NewTokensAre256RandomBitsInBase64Url) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = new_token();
    EXPECT_EQ(t.size(), 43u);
    EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Token, DigestIsSha256Hex) {
  EXPECT_EQ(hex(token_digest("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Token, RingFindsTheInstitution) {
  std::string inm = new_token(), sat = new_token();
  TokenRing ring({{"INM", token_digest(inm)}, {"SAT", token_digest(sat)}});
  EXPECT_EQ(ring.institution_of(inm), "INM");
  EXPECT_EQ(ring.institution_of(sat), "SAT");
  EXPECT_FALSE(ring.institution_of(""));
  EXPECT_FALSE(ring.institution_of(inm.substr(1)));
  EXPECT_FALSE(ring.institution_of(inm + " "));
  EXPECT_FALSE(ring.institution_of(hex(token_digest(inm))));  // the digest is not the token
  EXPECT_FALSE(ring.institution_of(std::string(100000, 'x')));
}
