// The watcher wakes on deliveries and stop requests. No timing assertions:
// generous timeouts only bound a failure.
#include <gtest/gtest.h>

#include <thread>

#include "maildir_fixture.hpp"
#include "maildir_tree.hpp"
#include "maildir_watcher.hpp"

namespace sseccoe::maildir {
namespace {

using mailtest::MaildirTree;
using std::chrono::milliseconds;

std::vector<MaildirFolder> folders_of(const MaildirTree& t) {
  std::error_code ec;
  return list_folders(t.root(), ec);
}

TEST(MaildirWatcher, WithoutInotifyItSleepsUntilTheTimeout) {
  MaildirWatcher w(false);
  EXPECT_FALSE(w.active());
  EXPECT_EQ(w.wait(milliseconds(20), {}), MaildirWatcher::Wake::Timeout);
}

TEST(MaildirWatcher, ADeliveryWakesIt) {
  MaildirTree t;
  t.folder("Sent");
  MaildirWatcher w(true);
  ASSERT_TRUE(w.active());
  w.watch(t.root(), folders_of(t));
  EXPECT_EQ(w.watch_count(), 5u) << "the root and new/, cur/ of two folders";
  std::jthread writer([&] {
    std::this_thread::sleep_for(milliseconds(50));
    t.deliver("Sent", "From: a@b\n\nx\n", "");
  });
  EXPECT_EQ(w.wait(milliseconds(30000), {}), MaildirWatcher::Wake::Changed);
}

TEST(MaildirWatcher, ANewFolderWakesIt) {
  MaildirTree t;
  MaildirWatcher w(true);
  w.watch(t.root(), folders_of(t));
  std::jthread writer([&] {
    std::this_thread::sleep_for(milliseconds(50));
    t.folder("Nueva");
  });
  EXPECT_EQ(w.wait(milliseconds(30000), {}), MaildirWatcher::Wake::Changed);
}

TEST(MaildirWatcher, AStopRequestEndsTheWait) {
  MaildirTree t;
  MaildirWatcher w(true);
  w.watch(t.root(), folders_of(t));
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    stop.request_stop();
  });
  EXPECT_EQ(w.wait(milliseconds(60000), stop.get_token()), MaildirWatcher::Wake::Stopped);
  std::stop_source already;
  already.request_stop();
  EXPECT_EQ(w.wait(milliseconds(60000), already.get_token()), MaildirWatcher::Wake::Stopped);
}

TEST(MaildirWatcher, FoldersThatGoAwayLoseTheirWatches) {
  MaildirTree t;
  t.folder("Sent");
  MaildirWatcher w(true);
  w.watch(t.root(), folders_of(t));
  EXPECT_EQ(w.watch_count(), 5u);
  auto only_inbox = folders_of(t);
  only_inbox.resize(1);
  w.watch(t.root(), only_inbox);
  EXPECT_EQ(w.watch_count(), 3u);
  EXPECT_TRUE(w.take_notes().empty());
}

}  // namespace
}  // namespace sseccoe::maildir
