#include <gtest/gtest.h>

#include <filesystem>

#include "maildir_fixture.hpp"
#include "maildir_source.hpp"
#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::maildir {
namespace {

using mailtest::certificate_mail;
using mailtest::dispatch_mail;
using mailtest::FakeEmitter;
using mailtest::MaildirTree;
using sdk::EmitOutcome;

std::unique_ptr<MaildirSource> source_for(const MaildirTree& t, void (*tweak)(sdk::SourceConfig&) = nullptr) {
  sdk::SourceConfig c = t.config();
  if (tweak != nullptr) tweak(c);
  return std::make_unique<MaildirSource>(read_settings(c));
}

std::string meta(const FakeEmitter& out, const std::string& key, const std::string& field) {
  const auto* e = out.find(key);
  if (e == nullptr) return "<no item>";
  auto it = e->item.metadata.find(field);
  return it == e->item.metadata.end() ? "<absent>" : it->second;
}

TEST(MaildirSource, HarvestsEveryFolderWithItsName) {
  MaildirTree t;
  t.deliver("INBOX", certificate_mail(1, "Ana"));
  t.deliver("INBOX", certificate_mail(2, "Luis"), "");  // still in new/
  t.deliver("Sent", dispatch_mail(1));
  auto src = source_for(t);
  FakeEmitter out;
  const sdk::Cursor c = src->harvest({}, out, {});
  EXPECT_EQ(c.value.rfind("maildir-v1 complete=", 0), 0u) << c.value;
  EXPECT_EQ(out.keys(), (std::set<std::string>{"msgid:constancia.1@sicavisp.gob.mx",
                                               "msgid:constancia.2@sicavisp.gob.mx", "msgid:envio.1@inm.gob.mx"}));
  EXPECT_EQ(meta(out, "msgid:constancia.1@sicavisp.gob.mx", "folder"), "INBOX");
  EXPECT_EQ(meta(out, "msgid:envio.1@inm.gob.mx", "folder"), "Sent");
  EXPECT_EQ(meta(out, "msgid:constancia.2@sicavisp.gob.mx", "attachment"), "Constancia Luis.pdf");
  const auto* e = out.find("msgid:envio.1@inm.gob.mx");
  EXPECT_EQ(e->item.locator.rfind("maildir://" + t.root() + "/.Sent/cur/", 0), 0u) << e->item.locator;
  EXPECT_EQ(src->last_pass().stored, 3u);
  EXPECT_EQ(std::filesystem::is_empty(t.work_dir()), true) << "spool files do not outlive the pass";
  for (const auto& [level, m] : out.logs) {
    EXPECT_EQ(m.find('@'), std::string::npos) << "no addresses or ids in logs: " << m;
    EXPECT_EQ(m.find("Constancia"), std::string::npos) << "no subjects or names in logs: " << m;
  }
}

TEST(MaildirSource, ASecondPassOpensNothing) {
  MaildirTree t;
  t.deliver("INBOX", certificate_mail(1, "Ana"));
  t.deliver("Sent", dispatch_mail(1));
  auto src = source_for(t);
  FakeEmitter out;
  src->harvest({}, out, {});
  out.clear_pass();
  src->harvest({}, out, {});
  EXPECT_TRUE(out.emitted.empty());
  EXPECT_EQ(out.known_calls, 0u) << "settled in this process: not even the header is read";
  EXPECT_EQ(src->last_pass().settled, 2u);
}

TEST(MaildirSource, AfterARestartKnownMessagesAreNotSpooled) {
  MaildirTree t;
  t.deliver("INBOX", certificate_mail(1, "Ana"));
  t.deliver("Sent", dispatch_mail(1));
  FakeEmitter out;
  source_for(t)->harvest({}, out, {});
  out.clear_pass();
  auto restarted = source_for(t);
  restarted->harvest({}, out, {});
  EXPECT_TRUE(out.emitted.empty());
  EXPECT_EQ(restarted->last_pass().unchanged, 2u);
}

TEST(MaildirSource, FlagChangesAndNewToCurMovesAreNotNewItems) {
  MaildirTree t;
  const std::string read = t.deliver("INBOX", certificate_mail(1, "Ana"), ":2,S");
  const std::string fresh = t.deliver("INBOX", certificate_mail(2, "Luis"), "");
  FakeEmitter out;
  auto src = source_for(t);
  src->harvest({}, out, {});
  MaildirTree::rename_flags(read, ":2,RS");
  MaildirTree::rename_flags(fresh, ":2,S");
  out.clear_pass();
  src->harvest({}, out, {});
  EXPECT_TRUE(out.emitted.empty());
  out.clear_pass();
  source_for(t)->harvest({}, out, {});  // and after a restart
  EXPECT_TRUE(out.emitted.empty());
}

TEST(MaildirSource, TheSameMessageInTwoFoldersIsOneItem) {
  MaildirTree t;
  const std::string raw = certificate_mail(1, "Ana");
  const std::string inbox_copy = t.deliver("INBOX", raw);
  t.deliver("Archivo", raw);
  FakeEmitter out;
  auto src = source_for(t);
  src->harvest({}, out, {});
  EXPECT_EQ(out.keys().size(), 1u);
  EXPECT_EQ(out.count(EmitOutcome::New), 1u);
  EXPECT_EQ(src->last_pass().duplicates, 1u);
  EXPECT_EQ(meta(out, "msgid:constancia.1@sicavisp.gob.mx", "folder"), "INBOX") << "the first folder wins";
  for (int pass = 0; pass < 2; ++pass) {  // restarts do not flip the record between copies
    out.clear_pass();
    auto again = source_for(t);
    again->harvest({}, out, {});
    EXPECT_TRUE(out.emitted.empty());
  }
  // With the first copy deleted, the other is re-read and found identical.
  std::filesystem::remove(inbox_copy);
  out.clear_pass();
  source_for(t)->harvest({}, out, {});
  ASSERT_EQ(out.emitted.size(), 1u);
  EXPECT_EQ(out.emitted[0].outcome, EmitOutcome::Unchanged);
  EXPECT_TRUE(out.gone_keys.empty()) << "deleted mail is never reported gone";
}

TEST(MaildirSource, EachBadMessageIsQuarantinedAloneAndTheRestContinues) {
  MaildirTree t;
  t.deliver("INBOX", "");
  const std::string pdf_path = t.deliver("INBOX", mailtest::pdf_bytes("suelto"));
  t.deliver("INBOX", certificate_mail(1, "Ana"));
  std::string broken = certificate_mail(2, "Luis");
  broken = broken.substr(0, broken.size() - 60);
  t.deliver("INBOX", broken);
  t.deliver("INBOX", "Basura sin cabeceras\n\ny sin sentido\n");
  FakeEmitter out;
  source_for(t)->harvest({}, out, {});
  EXPECT_EQ(out.keys(), (std::set<std::string>{"msgid:constancia.1@sicavisp.gob.mx",
                                               "msgid:constancia.2@sicavisp.gob.mx"}));
  ASSERT_EQ(out.quarantined.size(), 3u);
  for (const auto& q : out.quarantined) {
    EXPECT_EQ(q.key.rfind("sha256:", 0), 0u) << q.key;
    EXPECT_EQ(q.locator.rfind("maildir://", 0), 0u);
    EXPECT_EQ(q.reason.rfind("the message cannot be read: ", 0), 0u) << q.reason;
  }
  const auto* pdf_q = out.find_quarantine("sha256:" + mailtest::sha256_hex(mailtest::pdf_bytes("suelto")));
  ASSERT_NE(pdf_q, nullptr);
  EXPECT_EQ(pdf_q->locator, "maildir://" + pdf_path);
  EXPECT_NE(out.find_quarantine("sha256:" + mailtest::sha256_hex("")), nullptr);
  // A quarantined message is not retried on every pass, only once its
  // recheck time has come (then `quarantine retry` takes effect).
  out.clear_pass();
  auto src = source_for(t);
  src->harvest({}, out, {});
  EXPECT_EQ(out.quarantined.size(), 3u);
  src->harvest({}, out, {});
  EXPECT_EQ(out.quarantined.size(), 3u);
  MaildirSource eager(read_settings(t.config()), std::chrono::milliseconds(0));
  out.clear_pass();
  eager.harvest({}, out, {});
  eager.harvest({}, out, {});
  EXPECT_EQ(out.quarantined.size(), 6u);
  EXPECT_TRUE(out.emitted.empty()) << "the good messages stay settled";
}

TEST(MaildirSource, TooLargeMessagesAreQuarantinedUnread) {
  MaildirTree t;
  t.deliver("INBOX", certificate_mail(1, "Ana") + std::string(4096, 'x'));
  FakeEmitter out;
  source_for(t, [](sdk::SourceConfig& c) { c.options.set("max_message_size", std::int64_t{2048}); })
      ->harvest({}, out, {});
  EXPECT_TRUE(out.emitted.empty());
  ASSERT_EQ(out.quarantined.size(), 1u);
  EXPECT_EQ(out.quarantined[0].key, "msgid:constancia.1@sicavisp.gob.mx");
  EXPECT_NE(out.quarantined[0].reason.find("max_message_size"), std::string::npos);
}

TEST(MaildirSource, FoldersAndExcludeFoldersSelect) {
  MaildirTree t;
  t.deliver("INBOX", certificate_mail(1, "Ana"));
  t.deliver("Sent", dispatch_mail(1));
  t.deliver("Drafts", dispatch_mail(2));
  FakeEmitter out;
  auto only_sent = source_for(t, [](sdk::SourceConfig& c) {
    c.options.set("folders", std::vector<std::string>{"Sent", "Enviados"});
  });
  only_sent->harvest({}, out, {});
  EXPECT_EQ(out.keys(), (std::set<std::string>{"msgid:envio.1@inm.gob.mx"}));
  EXPECT_TRUE(out.logged("folder 'Enviados' (option 'folders') does not exist"));
  out.clear_pass();
  only_sent->harvest({}, out, {});
  EXPECT_FALSE(out.logged("does not exist")) << "said once";

  FakeEmitter all;
  source_for(t, [](sdk::SourceConfig& c) { c.options.set("exclude_folders", std::vector<std::string>{"Drafts"}); })
      ->harvest({}, all, {});
  EXPECT_EQ(all.keys(), (std::set<std::string>{"msgid:constancia.1@sicavisp.gob.mx", "msgid:envio.1@inm.gob.mx"}));
}

TEST(MaildirSource, PerAttachmentItemsAreKnownAcrossRestarts) {
  MaildirTree t;
  t.deliver("INBOX", mailtest::message(
                         {"From: a@s.mx", "Subject: grupo", "Date: Thu, 20 May 2021 11:00:00 -0500",
                          "Message-ID: <grupo@s.mx>"},
                         {mailtest::text_part("tres"), mailtest::pdf_part("; filename=\"Ana.pdf\"", "a"),
                          mailtest::pdf_part("; filename=\"Luis.pdf\"", "l")}));
  auto per = [](sdk::SourceConfig& c) { c.options.set("per_attachment", true); };
  FakeEmitter out;
  source_for(t, per)->harvest({}, out, {});
  EXPECT_EQ(out.keys(), (std::set<std::string>{"msgid:grupo@s.mx/1", "msgid:grupo@s.mx/2"}));
  out.clear_pass();
  source_for(t, per)->harvest({}, out, {});
  EXPECT_TRUE(out.emitted.empty());
}

// An emitter whose first known() call removes a message file, as a mail
// client expunging it between the listing and the read.
class VanishingEmitter : public FakeEmitter {
 public:
  std::string victim;
  std::optional<sdk::KnownItem> known(std::string_view key) override {
    if (!victim.empty()) {
      std::filesystem::remove(victim);
      victim.clear();
    }
    return FakeEmitter::known(key);
  }
};

TEST(MaildirSource, AMessageThatVanishesMidPassIsDeferredNotQuarantined) {
  MaildirTree t;
  t.deliver("INBOX", certificate_mail(1, "Ana"));
  const std::string second = t.deliver("INBOX", certificate_mail(2, "Luis"), ":2,S", 1621015300);
  VanishingEmitter out;
  out.victim = second;
  auto src = source_for(t);
  src->harvest({}, out, {});
  EXPECT_EQ(out.keys(), (std::set<std::string>{"msgid:constancia.1@sicavisp.gob.mx"}));
  EXPECT_TRUE(out.quarantined.empty());
  EXPECT_EQ(src->last_pass().deferred, 1u);
}

TEST(MaildirSource, AMessageWithoutADateUsesItsDeliveryDay) {
  MaildirTree t;
  t.deliver("INBOX", "From: a@b.mx\nSubject: sin fecha\nMessage-ID: <nodate@b.mx>\n\nx\n", ":2,S", 1621015200);
  FakeEmitter out;
  source_for(t)->harvest({}, out, {});
  const auto* e = out.find("msgid:nodate@b.mx");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->item.occurred_on_from, "received");
  EXPECT_EQ(e->item.occurred_on.substr(0, 8), "2021-05-") << e->item.occurred_on;
}

TEST(MaildirSource, ARootThatIsNotAMaildirFailsTheSourceWithWhatToDo) {
  mailtest::TempDir empty;
  MaildirTree t;
  for (const std::string& root : {std::string("/nonexistent/Maildir"), empty.path()}) {
    sdk::SourceConfig c = t.config();
    c.options.set("path", root);
    MaildirSource src(read_settings(c));
    FakeEmitter out;
    try {
      src.harvest({}, out, {});
      FAIL() << root;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("option 'path'"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("source 'buzon'"), std::string::npos) << e.what();
    }
    EXPECT_NE(src.probe(), "");
  }
  EXPECT_EQ(source_for(t)->probe(), "");
}

TEST(MaildirSource, AStoppedPassKeepsItsCursor) {
  MaildirTree t;
  t.deliver("INBOX", certificate_mail(1, "Ana"));
  std::stop_source stop;
  stop.request_stop();
  FakeEmitter out;
  const sdk::Cursor c = source_for(t)->harvest({"maildir-v1 complete=before"}, out, stop.get_token());
  EXPECT_EQ(c.value, "maildir-v1 complete=before");
  EXPECT_TRUE(out.emitted.empty());
}

}  // namespace
}  // namespace sseccoe::maildir
