// The url option, secret files, the cursor format, INTERNALDATE days and
// Message-ID extraction.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cursor.hpp"
#include "imap_url.hpp"
#include "internal_date.hpp"
#include "message_id.hpp"
#include "secret_file.hpp"
#include "test_support.hpp"

namespace sseccoe::imap {
namespace {

TEST(ServerUrl, SchemesPortsAndHosts) {
  ServerUrl a = parse_server_url("imaps://mail.inm.gob.mx");
  EXPECT_EQ(a.host, "mail.inm.gob.mx");
  EXPECT_EQ(a.port, 993);
  EXPECT_TRUE(a.implicit_tls);
  ServerUrl b = parse_server_url("IMAP://127.0.0.1:1143/");
  EXPECT_EQ(b.host, "127.0.0.1");
  EXPECT_EQ(b.port, 1143);
  EXPECT_FALSE(b.implicit_tls);
  ServerUrl c = parse_server_url("imaps://[::1]:9993");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 9993);
  EXPECT_EQ(parse_server_url("imap://localhost").port, 143);
}

TEST(ServerUrl, RefusesWhatItDoesNotUnderstandSayingHowToWriteIt) {
  for (const char* bad : {"mail.inm.gob.mx", "pop3://mail", "imaps://", "imaps://user@mail", "imaps://mail/INBOX",
                          "imaps://mail:0", "imaps://mail:70000", "imaps://mail:", "imaps://mail:99x",
                          "imaps://[::1", "imaps://[zz]", "imaps://ma il", "imaps://mail?x=1"}) {
    try {
      parse_server_url(bad);
      ADD_FAILURE() << bad << " must be refused";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("imaps://"), std::string::npos) << e.what();
    }
  }
}

TEST(SecretFile, FirstLineOnlyAndClearErrorsWithoutTheContent) {
  testing::TempDir dir;
  EXPECT_EQ(read_secret_file("password_file", dir.write("p", "s3cr3t pass\r\nignored\n")), "s3cr3t pass");
  EXPECT_EQ(read_secret_file("token_file", dir.write("t", "tok")), "tok");
  const std::string empty = dir.write("e", "\n");
  try {
    read_secret_file("password_file", empty);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("option 'password_file': " + empty + " is empty"), std::string::npos);
  }
  EXPECT_THROW(read_secret_file("password_file", dir.path() + "/missing"), std::runtime_error);
  EXPECT_THROW(read_secret_file("password_file", dir.path()), std::runtime_error);  // a directory
  const std::string big = dir.write("big", std::string(70000, 'x'));
  try {
    read_secret_file("password_file", big);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).find("xxxx"), std::string::npos) << "the content must not be shown";
  }
}

TEST(Cursor, RoundTripsAndKeepsEveryFolder) {
  HarvestCursor c;
  c.at("INBOX") = {1716200000, 4411};
  c.at("Env&AO0-os") = {7, 0};
  c.at("Raw \xC3\xA9 100%") = {9, 3};
  std::string problem;
  const HarvestCursor back = HarvestCursor::parse(c.serialize(), problem);
  EXPECT_EQ(problem, "");
  EXPECT_EQ(back.get("INBOX"), (FolderCursor{1716200000, 4411}));
  EXPECT_EQ(back.get("Env&AO0-os"), (FolderCursor{7, 0}));
  EXPECT_EQ(back.get("Raw \xC3\xA9 100%"), (FolderCursor{9, 3}));
  EXPECT_EQ(back.get("Other"), FolderCursor{});
  EXPECT_EQ(back.size(), 3u);
}

TEST(Cursor, AnythingUnreadableIsAFreshStartWithAReason) {
  for (const char* bad : {"folder-v1 complete=x", "[]", "{\"format\":\"imap-v0\",\"folders\":{}}",
                          "{\"format\":\"imap-v1\"}", "{\"format\":\"imap-v1\",\"folders\":{\"INBOX\":{\"uidvalidity\":-1,"
                                                      "\"last_uid\":2}}}",
                          "{\"format\":\"imap-v1\",\"folders\":{\"INBOX\":{\"uidvalidity\":4294967296,\"last_uid\":2}}}",
                          "{\"format\":\"imap-v1\",\"folders\":{\"INBOX\":7}}", "{\"format\":\"imap-v1\",\"fol"}) {
    std::string problem;
    const HarvestCursor c = HarvestCursor::parse(bad, problem);
    EXPECT_NE(problem, "") << bad;
    EXPECT_EQ(c.size(), 0u) << bad;
  }
  std::string problem;
  EXPECT_EQ(HarvestCursor::parse("", problem).size(), 0u);
  EXPECT_EQ(problem, "");
}

TEST(InternalDate, LocalDayOrNothing) {
  ::setenv("TZ", "America/Mexico_City", 1);
  ::tzset();
  EXPECT_EQ(internal_date_local_day("14-May-2021 10:00:00 -0500"), "2021-05-14");
  EXPECT_EQ(internal_date_local_day(" 4-May-2021 23:30:00 +0000"), "2021-05-04");  // 17:30 in Mexico City
  EXPECT_EQ(internal_date_local_day("01-Jan-2022 02:00:00 +0000"), "2021-12-31");
  for (const char* bad : {"", "14-Foo-2021 10:00:00 -0500", "14-May-2021 10:00:00", "32-May-2021 10:00:00 -0500",
                          "14-May-2021 25:00:00 -0500", "14 May 2021 10:00:00 -0500", "aa-May-2021 10:00:00 -0500"})
    EXPECT_EQ(internal_date_local_day(bad), "") << bad;
}

TEST(MessageIdValue, FirstFieldUnfoldedWhateverTheCase) {
  EXPECT_EQ(message_id_value("Message-ID: <a@B.example>\r\n\r\n"), " <a@B.example>");
  EXPECT_EQ(message_id_value("message-id:\r\n <folded@x>\r\n\r\n"), " <folded@x>");
  EXPECT_EQ(message_id_value("MESSAGE-ID : <sp@x>\r\nMessage-ID: <second@x>\r\n"), " <sp@x>");
  EXPECT_EQ(message_id_value("\r\n"), "");
  EXPECT_EQ(message_id_value(""), "");
  EXPECT_EQ(message_id_value("Message-IDX: <no@x>\r\n"), "");
  EXPECT_EQ(message_id_value("Message-ID: <a@b>"), " <a@b>");  // no line end at all
}

}  // namespace
}  // namespace sseccoe::imap
