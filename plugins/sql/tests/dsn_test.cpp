#include <gtest/gtest.h>

#include <sys/stat.h>

#include <stdexcept>
#include <string>

#include "dsn.hpp"
#include "test_support.hpp"

namespace sseccoe::sql {
namespace {

using testing::TempDir;

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(ParseDsn, FindsThePasswordOfAConnectionString) {
  const Dsn d = parse_dsn("host=127.0.0.1 port=5432 dbname=rh user=lector password=S3cr3t-x\n");
  EXPECT_EQ(d.text.view(), "host=127.0.0.1 port=5432 dbname=rh user=lector password=S3cr3t-x");
  EXPECT_EQ(d.secrets, (std::vector<std::string>{"S3cr3t-x"}));
}

TEST(ParseDsn, FindsQuotedAndEscapedPasswords) {
  const Dsn d = parse_dsn(R"(host=db user=x password='a b\'c\\d' dbname=rh)");
  EXPECT_EQ(d.secrets, (std::vector<std::string>{R"(a b'c\d)"}));
}

TEST(ParseDsn, FindsThePasswordOfAUriDecoded) {
  const Dsn d = parse_dsn("postgresql://lector:p%40ss%2Fw0rd@db.example:5432/rh?sslmode=verify-full");
  EXPECT_EQ(d.secrets, (std::vector<std::string>{"p@ss/w0rd"}));
  const Dsn q = parse_dsn("postgres://db/rh?user=lector&password=qp4ss&sslpassword=keypass");
  EXPECT_EQ(q.secrets, (std::vector<std::string>{"qp4ss", "keypass"}));
}

TEST(ParseDsn, ABareWordIsADatabaseName) {
  const Dsn d = parse_dsn("rh\n");
  EXPECT_EQ(d.text.view(), "rh");
  EXPECT_TRUE(d.secrets.empty());
}

TEST(ParseDsn, WithoutAPasswordThereIsNothingToHide) {
  EXPECT_TRUE(parse_dsn("host=db dbname=rh user=lector passfile=/etc/pgpass").secrets.empty());
}

TEST(ParseDsn, MalformedTextIsRefusedWithoutQuotingIt) {
  // libpq would answer 'missing "=" after "word" ...', quoting the password.
  for (const std::string bad : {"host=db password=sec ret", "host=db password='unterminated",
                                "postgresql://u:pw@h/db?nosuchparam=1", "host=db nosuchkey=s3cr3tvalue",
                                "postgresql://u:pw@[::1/db"}) {
    try {
      parse_dsn(bad);
      FAIL() << "accepted a malformed DSN";
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      EXPECT_TRUE(contains(what, "not a valid libpq connection string")) << what;
      for (const char* fragment : {"sec", "ret", "unterminated", "pw", "s3cr3tvalue", "nosuch"})
        EXPECT_FALSE(contains(what, fragment)) << what;
    }
  }
}

TEST(ParseDsn, EmptyAndNulAreRefused) {
  EXPECT_THROW(parse_dsn(""), std::invalid_argument);
  EXPECT_THROW(parse_dsn(" \n\t "), std::invalid_argument);
  EXPECT_THROW(parse_dsn(std::string("host=db\0password=x", 18)), std::invalid_argument);
}

TEST(ReadDsnFile, ReadsAndTrimsTheFile) {
  TempDir dir;
  const std::string path = dir.write("dsn", "host=db dbname=rh user=u password=pw1234\n");
  const Dsn d = read_dsn_file(path);
  EXPECT_EQ(d.text.view(), "host=db dbname=rh user=u password=pw1234");
  EXPECT_EQ(d.secrets, (std::vector<std::string>{"pw1234"}));
}

TEST(ReadDsnFile, ProblemsNameThePathAndNeverTheContents) {
  TempDir dir;
  auto message = [](const std::string& path) {
    try {
      read_dsn_file(path);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  const std::string missing = message(dir.path() + "/nope");
  EXPECT_TRUE(contains(missing, "dsn_file '" + dir.path() + "/nope'")) << missing;
  EXPECT_TRUE(contains(missing, "No such file")) << missing;

  EXPECT_TRUE(contains(message(dir.path()), "not a regular file"));
  EXPECT_TRUE(contains(message(dir.write("empty", "\n")), "it is empty"));

  const std::string huge = message(dir.write("huge", "password=hugesecret " + std::string(kMaxDsnBytes, 'x')));
  EXPECT_TRUE(contains(huge, "larger than 64 KiB")) << huge;
  EXPECT_FALSE(contains(huge, "hugesecret"));

  const std::string bad = message(dir.write("bad", "host=db password=two words"));
  EXPECT_TRUE(contains(bad, "not a valid libpq connection string")) << bad;
  EXPECT_FALSE(contains(bad, "two")) << bad;
  EXPECT_FALSE(contains(bad, "words")) << bad;
}

TEST(ReadDsnFile, MisEncodedBytesAreLibpqsProblemNotACrash) {
  TempDir dir;
  // Latin-1 bytes in a password: libpq sends them as they are.
  const Dsn d = read_dsn_file(dir.write("latin1", "host=db user=u password=contrase\xf1" "a"));
  EXPECT_EQ(d.secrets, (std::vector<std::string>{"contrase\xf1" "a"}));
}

TEST(Scrub, HidesKnownSecretsEverywhere) {
  EXPECT_EQ(scrub("auth failed for pw hunter2 and hunter2!", {"hunter2"}), "auth failed for pw *** and ***!");
  // The longer of two overlapping secrets is hidden whole.
  EXPECT_EQ(scrub("x abcdef y", {"abc", "abcdef"}), "x *** y");
  EXPECT_EQ(scrub("nothing here", {}), "nothing here");
  EXPECT_EQ(scrub("empty secrets are ignored", {""}), "empty secrets are ignored");
}

TEST(Scrub, HidesPasswordAssignmentsEvenWhenUnknown) {
  EXPECT_EQ(scrub("host=db password=abc user=x", {}), "host=db password=*** user=x");
  EXPECT_EQ(scrub("PASSWORD = abc", {}), "PASSWORD = ***");
  EXPECT_EQ(scrub("password='a b\\' c' user=x", {}), "password=*** user=x");
  EXPECT_EQ(scrub("password='never closed", {}), "password=***");
  EXPECT_EQ(scrub("sslpassword=k3y", {}), "sslpassword=***");
  EXPECT_EQ(scrub("postgres://h/db?password=abc&user=x", {}), "postgres://h/db?password=***&user=x");
  EXPECT_EQ(scrub("missing \"=\" after \"password=abc\" in", {}), "missing \"=\" after \"password=***\" in");
  EXPECT_EQ(scrub("password=", {}), "password=***");
  EXPECT_EQ(scrub("the password is wrong", {}), "the password is wrong");
}

TEST(Scrub, HidesUriUserinfoPasswords) {
  EXPECT_EQ(scrub("at postgresql://lector:s3cr3t@db:5432/rh failed", {}),
            "at postgresql://lector:***@db:5432/rh failed");
  EXPECT_EQ(scrub("postgresql://u:pa/ss@db/rh", {}), "postgresql://u:***@db/rh");
  EXPECT_EQ(scrub("postgresql://u:p@ss@db/rh", {}), "postgresql://u:***@db/rh");
  EXPECT_EQ(scrub("postgresql://lector@db:5432/rh", {}), "postgresql://lector@db:5432/rh");
  EXPECT_EQ(scrub("postgresql://db:5432/rh", {}), "postgresql://db:5432/rh");
  EXPECT_EQ(scrub("a://x:y@z and b://p:q@r", {}), "a://x:***@z and b://p:***@r");
  EXPECT_EQ(scrub("://", {}), "://");
  EXPECT_EQ(scrub("x://:@", {}), "x://:***@");
}

TEST(Scrub, HugeInputStaysLinearAndScrubbed) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "password=abc ";
  const std::string out = scrub(text, {"abc"});
  EXPECT_FALSE(contains(out, "abc"));
  EXPECT_EQ(out.size(), text.size());
}

TEST(OneLine, CollapsesLibpqsMultiLineMessages) {
  EXPECT_EQ(one_line("connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server "
                     "running on that host and accepting TCP/IP connections?\n"),
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused Is the server running on "
            "that host and accepting TCP/IP connections?");
  EXPECT_EQ(one_line("  a  \r\n b "), "a b");
  EXPECT_EQ(one_line(""), "");
}

TEST(SecretText, MovesAndEmpties) {
  SecretText a(std::string("s3cret"));
  SecretText b(std::move(a));
  EXPECT_EQ(b.view(), "s3cret");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): wiped on purpose
  SecretText c;
  c = std::move(b);
  EXPECT_EQ(c.view(), "s3cret");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace sseccoe::sql
