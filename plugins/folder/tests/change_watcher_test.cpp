#include "change_watcher.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <future>
#include <stop_token>
#include <thread>

#include "folder_source.hpp"
#include "test_support.hpp"

namespace sseccoe::folder {
namespace {

using namespace std::chrono_literals;
using testing::FakeEmitter;
using testing::TempTree;

// Bounds, not timings: a wait that should return at once gets this long
// before the test calls it hung.
constexpr auto kHung = 30s;
constexpr auto kForever = std::chrono::hours(1);

ChangeWatcher::Filter accept_all() {
  return [](std::string_view, std::string_view, std::string_view, bool) { return true; };
}

TEST(ChangeWatcher, StopEndsAWaitAtOnce) {
  ChangeWatcher w(true, accept_all());
  std::stop_source stop;
  auto waiting = std::async(std::launch::async, [&] { return w.wait(kForever, stop.get_token()); });
  stop.request_stop();
  ASSERT_EQ(waiting.wait_for(kHung), std::future_status::ready);
  EXPECT_EQ(waiting.get(), ChangeWatcher::Wake::Stopped);
}

TEST(ChangeWatcher, AnAlreadyRequestedStopReturnsWithoutWaiting) {
  ChangeWatcher w(false, accept_all());
  std::stop_source stop;
  stop.request_stop();
  EXPECT_EQ(w.wait(kForever, stop.get_token()), ChangeWatcher::Wake::Stopped);
  // A stale signal does not leak into the next wait with a fresh token.
  EXPECT_EQ(w.wait(0ms, std::stop_source().get_token()), ChangeWatcher::Wake::Timeout);
}

TEST(ChangeWatcher, WithoutInotifyItWaitsForTheTimeout) {
  ChangeWatcher w(false, accept_all());
  EXPECT_FALSE(w.inotify_active());
  EXPECT_EQ(w.wait(20ms, {}), ChangeWatcher::Wake::Timeout);
}

TEST(ChangeWatcher, AnEventInAWatchedDirectoryWakesIt) {
  TempTree t;
  ChangeWatcher w(true, accept_all());
  ASSERT_TRUE(w.inotify_active());
  w.begin_pass();
  w.watch(t.root(), "");
  w.end_pass(true);
  auto waiting = std::async(std::launch::async, [&] { return w.wait(kForever, {}); });
  t.write("new.pdf", "x");
  ASSERT_EQ(waiting.wait_for(kHung), std::future_status::ready);
  EXPECT_EQ(waiting.get(), ChangeWatcher::Wake::Changed);
}

TEST(ChangeWatcher, ABurstWakesItOnce) {
  TempTree t;
  ChangeWatcher w(true, accept_all());
  w.begin_pass();
  w.watch(t.root(), "");
  w.end_pass(true);
  for (int i = 0; i < 200; ++i) t.write("f" + std::to_string(i), "x");
  EXPECT_EQ(w.wait(kForever, {}), ChangeWatcher::Wake::Changed);
  EXPECT_EQ(w.wait(50ms, {}), ChangeWatcher::Wake::Timeout) << "the burst was consumed by the first wake";
}

TEST(ChangeWatcher, IrrelevantEventsDoNotWakeIt) {
  TempTree t;
  std::vector<std::string> asked;
  ChangeWatcher w(true, [&](std::string_view dir_key, std::string_view, std::string_view name, bool) {
    asked.emplace_back(std::string(dir_key) + "|" + std::string(name));
    return false;
  });
  t.mkdir("sub");
  w.begin_pass();
  w.watch(t.path("sub"), "sub");
  w.end_pass(true);
  t.write("sub/~$lock.docx", "x");
  EXPECT_EQ(w.wait(100ms, {}), ChangeWatcher::Wake::Timeout);
  ASSERT_FALSE(asked.empty());
  EXPECT_EQ(asked.front(), "sub|~$lock.docx");
}

TEST(ChangeWatcher, WatchesOfDirectoriesNoLongerWalkedAreDropped) {
  TempTree t;
  t.mkdir("a");
  t.mkdir("b");
  ChangeWatcher w(true, accept_all());
  w.begin_pass();
  w.watch(t.root(), "");
  w.watch(t.path("a"), "a");
  w.watch(t.path("b"), "b");
  w.end_pass(true);
  EXPECT_EQ(w.watch_count(), 3u);
  w.begin_pass();
  w.watch(t.root(), "");
  w.watch(t.path("a"), "a");
  w.end_pass(false);  // an incomplete pass proves nothing
  EXPECT_EQ(w.watch_count(), 3u);
  w.begin_pass();
  w.watch(t.root(), "");
  w.watch(t.path("a"), "a");
  w.end_pass(true);
  EXPECT_EQ(w.watch_count(), 2u);
}

int add_watch_enospc(int, const char*, std::uint32_t) {
  errno = ENOSPC;
  return -1;
}

TEST(ChangeWatcher, TheWatchLimitIsNotedOnceAndWaitingStillWorks) {
  TempTree t;
  ChangeWatcher w(true, accept_all(), &add_watch_enospc);
  w.begin_pass();
  w.watch(t.root(), "");
  w.watch(t.root(), "");
  w.end_pass(true);
  const auto notes = w.take_notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("max_user_watches"), std::string::npos);
  EXPECT_TRUE(w.take_notes().empty());
  w.begin_pass();
  w.watch(t.root(), "");
  w.end_pass(true);
  EXPECT_TRUE(w.take_notes().empty()) << "still the same shortage: said once";
  EXPECT_EQ(w.wait(10ms, {}), ChangeWatcher::Wake::Timeout);
}

// ---- through the source ---------------------------------------------------------------

struct WatchedSource {
  TempTree tree;
  FolderSettings settings = [this] {
    FolderSettings s = testing::settings_for(tree.root());
    s.watch = true;
    return s;
  }();
  FakeEmitter out;
};

TEST(FolderSourceWatch, ANewFileWakesWaitForChange) {
  WatchedSource w;
  w.tree.write("sub/old.pdf", "x");
  FolderSource source(w.settings, Env::posix());
  source.harvest({}, w.out, {});
  auto waiting = std::async(std::launch::async, [&] { source.wait_for_change(kForever, {}); });
  w.tree.write("sub/new.pdf", "y");
  ASSERT_EQ(waiting.wait_for(kHung), std::future_status::ready);
  EXPECT_EQ(source.last_wake(), ChangeWatcher::Wake::Changed);
}

TEST(FolderSourceWatch, StopEndsWaitForChangeAtOnce) {
  WatchedSource w;
  FolderSource source(w.settings, Env::posix());
  source.harvest({}, w.out, {});
  std::stop_source stop;
  auto waiting = std::async(std::launch::async, [&] { source.wait_for_change(kForever, stop.get_token()); });
  stop.request_stop();
  ASSERT_EQ(waiting.wait_for(kHung), std::future_status::ready);
  EXPECT_EQ(source.last_wake(), ChangeWatcher::Wake::Stopped);
}

TEST(FolderSourceWatch, ExcludedFilesDoNotWakeIt) {
  WatchedSource w;
  w.tree.mkdir("docs");
  FolderSource source(w.settings, Env::posix());
  source.harvest({}, w.out, {});
  w.tree.write("docs/~$Informe.docx", "lock");
  w.tree.write("docs/x.tmp", "tmp");
  w.tree.write("docs/.hidden", "h");
  w.tree.write("docs/.hidden-dir/x.pdf", "h");
  source.wait_for_change(300ms, {});
  EXPECT_EQ(source.last_wake(), ChangeWatcher::Wake::Timeout) << "only excluded entries changed";
  w.tree.write("docs/Informe.docx", "real");
  source.wait_for_change(kForever, {});
  EXPECT_EQ(source.last_wake(), ChangeWatcher::Wake::Changed);
}

TEST(FolderSourceWatch, ItsOwnReadsDoNotWakeIt) {
  // Otherwise every pass would trigger the next: a busy loop.
  WatchedSource w;
  for (int i = 0; i < 20; ++i) w.tree.write("d" + std::to_string(i % 3) + "/f" + std::to_string(i) + ".pdf", "x");
  FolderSource source(w.settings, Env::posix());
  source.harvest({}, w.out, {});
  ASSERT_EQ(w.out.emitted.size(), 20u);
  source.wait_for_change(300ms, {});
  EXPECT_EQ(source.last_wake(), ChangeWatcher::Wake::Timeout);
}

TEST(FolderSourceWatch, ASettlingFileShortensTheWait) {
  WatchedSource w;
  w.settings.settle = 100ms;
  w.settings.watch = false;  // only the settle deadline can end this wait
  w.tree.write("fresh.pdf", "x", 0s);
  FolderSource source(w.settings, Env::posix());
  source.harvest({}, w.out, {});
  EXPECT_TRUE(w.out.emitted.empty());
  ASSERT_TRUE(source.next_due().has_value());
  auto waiting = std::async(std::launch::async, [&] { source.wait_for_change(kForever, {}); });
  ASSERT_EQ(waiting.wait_for(kHung), std::future_status::ready);
  w.out.clear_pass();
  source.harvest({}, w.out, {});
  EXPECT_EQ(w.out.emitted.size(), 1u);
}

TEST(FolderSourceWatch, TheWatchLimitIsLoggedDuringHarvest) {
  WatchedSource w;
  w.tree.write("a/b.pdf", "x");
  FolderSource source(w.settings, Env::posix(), &add_watch_enospc);
  source.harvest({}, w.out, {});
  EXPECT_TRUE(w.out.logged("max_user_watches"));
  EXPECT_EQ(w.out.emitted.size(), 1u) << "harvesting goes on without watches";
}

TEST(FolderSourceWatch, NewDirectoriesAreWatchedAfterTheNextPass) {
  WatchedSource w;
  FolderSource source(w.settings, Env::posix());
  source.harvest({}, w.out, {});
  EXPECT_EQ(source.watcher().watch_count(), 1u);
  w.tree.write("nueva/carpeta/x.pdf", "x");
  source.harvest({}, w.out, {});
  EXPECT_EQ(source.watcher().watch_count(), 3u);
  auto waiting = std::async(std::launch::async, [&] { source.wait_for_change(kForever, {}); });
  w.tree.write("nueva/carpeta/y.pdf", "y");
  ASSERT_EQ(waiting.wait_for(kHung), std::future_status::ready);
}

}  // namespace
}  // namespace sseccoe::folder
