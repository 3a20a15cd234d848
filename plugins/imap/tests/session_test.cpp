// The IMAP client against a scripted server on loopback: what it sends, how
// it reads answers, and what it says when the server misbehaves. (TLS and
// certificate checks run against a real Dovecot in tests/e2e.)
#include <gtest/gtest.h>

#include <algorithm>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "errors.hpp"
#include "imap_session.hpp"
#include "imap_syntax.hpp"
#include "test_support.hpp"

namespace sseccoe::imap {
namespace {

using testing::ScriptedServer;

const std::string kCaps = "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN ESEARCH LIST-EXTENDED SPECIAL-USE";

SessionSettings plain(std::uint16_t port) {
  SessionSettings s;
  s.host = "127.0.0.1";
  s.port = port;
  s.implicit_tls = false;
  s.timeout = std::chrono::milliseconds(5000);
  return s;
}

Credentials comite(const std::string& secret = "s3cret") { return Credentials{"comite", secret, false}; }

std::string plain_b64(const std::string& user, const std::string& pass) {
  return base64_encode(std::string(1, '\0') + user + std::string(1, '\0') + pass);
}

TEST(Session, LogsInWithAuthenticatePlainInTheFirstCommand) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready",
                         "C: s1 AUTHENTICATE PLAIN " + plain_b64("comite", "s3cret"),
                         "S: s1 OK [CAPABILITY " + kCaps + " MOVE] Logged in", "C: s2 LOGOUT", "S: * BYE",
                         "S: s2 OK bye"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  EXPECT_FALSE(s->secure());
  s->login(comite());
  EXPECT_TRUE(s->has_capability("move"));
  s->logout();
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, ARefusedLoginNamesUserAndServerButNeverThePassword) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*",
                         "S: s1 NO [AUTHENTICATIONFAILED] Authentication failed."});
  auto s = ImapSession::connect(plain(server.port()), -1);
  try {
    s->login(comite("Pa55-very-secret"));
    FAIL() << "a refused login must throw";
  } catch (const AuthError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("login refused for user comite at 127.0.0.1:"), std::string::npos) << what;
    EXPECT_NE(what.find("check password_file"), std::string::npos) << what;
    EXPECT_NE(what.find("AUTHENTICATIONFAILED"), std::string::npos) << what;
    EXPECT_EQ(what.find("Pa55-very-secret"), std::string::npos) << what;
    EXPECT_EQ(what.find(plain_b64("comite", "Pa55-very-secret")), std::string::npos) << what;
  }
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, LoginCommandSendsEightBitPasswordsAsSynchronizingLiterals) {
  const std::string pass = "contrase\xC3\xB1" "a";  // "contraseña"
  ScriptedServer server({"S: * OK [CAPABILITY IMAP4rev1 IDLE] ready", "C: s1 LOGIN \\{6\\}", "S: + go",
                         "C: comite \\{11\\}", "S: + go", "C: contrase.*a", "S: s1 OK Logged in",
                         "C: s2 CAPABILITY", "S: * CAPABILITY IMAP4rev1 IDLE", "S: s2 OK"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite(pass));
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, QuotedLoginEscapesQuotesAndBackslashes) {
  ScriptedServer server({"S: * OK [CAPABILITY IMAP4rev1] ready", R"(C: s1 LOGIN "comite" "a\\"b\\\\c")",
                         "S: s1 OK [CAPABILITY IMAP4rev1 IDLE] Logged in"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite("a\"b\\c"));
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, OAuth2RefusalIsAnsweredAndReportedAsATokenProblem) {
  const std::string payload = base64_encode("user=comite\x01" "auth=Bearer tok-123\x01\x01");
  ScriptedServer server({"S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready",
                         "C: s1 AUTHENTICATE XOAUTH2 " + payload, "S: + eyJzdGF0dXMiOiI0MDEifQ==", "C: ",
                         "S: s1 NO [AUTHENTICATIONFAILED] Authentication failed."});
  auto s = ImapSession::connect(plain(server.port()), -1);
  try {
    s->login(Credentials{"comite", "tok-123", true});
    FAIL();
  } catch (const AuthError& e) {
    EXPECT_NE(std::string(e.what()).find("check token_file"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("tok-123"), std::string::npos);
  }
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, OAuth2NeedsTheServerToOfferIt) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  EXPECT_THROW(s->login(Credentials{"comite", "tok", true}), AuthError);
}

TEST(Session, StartTlsIsRequiredOffLoopback) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready"});
  SessionSettings st = plain(server.port());
  st.plaintext_on_loopback = false;  // as for a remote server
  try {
    ImapSession::connect(st, -1);
    FAIL() << "a server without STARTTLS must be refused off loopback";
  } catch (const TlsError& e) {
    EXPECT_NE(std::string(e.what()).find("does not offer STARTTLS"), std::string::npos) << e.what();
  }
}

TEST(Session, DataInjectedAfterStartTlsIsRefused) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + " STARTTLS] ready", "C: s1 STARTTLS",
                         "RAW: s1 OK Begin TLS negotiation now\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n"});
  SessionSettings st = plain(server.port());
  st.plaintext_on_loopback = false;
  try {
    ImapSession::connect(st, -1);
    FAIL();
  } catch (const TlsError& e) {
    EXPECT_NE(std::string(e.what()).find("sent data right after accepting STARTTLS"), std::string::npos) << e.what();
  }
}

TEST(Session, ListsExaminesSearchesAndFetchesSizesAndMessageIds) {
  const std::string h1 = "Message-ID: <one@x>\r\n\r\n";
  ScriptedServer server(
      {"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*", "S: s1 OK [CAPABILITY " + kCaps +
                                                                                      "] in",
       R"(C: s2 LIST "" "\*" RETURN \(SPECIAL-USE\))", R"(S: * LIST (\HasNoChildren) "." INBOX)",
       R"(S: * LIST (\HasNoChildren \Sent) "." "Env&AO0-os")", "S: * LIST (\\Noselect) \".\" {7}", "S: Archivo",
       "S: s2 OK List completed", R"(C: s3 EXAMINE "INBOX")", "S: * 3 EXISTS",
       "S: * OK [UIDVALIDITY 1716200000] UIDs valid", "S: * OK [UIDNEXT 12] Predicted next UID",
       "S: s3 OK [READ-ONLY] Examine completed", R"(C: s4 UID SEARCH RETURN \(ALL\) UID 5:\*)",
       R"(S: * ESEARCH (TAG "s4") UID ALL 5:6,9)", "S: s4 OK Search completed",
       R"(C: s5 UID FETCH 5:6,9 \(UID RFC822.SIZE BODY.PEEK\[HEADER.FIELDS \(MESSAGE-ID\)\]\))",
       "S: * 1 FETCH (UID 5 RFC822.SIZE 1200 BODY[HEADER.FIELDS (MESSAGE-ID)] {" + std::to_string(h1.size()) + "}",
       "RAW: " + h1 + ")\r\n", "S: * 2 FETCH (FLAGS (\\Seen))",
       "S: * 3 FETCH (RFC822.SIZE 99 UID 9 BODY[HEADER.FIELDS (MESSAGE-ID)] \"\\r\\n\")",
       "S: s5 OK Fetch completed"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite());
  const auto boxes = s->list();
  ASSERT_EQ(boxes.size(), 3u);
  EXPECT_EQ(boxes[0].wire, "INBOX");
  EXPECT_EQ(boxes[1].wire, "Env&AO0-os");
  EXPECT_TRUE(boxes[1].has_attribute("\\sent"));
  EXPECT_EQ(boxes[1].delimiter, '.');
  EXPECT_EQ(boxes[2].wire, "Archivo");
  EXPECT_FALSE(boxes[2].selectable());

  const MailboxStatus st = s->examine(boxes[0]);
  EXPECT_EQ(st.uidvalidity, 1716200000u);
  EXPECT_EQ(st.uidnext, 12u);
  EXPECT_EQ(st.exists, 3u);
  EXPECT_EQ(s->search_from(5).to_string(), "5:6,9");

  std::vector<MessageMeta> metas;
  s->fetch_meta(UidRanges::parse("5:6,9"), [&](const MessageMeta& m) { metas.push_back(m); });
  ASSERT_EQ(metas.size(), 2u);
  EXPECT_EQ(metas[0].uid, 5u);
  EXPECT_EQ(metas[0].size, 1200u);
  EXPECT_EQ(metas[0].header_fields, h1);
  EXPECT_EQ(metas[1].uid, 9u);
  EXPECT_EQ(metas[1].size, 99u);
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, SearchWithoutEsearchDropsTheLastMessageBelowTheStart) {
  ScriptedServer server({"S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR IDLE] ready",
                         "C: s1 AUTHENTICATE PLAIN .*", "S: s1 OK [CAPABILITY IMAP4rev1 IDLE] in",
                         "C: s2 UID SEARCH UID 8:\\*", "S: * SEARCH 7", "S: s2 OK done"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite());
  EXPECT_TRUE(s->search_from(8).empty()) << "\"8:*\" matches UID 7 when 7 is the highest";
  EXPECT_EQ(server.finish(), "");
}

class DiscardSink : public BodySink {
 public:
  void write(const char*, std::size_t size) override { bytes += size; }
  std::uint64_t bytes = 0;
};

TEST(Session, BodiesStreamToSinksAndMissingOnesAreReported) {
  ScriptedServer server(
      {"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*", "S: s1 OK [CAPABILITY " + kCaps +
                                                                                      "] in",
       R"(C: s2 UID FETCH 1:3 \(UID RFC822.SIZE INTERNALDATE BODY.PEEK\[\]\))",
       "S: * 1 FETCH (UID 1 RFC822.SIZE 5 INTERNALDATE \"14-May-2021 10:00:00 -0500\" BODY[] {5}", "RAW: hello)\r\n",
       "S: * 2 FETCH (UID 2 BODY[] NIL)", "S: * 3 EXPUNGE",
       "S: s2 NO [EXPUNGEISSUED] Some messages could not be FETCHed"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite());
  std::vector<std::unique_ptr<DiscardSink>> sinks;
  std::vector<FetchedBody> got;
  const FetchOutcome outcome = s->fetch_bodies(
      UidRanges::parse("1:3"),
      [&](std::uint64_t) {
        sinks.push_back(std::make_unique<DiscardSink>());
        return sinks.back().get();
      },
      [&](const FetchedBody& b) { got.push_back(b); });
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.text.find("EXPUNGEISSUED"), std::string::npos);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].uid, 1u);
  EXPECT_EQ(got[0].bytes, 5u);
  EXPECT_EQ(got[0].internal_date, "14-May-2021 10:00:00 -0500");
  EXPECT_EQ(sinks.at(0)->bytes, 5u);
  EXPECT_EQ(got[1].uid, 2u);
  EXPECT_EQ(got[1].sink, nullptr);
  EXPECT_TRUE(s->usable());
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, AHugeBodyIsStreamedNotHeld) {
  const std::uint64_t size = 96ull << 20;
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*",
                         "S: s1 OK [CAPABILITY " + kCaps + "] in", "C: s2 UID FETCH 7 .*",
                         "S: * 1 FETCH (UID 7 RFC822.SIZE " + std::to_string(size) + " BODY[] {" +
                             std::to_string(size) + "}",
                         "ZEROS: " + std::to_string(size), "RAW: )\r\n", "S: s2 OK done"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite());
  testing::reset_peak_rss();
  const std::uint64_t before = std::max(testing::current_rss(), testing::peak_rss());
  DiscardSink sink;
  std::uint64_t bytes = 0;
  s->fetch_bodies(
      UidRanges::parse("7"), [&](std::uint64_t) { return &sink; }, [&](const FetchedBody& b) { bytes = b.bytes; });
  EXPECT_EQ(bytes, size);
  EXPECT_EQ(sink.bytes, size);
  EXPECT_LT(testing::rss_growth_since(before), 8u << 20) << "the client holds a buffer, not the message";
  EXPECT_EQ(server.finish(), "");
}

TEST(Session, AnUnexpectedAnswerLeavesTheSessionUnusable) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*",
                         "S: s1 OK [CAPABILITY " + kCaps + "] in", R"(C: s2 EXAMINE "INBOX")",
                         "S: * 1 FETCH (UID 1 BODY[] {5} trailing)", "S: s2 OK"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite());
  Mailbox inbox;
  inbox.wire = "INBOX";
  EXPECT_THROW(s->examine(inbox), ProtocolError);
  EXPECT_FALSE(s->usable());
  EXPECT_THROW(s->examine(inbox), NetworkError);
}

TEST(Session, ByeBeforeClosingIsQuotedInTheError) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*",
                         "S: s1 OK [CAPABILITY " + kCaps + "] in", R"(C: s2 EXAMINE "INBOX")",
                         "S: * BYE Server shutting down.", "CLOSE"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite());
  Mailbox inbox;
  inbox.wire = "INBOX";
  try {
    s->examine(inbox);
    FAIL();
  } catch (const NetworkError& e) {
    EXPECT_NE(std::string(e.what()).find("Server shutting down."), std::string::npos) << e.what();
  }
}

TEST(Session, ANonImapGreetingIsRefused) {
  ScriptedServer server({"S: 220 smtp.example ESMTP ready"});
  try {
    ImapSession::connect(plain(server.port()), -1);
    FAIL();
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("check url"), std::string::npos) << e.what();
  }
}

TEST(Session, ASilentServerTimesOut) {
  ScriptedServer server({"C: never"});
  SessionSettings st = plain(server.port());
  st.timeout = std::chrono::milliseconds(300);
  try {
    ImapSession::connect(st, -1);
    FAIL();
  } catch (const NetworkError& e) {
    EXPECT_NE(std::string(e.what()).find("went silent"), std::string::npos) << e.what();
  }
}

TEST(Session, AStopAbortsAWaitAtOnce) {
  ScriptedServer server({"C: never"});
  const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  std::thread stopper([fd] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = ::write(fd, &one, sizeof one);
  });
  SessionSettings st = plain(server.port());
  st.timeout = std::chrono::hours(1);
  EXPECT_THROW(ImapSession::connect(st, fd), Cancelled);
  stopper.join();
  ::close(fd);
}

TEST(Session, ConnectingToAClosedPortSaysSo) {
  // A port that was just free: bound, never listened on, closed.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  const std::uint16_t port = ntohs(a.sin_port);
  ::close(fd);
  try {
    ImapSession::connect(plain(port), -1);
    FAIL();
  } catch (const NetworkError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to the mail server 127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << e.what();
  }
}

TEST(Session, IdleReportsNewMailAndEndsWithDone) {
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*",
                         "S: s1 OK [CAPABILITY " + kCaps + "] in", R"(C: s2 EXAMINE "INBOX")",
                         "S: * OK [UIDVALIDITY 5] ok", "S: s2 OK", "C: s3 IDLE", "S: + idling",
                         "S: * OK Still here", "S: * 4 EXISTS", "C: DONE", "S: s3 OK Idle completed",
                         "C: s4 IDLE", "S: + idling", "C: DONE", "S: s4 OK Idle completed"});
  auto s = ImapSession::connect(plain(server.port()), -1);
  s->login(comite());
  Mailbox inbox;
  inbox.wire = "INBOX";
  s->examine(inbox);
  EXPECT_EQ(s->idle(std::chrono::seconds(30)), ImapSession::IdleWake::Changed);
  EXPECT_EQ(s->idle(std::chrono::milliseconds(200)), ImapSession::IdleWake::Timeout);
  EXPECT_TRUE(s->usable());
  EXPECT_EQ(server.finish(), "");
}

}  // namespace
}  // namespace sseccoe::imap
