// The harvest of one folder against an in-memory mailbox and a fake core:
// what is fetched, what is stored, what is quarantined, and where the cursor
// stands after every kind of trouble.
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <stop_token>
#include <unordered_set>

#include "errors.hpp"
#include "folder_pass.hpp"
#include "test_support.hpp"

namespace sseccoe::imap {
namespace {

using testing::FakeEmitter;
using testing::FakeMailbox;
using testing::message;
using testing::TempDir;

ResolvedFolder folder(const std::string& name, const std::string& special_use = "") {
  ResolvedFolder f;
  f.configured = name;
  f.mailbox.wire = name;
  f.mailbox.name = name;
  f.special_use = special_use;
  return f;
}

// One source's state across passes: the settings, the cursor as the core
// stored it, and the fake core.
struct Harness {
  TempDir work;
  ImapSettings settings = testing::settings_for(work.path());
  FakeEmitter out;
  std::stop_source stop;

  // One pass over `box` as folder `name`, starting from the committed cursor.
  FolderCounters pass(FakeMailbox& box, const ResolvedFolder& f, BatchLimits limits = {}) {
    std::string problem;
    HarvestCursor cursor = HarvestCursor::parse(out.committed, problem);
    EXPECT_EQ(problem, "");
    std::unordered_set<std::uint64_t> keys;
    PassContext ctx{out, settings, "imap://mail.example.gob.mx:993/", stop.get_token(), cursor, keys};
    FolderPass p(box, f, ctx, limits);
    p.run();
    return p.counters();
  }
  FolderCursor cursor(const std::string& name) const {
    std::string problem;
    return HarvestCursor::parse(out.committed, problem).get(name);
  }
};

TEST(FolderPass, FirstPassStoresEachMessageWithTheCursorPastIt) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 3; ++i) box.add(message("m" + std::to_string(i) + "@inm.example"));
  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.listed, 3u);
  EXPECT_EQ(c.stored, 3u);
  ASSERT_EQ(h.out.emitted.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& e = h.out.emitted[i];
    EXPECT_EQ(e.outcome, sdk::EmitOutcome::New);
    EXPECT_EQ(e.item.natural_key, "msgid:m" + std::to_string(i + 1) + "@inm.example");
    ASSERT_TRUE(e.cursor) << "each message commits the cursor with its item";
    std::string problem;
    EXPECT_EQ(HarvestCursor::parse(*e.cursor, problem).get("INBOX").last_uid, i + 1);
  }
  EXPECT_EQ(h.cursor("INBOX"), (FolderCursor{1000, 3}));
  EXPECT_EQ(h.work.file_count(), 0u) << "spool files are removed once emitted";
  EXPECT_EQ(h.out.batches, 1u) << "one FETCH of bodies, one commit";
  EXPECT_EQ(h.out.batch_depth, 0);
}

TEST(FolderPass, ItemsCarryFolderLocatorVersionDateAndSpecialUse) {
  Harness h;
  FakeMailbox box;
  const std::uint32_t uid = box.add(message("dispatch@inm.example", "Buena práctica"));
  h.pass(box, folder("Enviados", "\\Sent"));
  ASSERT_EQ(h.out.emitted.size(), 1u);
  const sdk::Item& item = h.out.emitted[0].item;
  EXPECT_EQ(item.metadata.at("folder"), "Enviados");
  EXPECT_EQ(item.metadata.at("special_use"), "\\Sent");
  EXPECT_EQ(item.locator, "imap://mail.example.gob.mx:993/Enviados;UIDVALIDITY=1000/;UID=" + std::to_string(uid));
  EXPECT_EQ(item.version, "size:" + std::to_string(box.find(uid)->raw.size()));
  EXPECT_EQ(item.occurred_on, "2021-05-14");
  EXPECT_EQ(item.metadata.count("body"), 0u);
}

TEST(FolderPass, NextPassFetchesOnlyWhatIsNew) {
  Harness h;
  FakeMailbox box;
  box.add(message("a@x"));
  box.add(message("b@x"));
  h.pass(box, folder("INBOX"));
  box.meta_fetches.clear();
  box.body_fetches.clear();

  const FolderCounters idle = h.pass(box, folder("INBOX"));
  EXPECT_EQ(idle.listed, 0u);
  EXPECT_TRUE(box.meta_fetches.empty()) << "nothing above the cursor: no FETCH at all";
  EXPECT_TRUE(box.body_fetches.empty());

  box.add(message("c@x"));
  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.stored, 1u);
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"3"}));
  EXPECT_EQ(h.cursor("INBOX").last_uid, 3u);
}

TEST(FolderPass, UidValidityResetReApprovesByMessageIdWithoutFetchingBodies) {
  Harness h;
  FakeMailbox box;
  for (int i = 0; i < 5; ++i) box.add(message("r" + std::to_string(i) + "@x"));
  h.pass(box, folder("INBOX"));
  const std::size_t emitted = h.out.emitted.size();
  box.renumber();
  box.body_fetches.clear();

  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.known, 5u);
  EXPECT_EQ(c.stored, 0u);
  EXPECT_TRUE(box.body_fetches.empty()) << "known messages are not downloaded again";
  EXPECT_EQ(h.out.emitted.size(), emitted) << "nothing registered again";
  EXPECT_EQ(h.cursor("INBOX"), (FolderCursor{1001, 5}));
  EXPECT_TRUE(h.out.logged("UIDVALIDITY changed from 1000 to 1001"));

  // A message added after the reset is the only one fetched.
  box.add(message("after@x"));
  h.pass(box, folder("INBOX"));
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"6"}));
}

TEST(FolderPass, MessageWithoutMessageIdIsKeyedByDigestAndNotRegisteredTwice) {
  Harness h;
  FakeMailbox box;
  box.add(message(""));
  h.pass(box, folder("INBOX"));
  ASSERT_EQ(h.out.emitted.size(), 1u);
  EXPECT_EQ(h.out.emitted[0].item.natural_key.rfind("sha256:", 0), 0u);
  box.renumber();
  const FolderCounters c = h.pass(box, folder("INBOX"));
  // Without a Message-ID it must be read to be recognised, by version (size).
  EXPECT_EQ(c.unchanged, 1u);
  EXPECT_EQ(h.out.count(sdk::EmitOutcome::New), 1u);
}

TEST(FolderPass, MovedOrRedeliveredMessageIsNotFetchedAgain) {
  Harness h;
  FakeMailbox inbox, archive;
  inbox.add(message("moved@x"));
  inbox.add(message("twice@x", "Aviso"));
  h.pass(inbox, folder("INBOX"));
  archive.add(message("moved@x"));  // moved: the same bytes, a new folder and UID
  archive.add("Received: from relay\r\n" + message("twice@x", "Aviso"));  // delivered again, other headers
  archive.add(message("new@x"));
  const FolderCounters c = h.pass(archive, folder("Archivo"));
  EXPECT_EQ(c.known, 2u);
  EXPECT_EQ(c.stored, 1u);
  EXPECT_EQ(archive.body_fetches, (std::vector<std::string>{"3"}));
  EXPECT_EQ(h.cursor("Archivo").last_uid, 3u);
  EXPECT_EQ(h.cursor("INBOX").last_uid, 2u) << "each folder keeps its own cursor";
}

TEST(FolderPass, TwoCopiesInOnePassAreStoredOnce) {
  Harness h;
  FakeMailbox box;
  box.add(message("dup@x", "uno"));
  box.add(message("dup@x", "dos"));
  box.add(message("dup@x", "tres"));
  BatchLimits limits;
  limits.meta = 2;  // the third copy comes in the next batch: not even fetched
  const FolderCounters c = h.pass(box, folder("INBOX"), limits);
  EXPECT_EQ(c.stored, 1u);
  EXPECT_EQ(c.known, 2u);
  EXPECT_EQ(h.out.emitted.size(), 1u);
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"1:2"}));
  EXPECT_EQ(h.cursor("INBOX").last_uid, 3u);
}

TEST(FolderPass, AReconnectWithinThePassLosesNothing) {
  // The source's recovery from a dropped connection: a new FolderPass on a
  // new connection, with the same pass context (cursor, keys stored so far).
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 6; ++i) box.add(message("rc" + std::to_string(i) + "@x"));
  box.before_body = [](std::uint32_t uid) {
    if (uid == 3) throw NetworkError("the mail server closed the connection in the middle of an answer");
  };
  std::string problem;
  HarvestCursor cursor = HarvestCursor::parse(h.out.committed, problem);
  std::unordered_set<std::uint64_t> keys;
  PassContext ctx{h.out, h.settings, "imap://mail.example.gob.mx:993/", h.stop.get_token(), cursor, keys};
  {
    FolderPass first(box, folder("INBOX"), ctx);
    EXPECT_THROW(first.run(), NetworkError);
  }
  box.before_body = nullptr;
  FolderPass second(box, folder("INBOX"), ctx);
  EXPECT_TRUE(second.run());
  EXPECT_EQ(second.counters().stored, 4u);
  EXPECT_EQ(h.out.stored_keys().size(), 6u);
  EXPECT_EQ(h.cursor("INBOX").last_uid, 6u);
}

TEST(FolderPass, MessageExpungedDuringTheHarvestIsSimplyGone) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 4; ++i) box.add(message("e" + std::to_string(i) + "@x"));
  box.before_body = [&](std::uint32_t uid) {
    if (uid == 2) box.expunge(3);
  };
  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.stored, 3u);
  EXPECT_EQ(c.expunged, 1u);
  EXPECT_TRUE(h.out.quarantined.empty());
  EXPECT_EQ(h.cursor("INBOX").last_uid, 4u);
}

TEST(FolderPass, AMessageTheServerCannotReturnIsQuarantinedAlone) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 3; ++i) box.add(message("q" + std::to_string(i) + "@x"));
  box.no_body = {2};
  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.stored, 2u);
  EXPECT_EQ(c.quarantined, 1u);
  ASSERT_EQ(h.out.quarantined.size(), 1u);
  EXPECT_EQ(h.out.quarantined[0].key, "msgid:q2@x");
  EXPECT_NE(h.out.quarantined[0].reason.find("could not be FETCHed"), std::string::npos);
  EXPECT_EQ(h.out.quarantined[0].locator, "imap://mail.example.gob.mx:993/INBOX;UIDVALIDITY=1000/;UID=2");
  EXPECT_EQ(h.cursor("INBOX").last_uid, 3u);
}

TEST(FolderPass, AMessageWithoutSizeOrMessageIdIsQuarantinedByUid) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 3; ++i) box.add(message("n" + std::to_string(i) + "@x"));
  box.no_meta = {2};
  h.pass(box, folder("INBOX"));
  ASSERT_EQ(h.out.quarantined.size(), 1u);
  EXPECT_EQ(h.out.quarantined[0].key, "uid:INBOX/1000/2");
  EXPECT_EQ(h.out.stored_keys(), (std::set<std::string>{"msgid:n1@x", "msgid:n3@x"}));
  EXPECT_EQ(h.cursor("INBOX").last_uid, 3u);
}

TEST(FolderPass, ABrokenMessageIsQuarantinedAloneWithTheParsersReason) {
  Harness h;
  FakeMailbox box;
  box.add(message("ok1@x"));
  box.add(std::string(1, '\0') + "\x01\x02 this is not mail at all");
  box.add(message("ok2@x"));
  h.pass(box, folder("INBOX"));
  ASSERT_EQ(h.out.quarantined.size(), 1u);
  EXPECT_EQ(h.out.quarantined[0].key.rfind("sha256:", 0), 0u);
  EXPECT_NE(h.out.quarantined[0].reason.find("not a mail message"), std::string::npos) << h.out.quarantined[0].reason;
  EXPECT_EQ(h.out.stored_keys(), (std::set<std::string>{"msgid:ok1@x", "msgid:ok2@x"}));
  EXPECT_EQ(h.cursor("INBOX").last_uid, 3u);
}

TEST(FolderPass, TooLargeMessageIsQuarantinedWithoutDownloadingIt) {
  Harness h;
  h.settings.options.set("max_message_size", std::int64_t{2000});
  FakeMailbox box;
  box.add(message("small@x"));
  box.add(testing::message_with_attachment("big@x", 10000));
  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.quarantined, 1u);
  ASSERT_EQ(h.out.quarantined.size(), 1u);
  EXPECT_EQ(h.out.quarantined[0].key, "msgid:big@x");
  EXPECT_NE(h.out.quarantined[0].reason.find("max_message_size"), std::string::npos);
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"1"}));
}

TEST(FolderPass, ABodyLargerThanAnnouncedAndThanTheLimitIsDroppedAndQuarantined) {
  Harness h;
  h.settings.options.set("max_message_size", std::int64_t{2000});
  FakeMailbox box;
  box.add(message("ok@x"));
  const std::uint32_t liar = box.add(testing::message_with_attachment("liar@x", 10000));
  box.announced[liar] = 900;  // the pre-check is told it is small
  h.pass(box, folder("INBOX"));
  ASSERT_EQ(h.out.quarantined.size(), 1u);
  EXPECT_EQ(h.out.quarantined[0].key, "msgid:liar@x");
  EXPECT_NE(h.out.quarantined[0].reason.find("max_message_size"), std::string::npos);
  EXPECT_EQ(h.out.stored_keys(), (std::set<std::string>{"msgid:ok@x"}));
  EXPECT_EQ(h.cursor("INBOX").last_uid, 2u);
  EXPECT_EQ(h.work.file_count(), 0u);
}

TEST(FolderPass, ConnectionLostMidFetchLeavesTheCursorBelowTheLostMessage) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 4; ++i) box.add(message("d" + std::to_string(i) + "@x"));
  box.before_body = [](std::uint32_t uid) {
    if (uid == 3) throw NetworkError("the mail server closed the connection in the middle of an answer");
  };
  EXPECT_THROW(h.pass(box, folder("INBOX")), NetworkError);
  EXPECT_EQ(h.out.batch_depth, 0) << "the batch is closed on the way out";
  EXPECT_EQ(h.cursor("INBOX").last_uid, 2u);
  EXPECT_EQ(h.work.file_count(), 0u);

  box.before_body = nullptr;
  box.body_fetches.clear();
  h.pass(box, folder("INBOX"));
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"3:4"}));
  EXPECT_EQ(h.out.count(sdk::EmitOutcome::New), 4u);
  EXPECT_EQ(h.cursor("INBOX").last_uid, 4u);
}

TEST(FolderPass, ADeferredItemHoldsTheCursorSoTheNextPassReadsItAgain) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 3; ++i) box.add(message("f" + std::to_string(i) + "@x"));
  h.out.force["msgid:f2@x"] = sdk::EmitOutcome::Deferred;
  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.deferred, 1u);
  EXPECT_EQ(h.cursor("INBOX").last_uid, 1u);
  EXPECT_EQ(h.out.stored_keys(), (std::set<std::string>{"msgid:f1@x", "msgid:f3@x"}));

  box.body_fetches.clear();
  h.pass(box, folder("INBOX"));
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"2"})) << "f3 is known: only f2 is read again";
  EXPECT_EQ(h.cursor("INBOX").last_uid, 3u);
}

TEST(FolderPass, BatchesBoundCommandsAndEveryBatchCommits) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 5; ++i) box.add(message("b" + std::to_string(i) + "@x"));
  BatchLimits limits;
  limits.meta = 2;
  limits.bodies = 1;
  h.pass(box, folder("INBOX"), limits);
  EXPECT_EQ(box.meta_fetches, (std::vector<std::string>{"1:2", "3:4", "5"}));
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(h.cursor("INBOX").last_uid, 5u);
}

TEST(FolderPass, BodyBatchesAreBoundedByAnnouncedBytes) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 4; ++i) box.add(testing::message_with_attachment("s" + std::to_string(i) + "@x", 3000));
  BatchLimits limits;
  limits.body_bytes = 9000;  // two of these messages per FETCH
  h.pass(box, folder("INBOX"), limits);
  EXPECT_EQ(box.body_fetches, (std::vector<std::string>{"1:2", "3:4"}));
}

TEST(FolderPass, AStopBetweenMessagesEndsThePassWithTheCursorOnTheLastDurable) {
  Harness h;
  FakeMailbox box;
  for (int i = 1; i <= 4; ++i) box.add(message("s" + std::to_string(i) + "@x"));
  int stored = 0;
  h.out.before_store = [&](const sdk::Item&) {
    if (++stored == 2) h.stop.request_stop();
  };
  EXPECT_THROW(h.pass(box, folder("INBOX")), Cancelled);
  EXPECT_EQ(h.cursor("INBOX").last_uid, 2u);
  EXPECT_EQ(h.out.emitted.size(), 2u);
}

TEST(FolderPass, PerAttachmentItemsAreRecognisedByTheirFirstKey) {
  Harness h;
  h.settings.options.set("per_attachment", true);
  FakeMailbox box;
  box.add(testing::message_with_attachment("pa@x", 500));
  h.pass(box, folder("INBOX"));
  EXPECT_EQ(h.out.stored_keys(), (std::set<std::string>{"msgid:pa@x/1"}));
  box.renumber();
  box.body_fetches.clear();
  const FolderCounters c = h.pass(box, folder("INBOX"));
  EXPECT_EQ(c.known, 1u);
  EXPECT_TRUE(box.body_fetches.empty());
}

TEST(FolderPass, LargeMessageIsStreamedInPiecesNeverWhole) {
  Harness h;
  FakeMailbox box;
  box.chunk = 64 * 1024;
  TempDir data;
  testing::write_message_with_attachment(data.path() + "/large.eml", "large@x", 48u << 20);  // 64 MiB as base64
  box.add_file(data.path() + "/large.eml");
  testing::reset_peak_rss();
  const std::uint64_t before = std::max(testing::current_rss(), testing::peak_rss());
  h.pass(box, folder("INBOX"));
  EXPECT_EQ(h.out.count(sdk::EmitOutcome::New), 1u);
  EXPECT_EQ(box.body_bytes_sent, std::filesystem::file_size(data.path() + "/large.eml"));
  // Spooling, parsing and storing a 64 MiB message add a few buffers, not the message.
  EXPECT_LT(testing::rss_growth_since(before), 16u << 20);
}

}  // namespace
}  // namespace sseccoe::imap
