#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "mail_helpers.hpp"
#include "sseccoe/sdk/mail.hpp"
#include "test_support.hpp"

namespace sseccoe::mailtest {
namespace {

using sdk::mail::Spool;

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

TEST(Spool, HashesWhatItWritesInPiecesAndRemovesItsFile) {
  TempDir d;
  std::string path;
  {
    Spool s(d.path());
    path = s.path();
    EXPECT_EQ(path.rfind(d.path() + "/", 0), 0u) << path;
    EXPECT_TRUE(s.sha256().empty());
    s.write("From: a@b\n");
    s.write(std::string_view("Subject: x\n\nbody\n"));
    s.write("", 0);
    EXPECT_EQ(s.finish(), sha256_hex("From: a@b\nSubject: x\n\nbody\n"));
    EXPECT_EQ(s.finish(), s.sha256()) << "finish() is idempotent";
    EXPECT_EQ(s.size(), 27u);
    EXPECT_EQ(read_file(path), "From: a@b\nSubject: x\n\nbody\n");
    EXPECT_THROW(s.write("more"), std::logic_error);
  }
  EXPECT_FALSE(exists(path)) << "the spool file goes with the Spool";
}

TEST(Spool, CopiesAStreamLargerThanItsChunk) {
  TempDir d;
  std::string big(3 * 256 * 1024 + 17, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + (i / 4096) % 26);
  std::istringstream in(big);
  Spool s(d.path());
  s.write_all(in);
  EXPECT_EQ(s.finish(), sha256_hex(big));
  EXPECT_EQ(s.size(), big.size());
}

TEST(Spool, EmptyMessageHashesToTheEmptyDigest) {
  TempDir d;
  Spool s(d.path());
  EXPECT_EQ(s.finish(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(s.size(), 0u);
}

TEST(Spool, AMissingDirectoryIsAnErrorNamingIt) {
  try {
    Spool s("/nonexistent/sseccoe-work");
    FAIL() << "must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/sseccoe-work"), std::string::npos) << e.what();
  }
}

TEST(Spool, AStreamThatFailsMidwayIsAnError) {
  TempDir d;
  std::istringstream in("partial");
  in.setstate(std::ios::badbit);
  Spool s(d.path());
  EXPECT_THROW(s.write_all(in), std::runtime_error);
}

}  // namespace
}  // namespace sseccoe::mailtest
