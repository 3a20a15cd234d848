#include "folder_source.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <stop_token>
#include <string>

#include "natural_key.hpp"
#include "test_support.hpp"

namespace sseccoe::folder {
namespace {

using namespace std::chrono_literals;
using testing::FakeEmitter;
using testing::FaultEnv;
using testing::TempTree;

const std::string kJoseNfc = "Constancia Jos\xC3\xA9.pdf";
const std::string kEticaNfd = "Cartel E\xCC\x81tica.png";  // E + combining acute on disk
const std::string kEticaNfc = "Cartel \xC3\x89tica.png";

struct Harness {
  TempTree tree;
  std::shared_ptr<FaultEnv> env = std::make_shared<FaultEnv>();
  FolderSettings settings = testing::settings_for(tree.root());
  FakeEmitter out;
  std::unique_ptr<FolderSource> source;

  FolderSource& make() {
    source = std::make_unique<FolderSource>(settings, env);
    return *source;
  }
  sdk::Cursor pass(const sdk::Cursor& from = {}, std::stop_token stop = {}) {
    if (!source) make();
    out.clear_pass();
    return source->harvest(from, out, stop);
  }
  int opens(const std::string& rel) { return env->opens[tree.path(rel)]; }
};

TEST(FolderSource, HarvestsANestedTreeWithNfcKeys) {
  Harness h;
  h.tree.write("constancias/2021/" + kJoseNfc, "PDF-1");
  h.tree.write("difusion/" + kEticaNfd, "PNG");
  h.tree.write("raiz.txt", "root file");
  const sdk::Cursor cursor = h.pass();

  EXPECT_EQ(h.out.emitted_keys(),
            (std::set<std::string>{"constancias/2021/" + kJoseNfc, "difusion/" + kEticaNfc, "raiz.txt"}));
  for (const auto& e : h.out.emitted) EXPECT_EQ(e.outcome, sdk::EmitOutcome::New) << e.item.natural_key;
  EXPECT_EQ(h.out.find("difusion/" + kEticaNfc)->bytes, 3u);
  EXPECT_EQ(cursor.value.rfind("folder-v1 complete=", 0), 0u) << cursor.value;
  EXPECT_TRUE(h.out.quarantined.empty());
}

TEST(FolderSource, NfcAndNfdSpellingsOfOneNameGiveOneKey) {
  Harness a, b;
  a.tree.write(kEticaNfd, "x");
  b.tree.write(kEticaNfc, "x");
  a.pass();
  b.pass();
  EXPECT_EQ(a.out.emitted_keys(), b.out.emitted_keys());
}

TEST(FolderSource, ItemsCarryMetadataLocatorAndDate) {
  Harness h;
  h.tree.write("Actas 2021/INFORME Final.PDF", "0123456789");
  h.pass();
  const auto* e = h.out.find("Actas 2021/INFORME Final.PDF");
  ASSERT_NE(e, nullptr);
  const auto& m = e->item.metadata;
  EXPECT_EQ(m.at("path"), "Actas 2021/INFORME Final.PDF");
  EXPECT_EQ(m.at("name"), "INFORME Final.PDF");
  EXPECT_EQ(m.at("stem"), "INFORME Final");
  EXPECT_EQ(m.at("ext"), "pdf");
  EXPECT_EQ(m.at("dir"), "Actas 2021");
  EXPECT_EQ(m.at("size"), "10");
  EXPECT_EQ(m.at("mtime").size(), 20u);
  EXPECT_EQ(m.at("mtime").back(), 'Z');
  EXPECT_EQ(m.size(), 7u);
  EXPECT_EQ(e->item.occurred_on.size(), 10u);
  EXPECT_EQ(e->item.occurred_on_from, "mtime");
  EXPECT_EQ(e->item.locator, "file://" + h.tree.root() + "/Actas%202021/INFORME%20Final.PDF");
  ASSERT_EQ(e->item.contents.size(), 1u);
  EXPECT_EQ(e->item.contents[0].name, "INFORME Final.PDF");
  EXPECT_EQ(e->item.contents[0].size_hint, 10u);
  EXPECT_NE(e->item.version.find("10:"), std::string::npos);
}

TEST(FolderSource, PercentInANameIsEscapedInTheKeyButNotForPeople) {
  Harness h;
  h.tree.write("Avance 50%.pdf", "x");
  h.pass();
  const auto* e = h.out.find("Avance 50%25.pdf");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->item.metadata.at("name"), "Avance 50%.pdf");
  EXPECT_EQ(e->item.metadata.at("stem"), "Avance 50%");
}

TEST(FolderSource, IncludeAndExcludeGlobs) {
  Harness h;
  h.settings.include = {"**/*.pdf", "**/*.png"};
  h.tree.write("a.pdf", "1");
  h.tree.write("sub/B.PDF", "2");  // case-insensitive by default
  h.tree.write("notes.txt", "3");
  h.tree.write(".hidden.pdf", "4");
  h.tree.write("sub/~$lock.pdf", "5");
  h.tree.write("sub/x.tmp", "6");
  h.tree.write(".git/objects/y.pdf", "7");
  h.tree.write("fotos/Thumbs.db", "8");
  h.tree.write("fotos/cartel.png", "9");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"a.pdf", "sub/B.PDF", "fotos/cartel.png"}));
  EXPECT_EQ(h.opens("notes.txt"), 0);
}

TEST(FolderSource, CaseSensitiveGlobsWhenAsked) {
  Harness h;
  h.settings.include = {"**/*.pdf"};
  h.settings.case_insensitive_globs = false;
  h.tree.write("a.pdf", "1");
  h.tree.write("B.PDF", "2");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"a.pdf"}));
}

TEST(FolderSource, UnchangedFilesAreSkippedWithoutOpening) {
  Harness h;
  h.tree.write("a.pdf", "1");
  h.tree.write("d/b.pdf", "2");
  h.pass();
  ASSERT_EQ(h.out.emitted.size(), 2u);
  EXPECT_EQ(h.opens("a.pdf"), 1);
  h.pass();
  EXPECT_TRUE(h.out.emitted.empty());
  EXPECT_EQ(h.opens("a.pdf"), 1);
  EXPECT_EQ(h.opens("d/b.pdf"), 1);
  EXPECT_EQ(h.source->last_pass().unchanged, 2u);
}

TEST(FolderSource, ChangesBySizeOrMtimeAreConfirmedByDigest) {
  Harness h;
  h.tree.write("a.pdf", "version 1");
  h.tree.write("b.pdf", "same");
  h.pass();
  h.tree.write("a.pdf", "version 22");           // size changed
  h.tree.set_age("b.pdf", std::chrono::hours(2));  // only mtime changed
  h.pass();
  ASSERT_NE(h.out.find("a.pdf"), nullptr);
  EXPECT_EQ(h.out.find("a.pdf")->outcome, sdk::EmitOutcome::Changed);
  ASSERT_NE(h.out.find("b.pdf"), nullptr);
  EXPECT_EQ(h.out.find("b.pdf")->outcome, sdk::EmitOutcome::Unchanged);  // digest says nothing changed
}

TEST(FolderSource, AFileReplacedWithTheSameSizeAndMtimeIsNoticed) {
  Harness h;
  h.tree.write("a.pdf", "AAAA");
  h.pass();
  FileStat before;
  ASSERT_FALSE(h.env->lstat(h.tree.path("a.pdf"), before));
  h.tree.write("tmp", "BBBB");
  const timespec t{static_cast<time_t>(before.mtime_ns / 1'000'000'000), static_cast<long>(before.mtime_ns % 1'000'000'000)};
  const timespec times[2] = {t, t};
  ASSERT_EQ(::utimensat(AT_FDCWD, h.tree.path("tmp").c_str(), times, 0), 0);
  ASSERT_EQ(::rename(h.tree.path("tmp").c_str(), h.tree.path("a.pdf").c_str()), 0);  // like cp -p + mv
  h.pass();
  ASSERT_NE(h.out.find("a.pdf"), nullptr);
  EXPECT_EQ(h.out.find("a.pdf")->outcome, sdk::EmitOutcome::Changed);
}

TEST(FolderSource, LinkLoopsAreQuarantinedAndTheWalkEnds) {
  Harness h;
  h.tree.write("a/file.pdf", "x");
  h.tree.symlink("..", "a/up");         // to an ancestor (the root)
  h.tree.symlink(".", "a/self");        // to itself
  h.tree.symlink("l2", "a/l1");         // a link that resolves through itself
  h.tree.symlink("l1", "a/l2");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"a/file.pdf"}));
  ASSERT_NE(h.out.find_quarantine("a/up"), nullptr);
  EXPECT_NE(h.out.find_quarantine("a/up")->reason.find("loop"), std::string::npos);
  ASSERT_NE(h.out.find_quarantine("a/self"), nullptr);
  ASSERT_NE(h.out.find_quarantine("a/l1"), nullptr);
  EXPECT_NE(h.out.find_quarantine("a/l1")->reason.find("loop"), std::string::npos);
}

TEST(FolderSource, LinksOutOfTheRootAreQuarantinedNotFollowed) {
  Harness h;
  TempTree outside;
  outside.write("private/secret.pdf", "do not harvest");
  h.tree.write("ok.pdf", "x");
  h.tree.symlink(outside.path("private"), "to-dir");
  h.tree.symlink(outside.path("private/secret.pdf"), "to-file.pdf");
  h.tree.symlink("../../../../../../../../../../etc", "relative-escape");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"ok.pdf"}));
  const auto* d = h.out.find_quarantine("to-dir");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->reason.find("a directory outside the source root"), std::string::npos) << d->reason;
  EXPECT_EQ(d->reason.find(outside.root()), std::string::npos) << "the reason must not reveal the target";
  const auto* f = h.out.find_quarantine("to-file.pdf");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->reason.find("a regular file outside"), std::string::npos);
  EXPECT_EQ(f->locator, "file://" + h.tree.root() + "/to-file.pdf");
  EXPECT_NE(h.out.find_quarantine("relative-escape"), nullptr);
  EXPECT_EQ(h.env->opens[outside.path("private/secret.pdf")], 0);
}

TEST(FolderSource, SymlinksInsideTheRootAreFollowed) {
  Harness h;
  h.tree.write("real/x.pdf", "X");
  h.tree.symlink("real", "alias");
  h.tree.symlink("real/x.pdf", "link.pdf");
  h.tree.symlink(h.tree.path("real/x.pdf"), "absolute.pdf");  // absolute, still inside
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(),
            (std::set<std::string>{"real/x.pdf", "alias/x.pdf", "link.pdf", "absolute.pdf"}));
  EXPECT_EQ(h.out.find("link.pdf")->bytes, 1u);
  EXPECT_EQ(h.out.find("link.pdf")->item.locator, "file://" + h.tree.root() + "/link.pdf");
  EXPECT_TRUE(h.out.quarantined.empty());
}

TEST(FolderSource, SymlinksAreIgnoredWhenNotFollowed) {
  Harness h;
  h.settings.follow_symlinks = false;
  h.tree.write("real/x.pdf", "X");
  h.tree.symlink("real", "alias");
  h.tree.symlink("/etc", "out");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"real/x.pdf"}));
  EXPECT_TRUE(h.out.quarantined.empty());
}

TEST(FolderSource, DanglingLinksAreSkippedQuietly) {
  Harness h;
  h.tree.symlink("nowhere.pdf", "dangling.pdf");
  h.tree.write("ok.pdf", "x");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"ok.pdf"}));
  EXPECT_TRUE(h.out.quarantined.empty());
}

TEST(FolderSource, Latin1NamesAreKeptEscapedAndStable) {
  Harness h;
  const std::string raw = "caf\xE9 a\xF1o.txt";
  h.tree.write("viejo/" + raw, "contenido");
  h.pass();
  const std::string key = "viejo/caf%E9 a%F1o.txt";
  const auto* e = h.out.find(key);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->bytes, 9u);
  EXPECT_EQ(e->item.metadata.at("name"), "caf\xEF\xBF\xBD a\xEF\xBF\xBDo.txt");
  EXPECT_EQ(e->item.locator, "file://" + h.tree.root() + "/viejo/caf%E9%20a%F1o.txt");
  EXPECT_EQ(*decode_key(key), "viejo/" + raw);
  h.pass();
  EXPECT_TRUE(h.out.emitted.empty()) << "the same name must give the same key on every pass";
}

TEST(FolderSource, NamesEqualAfterNormalisationAreNotMerged) {
  Harness h;
  h.tree.write("E\xCC\x81tica.txt", "nfd");
  h.tree.write("\xC3\x89tica.txt", "nfc");
  h.pass();
  EXPECT_EQ(h.out.emitted.size(), 1u);
  ASSERT_EQ(h.out.quarantined.size(), 1u);
  EXPECT_EQ(h.out.quarantined[0].key, "\xC3\x89tica.txt");
  EXPECT_NE(h.out.quarantined[0].reason.find("NFC"), std::string::npos);
}

TEST(FolderSource, AnUnreadableDirectoryIsQuarantinedAndTheWalkGoesOn) {
  Harness h;
  h.tree.write("open/a.pdf", "a");
  h.tree.write("locked/b.pdf", "b");
  h.tree.write("z.pdf", "z");
  h.pass();
  ASSERT_EQ(h.out.emitted.size(), 3u);
  h.env->list_errors[h.tree.path("locked")] = testing::errc(EACCES);  // root ignores chmod: hence the seam
  h.tree.write("open/c.pdf", "c");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"open/c.pdf"}));
  const auto* q = h.out.find_quarantine("locked");
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q->reason.find("Permission denied"), std::string::npos);
  EXPECT_TRUE(h.out.gone_keys.empty()) << "files behind an unreadable directory are not gone";
}

TEST(FolderSource, AnEntryThatCannotBeExaminedIsQuarantined) {
  Harness h;
  h.tree.write("a.pdf", "a");
  h.tree.write("b.pdf", "b");
  h.env->lstat_errors[h.tree.path("a.pdf")] = testing::errc(EIO);
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"b.pdf"}));
  ASSERT_NE(h.out.find_quarantine("a.pdf"), nullptr);
  EXPECT_NE(h.out.find_quarantine("a.pdf")->reason.find("Input/output error"), std::string::npos);
}

TEST(FolderSource, AFileVanishingBetweenListingAndStatIsSkipped) {
  Harness h;
  h.tree.write("a.pdf", "a");
  h.tree.write("b.pdf", "b");
  h.env->after_list = [&](const std::string& dir) {
    if (dir == h.tree.root()) h.tree.remove("b.pdf");
  };
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"a.pdf"}));
  EXPECT_TRUE(h.out.quarantined.empty());
}

TEST(FolderSource, AFileVanishingBeforeItIsOpenedIsDeferred) {
  Harness h;
  h.tree.write("a.pdf", "a");
  h.env->before_open = [&](const std::string& path) { ::unlink(path.c_str()); };
  h.pass();
  ASSERT_EQ(h.out.emitted.size(), 1u);
  EXPECT_EQ(h.out.emitted[0].outcome, sdk::EmitOutcome::Deferred);
  EXPECT_TRUE(h.out.quarantined.empty());
  EXPECT_EQ(h.source->last_pass().deferred, 1u);
  EXPECT_TRUE(h.source->next_due().has_value());
}

TEST(FolderSource, AFileGrowingWhileReadIsDeferredThenTaken) {
  Harness h;
  h.tree.write("log.txt", std::string(300 * 1024, 'x'));  // more than one buffer
  h.env->grow_on_read[h.tree.path("log.txt")] = "more";
  h.pass();
  ASSERT_EQ(h.out.emitted.size(), 1u);
  EXPECT_EQ(h.out.emitted[0].outcome, sdk::EmitOutcome::Deferred);
  EXPECT_NE(h.out.emitted[0].reason.find("grew"), std::string::npos);
  EXPECT_TRUE(h.source->next_due().has_value());
  h.env->grow_on_read.clear();
  h.tree.set_age("log.txt", std::chrono::hours(1));  // it has settled
  h.pass();
  ASSERT_EQ(h.out.emitted.size(), 1u);
  EXPECT_EQ(h.out.emitted[0].outcome, sdk::EmitOutcome::New);
  EXPECT_EQ(h.out.emitted[0].bytes, 300u * 1024 + 4);
}

TEST(FolderSource, ReadErrorsAreQuarantinedByTheCore) {
  Harness h;
  h.tree.write("bad.pdf", "x");
  h.env->read_errors[h.tree.path("bad.pdf")] = testing::errc(EIO);
  h.pass();
  ASSERT_EQ(h.out.emitted.size(), 1u);
  EXPECT_EQ(h.out.emitted[0].outcome, sdk::EmitOutcome::Quarantined);
  EXPECT_NE(h.out.emitted[0].reason.find("Input/output error"), std::string::npos);
}

TEST(FolderSource, AFileModifiedWithinSettleWaitsThenIsTaken) {
  Harness h;
  h.settings.settle = 5s;
  h.tree.write("fresh.pdf", "still copying", 0s);
  h.env->fixed_now = std::chrono::system_clock::now();
  h.pass();
  EXPECT_TRUE(h.out.emitted.empty());
  EXPECT_EQ(h.source->last_pass().settling, 1u);
  ASSERT_TRUE(h.source->next_due().has_value());
  EXPECT_LE(*h.source->next_due() - std::chrono::steady_clock::now(), 5s + 100ms);
  EXPECT_EQ(h.opens("fresh.pdf"), 0);

  *h.env->fixed_now += 6s;
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"fresh.pdf"}));
  EXPECT_FALSE(h.source->next_due().has_value());
}

TEST(FolderSource, AFileStampedInTheFutureSettlesByObservation) {
  Harness h;
  h.settings.settle = 5s;
  h.tree.write("skew.pdf", "x", -3600s);  // the share's clock runs an hour ahead
  h.env->fixed_now = std::chrono::system_clock::now();
  h.pass();
  EXPECT_TRUE(h.out.emitted.empty());
  *h.env->fixed_now += 6s;  // unchanged for longer than settle: take it
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"skew.pdf"}));
}

TEST(FolderSource, SettleZeroTakesFilesAtOnce) {
  Harness h;
  h.settings.settle = 0ms;
  h.tree.write("fresh.pdf", "x", 0s);
  h.pass();
  EXPECT_EQ(h.out.emitted.size(), 1u);
}

TEST(FolderSource, FilesAboveMaxFileSizeAreQuarantinedWithTheirSize) {
  Harness h;
  h.settings.max_file_size = 10;
  h.tree.write("small.pdf", "0123456789");
  h.tree.write("big.pdf", "0123456789A");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"small.pdf"}));
  const auto* q = h.out.find_quarantine("big.pdf");
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q->reason.find("11 bytes"), std::string::npos) << q->reason;
  EXPECT_NE(q->reason.find("max_file_size"), std::string::npos);
  EXPECT_EQ(h.opens("big.pdf"), 0);
}

TEST(FolderSource, AMissingRootIsAClearErrorForTheWholeSource) {
  Harness h;
  h.settings.root = h.tree.path("not-mounted");
  h.settings.instance = "constancias";
  const std::string expected = "source 'constancias': root " + h.settings.root +
                               " does not exist or is not a directory: check that the share is mounted";
  try {
    h.pass();
    FAIL() << "harvest must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), expected);
  }
  EXPECT_EQ(h.source->probe(), expected);
}

TEST(FolderSource, ARootThatIsAFileIsTheSameError) {
  Harness h;
  h.tree.write("file", "x");
  h.settings.root = h.tree.path("file");
  EXPECT_THROW(h.pass(), std::runtime_error);
  EXPECT_NE(h.source->probe().find("is not a directory"), std::string::npos);
}

TEST(FolderSource, AnUnreadableRootSaysWhatToDo) {
  Harness h;
  h.env->list_errors[h.tree.root()] = testing::errc(EACCES);
  try {
    h.pass();
    FAIL() << "harvest must throw";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("read access"), std::string::npos);
  }
  EXPECT_NE(h.source->probe().find("read access"), std::string::npos);
  h.env->list_errors.clear();
  EXPECT_EQ(h.source->probe(), "");
}

TEST(FolderSource, AStopMidWalkReturnsBetweenFilesWithTheOldCursor) {
  Harness h;
  for (int i = 0; i < 10; ++i) h.tree.write("f" + std::to_string(i) + ".pdf", "x");
  h.pass();  // everything known
  for (int i = 0; i < 10; ++i) h.tree.write("f" + std::to_string(i) + ".pdf", "changed");
  std::stop_source stop;
  int n = 0;
  h.out.after_emit = [&](const sdk::Item&) {
    if (++n == 3) stop.request_stop();
  };
  h.tree.remove("f9.pdf");
  const sdk::Cursor old{"folder-v1 complete=2021-05-14T10:00:00Z"};
  const sdk::Cursor c = h.pass(old, stop.get_token());
  EXPECT_EQ(h.out.emitted.size(), 3u);
  EXPECT_EQ(c.value, old.value);
  EXPECT_TRUE(h.out.gone_keys.empty()) << "an incomplete walk proves nothing gone";
}

TEST(FolderSource, ManyFilesWalkFine) {
  Harness h;
  constexpr int kDirs = 100, kPerDir = 200;
  for (int d = 0; d < kDirs; ++d)
    for (int f = 0; f < kPerDir; ++f)
      h.tree.write("d" + std::to_string(d) + "/f" + std::to_string(f) + ".txt", std::to_string(d * kPerDir + f));
  h.out.hash_contents = true;
  h.pass();
  EXPECT_EQ(h.out.emitted.size(), static_cast<std::size_t>(kDirs * kPerDir));
  std::size_t opens = 0;
  for (const auto& [p, n] : h.env->opens) opens += static_cast<std::size_t>(n);
  h.pass();
  EXPECT_TRUE(h.out.emitted.empty());
  std::size_t opens_after = 0;
  for (const auto& [p, n] : h.env->opens) opens_after += static_cast<std::size_t>(n);
  EXPECT_EQ(opens_after, opens) << "a pass over unchanged files opens nothing";
  EXPECT_EQ(h.source->last_pass().unchanged, static_cast<std::size_t>(kDirs * kPerDir));
}

TEST(FolderSource, DirectoriesBeyondMaxDepthAreQuarantined) {
  Harness h;
  h.settings.max_depth = 3;
  h.tree.write("top.pdf", "0");
  h.tree.write("d1/a.pdf", "1");
  h.tree.write("d1/d2/d3/b.pdf", "3");
  h.tree.write("d1/d2/d3/d4/d5/c.pdf", "5");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"top.pdf", "d1/a.pdf", "d1/d2/d3/b.pdf"}));
  const auto* q = h.out.find_quarantine("d1/d2/d3/d4");
  ASSERT_NE(q, nullptr);
  EXPECT_NE(q->reason.find("max_depth = 3"), std::string::npos);

  h.out.store["d1/d2/d3/d4/d5/old.pdf"] = {"1:1:1", "x"};  // harvested before max_depth was lowered
  h.pass();
  EXPECT_TRUE(h.out.gone_keys.empty());
}

TEST(FolderSource, MaxDepthZeroTakesOnlyTheRootsFiles) {
  Harness h;
  h.settings.max_depth = 0;
  h.tree.write("top.pdf", "0");
  h.tree.write("d1/a.pdf", "1");
  h.pass();
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"top.pdf"}));
  EXPECT_NE(h.out.find_quarantine("d1"), nullptr);
}

TEST(FolderSource, FifosSocketsAndDevicesAreSkippedUnopened) {
  Harness h;
  h.tree.write("ok.pdf", "x");
  ASSERT_EQ(::mkfifo(h.tree.path("pipe.pdf").c_str(), 0644), 0);
  const int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string sock_path = h.tree.path("sock.pdf");
  ASSERT_LT(sock_path.size(), sizeof addr.sun_path);
  std::copy(sock_path.begin(), sock_path.end(), addr.sun_path);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const bool have_device = ::mknod(h.tree.path("null.pdf").c_str(), S_IFCHR | 0644, makedev(1, 3)) == 0;
  h.tree.symlink("pipe.pdf", "link-to-pipe.pdf");

  h.pass();  // opening the FIFO would block forever
  ::close(s);
  EXPECT_EQ(h.out.emitted_keys(), (std::set<std::string>{"ok.pdf"}));
  EXPECT_EQ(h.opens("pipe.pdf"), 0);
  EXPECT_EQ(h.opens("sock.pdf"), 0);
  EXPECT_EQ(h.opens("null.pdf"), 0);
  EXPECT_TRUE(h.out.quarantined.empty());
  EXPECT_EQ(h.source->last_pass().skipped, have_device ? 4u : 3u);
}

TEST(FolderSource, RemovedFilesAreReportedGoneAfterACompleteWalk) {
  Harness h;
  h.tree.write("a.pdf", "a");
  h.tree.write("sub/b.pdf", "b");
  h.tree.write("sub/c.pdf", "c");
  h.pass();
  h.tree.remove("sub/b.pdf");
  h.pass();
  EXPECT_EQ(h.out.gone_keys, (std::vector<std::string>{"sub/b.pdf"}));
  h.pass();
  EXPECT_TRUE(h.out.gone_keys.empty()) << "reported once";
  h.tree.remove("sub");
  h.pass();
  EXPECT_EQ(h.out.gone_keys, (std::vector<std::string>{"sub/c.pdf"}));
}

TEST(FolderSource, NothingIsGoneWhenTheRootLooksUnmounted) {
  Harness h;
  h.tree.write("a.pdf", "a");
  h.pass();
  h.tree.remove("a.pdf");  // an empty mount point looks like this
  h.pass();
  EXPECT_TRUE(h.out.gone_keys.empty());
  EXPECT_TRUE(h.out.logged("is the share mounted"));
}

TEST(FolderSource, WithoutAKeyListingNothingIsReportedGone) {
  Harness h;
  h.tree.write("a.pdf", "a");
  h.tree.write("b.pdf", "b");
  h.pass();
  h.tree.remove("b.pdf");
  testing::PlainEmitter plain(h.out);
  h.out.clear_pass();
  h.source->harvest({}, plain, {});
  EXPECT_TRUE(h.out.gone_keys.empty());
  EXPECT_TRUE(h.out.logged("cannot list known items"));
}

TEST(FolderSource, MalformedGlobsAreRefusedAtCreation) {
  Harness h;
  h.settings.exclude = {"**/[oops"};
  try {
    h.make();
    FAIL() << "a malformed glob must be refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("option 'exclude'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("[oops"), std::string::npos);
  }
}

}  // namespace
}  // namespace sseccoe::folder
