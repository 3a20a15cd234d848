// The source's orchestration against a scripted server: one login for a pass
// and the IDLE after it, an immediate return on stop, and no extra login
// after a failed pass.
#include <gtest/gtest.h>

#include <future>
#include <stop_token>
#include <thread>

#include "errors.hpp"
#include "imap_source.hpp"
#include "test_support.hpp"

namespace sseccoe::imap {
namespace {

using testing::FakeEmitter;
using testing::ScriptedServer;
using testing::TempDir;

const std::string kCaps = "IMAP4rev1 SASL-IR IDLE AUTH=PLAIN ESEARCH LIST-EXTENDED SPECIAL-USE";

ImapSettings settings(const TempDir& dir, std::uint16_t port) {
  sdk::SourceConfig c;
  c.instance = "correo";
  c.options = testing::default_options("imap://127.0.0.1:" + std::to_string(port), dir.write("pass", "s3cret\n"));
  c.work_dir = dir.path();
  return read_settings(c);
}

// Login, LIST and an empty INBOX: a pass with nothing to fetch.
std::vector<std::string> empty_pass() {
  return {"S: * OK [CAPABILITY " + kCaps + "] ready",
          "C: s1 AUTHENTICATE PLAIN .*",
          "S: s1 OK [CAPABILITY " + kCaps + "] in",
          R"(C: s2 LIST "" "\*" RETURN \(SPECIAL-USE\))",
          R"(S: * LIST (\HasNoChildren) "." INBOX)",
          "S: s2 OK",
          R"(C: s3 EXAMINE "INBOX")",
          "S: * 0 EXISTS",
          "S: * OK [UIDVALIDITY 7] ok",
          "S: * OK [UIDNEXT 1] ok",
          "S: s3 OK"};
}

TEST(ImapSource, IdlesAfterThePassOnTheSameConnection) {
  TempDir dir;
  auto script = empty_pass();
  for (const char* step : {R"(C: s4 EXAMINE "INBOX")", "S: * 0 EXISTS", "S: * OK [UIDVALIDITY 7] ok",
                           "S: * OK [UIDNEXT 1] ok", "S: s4 OK", "C: s5 IDLE", "S: + idling", "S: * 1 EXISTS",
                           "C: DONE", "S: s5 OK"})
    script.emplace_back(step);
  ScriptedServer server(script);
  ImapSource source(settings(dir, server.port()));
  FakeEmitter out;
  const sdk::Cursor cursor = source.harvest({}, out, {});
  EXPECT_EQ(cursor.value, R"({"folders":{"INBOX":{"last_uid":0,"uidvalidity":7}},"format":"imap-v1"})");
  source.wait_for_change(std::chrono::seconds(30), {});
  EXPECT_EQ(source.last_wake(), ImapSource::Wake::Changed);
  EXPECT_EQ(server.finish(), "");
}

TEST(ImapSource, MailArrivedSinceThePassWakesWithoutIdle) {
  TempDir dir;
  auto script = empty_pass();
  for (const char* step : {R"(C: s4 EXAMINE "INBOX")", "S: * 1 EXISTS", "S: * OK [UIDVALIDITY 7] ok",
                           "S: * OK [UIDNEXT 2] ok", "S: s4 OK"})
    script.emplace_back(step);
  ScriptedServer server(script);
  ImapSource source(settings(dir, server.port()));
  FakeEmitter out;
  source.harvest({}, out, {});
  source.wait_for_change(std::chrono::seconds(30), {});
  EXPECT_EQ(source.last_wake(), ImapSource::Wake::Changed);
  EXPECT_EQ(server.finish(), "");
}

TEST(ImapSource, AStopWhileIdlingReturnsAtOnce) {
  TempDir dir;
  auto script = empty_pass();
  for (const char* step : {R"(C: s4 EXAMINE "INBOX")", "S: * 0 EXISTS", "S: * OK [UIDVALIDITY 7] ok",
                           "S: * OK [UIDNEXT 1] ok", "S: s4 OK", "C: s5 IDLE", "S: + idling", "C: DONE"})
    script.emplace_back(step);
  ScriptedServer server(script);
  ImapSource source(settings(dir, server.port()));
  FakeEmitter out;
  source.harvest({}, out, {});
  std::stop_source stop;
  auto waiting = std::async(std::launch::async, [&] { source.wait_for_change(std::chrono::hours(1), stop.get_token()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop.request_stop();
  ASSERT_EQ(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "the stop must end the wait";
  EXPECT_EQ(source.last_wake(), ImapSource::Wake::Stopped);
  server.finish();  // the client hung up instead of saying DONE
}

TEST(ImapSource, AServerEndingTheIdleConnectionMeansPollingUntilTheNextPass) {
  TempDir dir;
  auto script = empty_pass();
  for (const char* step : {R"(C: s4 EXAMINE "INBOX")", "S: * 0 EXISTS", "S: * OK [UIDVALIDITY 7] ok",
                           "S: * OK [UIDNEXT 1] ok", "S: s4 OK", "C: s5 IDLE", "S: + idling",
                           "S: * BYE Disconnected for inactivity.", "CLOSE"})
    script.emplace_back(step);
  ScriptedServer server(script);
  ImapSettings s = settings(dir, server.port());
  s.timeout = std::chrono::seconds(1);
  ImapSource source(s);
  FakeEmitter out;
  source.harvest({}, out, {});
  source.wait_for_change(std::chrono::milliseconds(300), {});
  EXPECT_EQ(source.last_wake(), ImapSource::Wake::Polled);
  EXPECT_EQ(server.finish(), "");
  // The next pass says why (the scripted server takes no second client, so
  // that pass fails to connect: a timeout).
  EXPECT_THROW(source.harvest({}, out, {}), NetworkError);
  EXPECT_TRUE(out.logged("the connection waiting for new mail (IDLE) ended")) << out.logs.back().second;
  EXPECT_TRUE(out.logged("Disconnected for inactivity."));
}

TEST(ImapSource, AfterARefusedLoginItWaitsWithoutLoggingInAgain) {
  TempDir dir;
  ScriptedServer server({"S: * OK [CAPABILITY " + kCaps + "] ready", "C: s1 AUTHENTICATE PLAIN .*",
                         "S: s1 NO [AUTHENTICATIONFAILED] Authentication failed."});
  ImapSource source(settings(dir, server.port()));
  FakeEmitter out;
  try {
    source.harvest({}, out, {});
    FAIL() << "a refused login fails the pass";
  } catch (const AuthError& e) {
    EXPECT_NE(std::string(e.what()).find("login refused for user comite"), std::string::npos);
  }
  EXPECT_EQ(server.finish(), "");
  source.wait_for_change(std::chrono::milliseconds(100), {});
  EXPECT_EQ(source.last_wake(), ImapSource::Wake::Polled);
  EXPECT_FALSE(server.another_client_waiting()) << "no second login before the next pass";
}

TEST(ImapSource, AMissingFolderFailsThePassAfterTheOthersAreHarvested) {
  TempDir dir;
  ScriptedServer server(empty_pass());
  ImapSettings s = settings(dir, server.port());
  s.folders = {"INBOX", "Constancias"};
  ImapSource source(s);
  FakeEmitter out;
  try {
    source.harvest({}, out, {});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("folder 'Constancias' does not exist on the server (folders: INBOX)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(out.committed, R"({"folders":{"INBOX":{"last_uid":0,"uidvalidity":7}},"format":"imap-v1"})");
}

TEST(ImapSource, AnUnreadableCursorIsAFreshStartWithAWarning) {
  TempDir dir;
  ScriptedServer server(empty_pass());
  ImapSource source(settings(dir, server.port()));
  FakeEmitter out;
  const sdk::Cursor cursor = source.harvest(sdk::Cursor{"folder-v1 complete=2021-05-14T10:00:00Z"}, out, {});
  EXPECT_TRUE(out.logged("the stored cursor is not JSON"));
  EXPECT_NE(cursor.value.find("\"uidvalidity\":7"), std::string::npos);
}

}  // namespace
}  // namespace sseccoe::imap
