#include <gtest/gtest.h>
#include <unistd.h>

#include "maildir_fixture.hpp"
#include "maildir_tree.hpp"

namespace sseccoe::maildir {
namespace {

using mailtest::MaildirTree;
using mailtest::TempDir;

TEST(UniqueOf, DropsTheInfoPart) {
  EXPECT_EQ(unique_of("1621015200.M1P2.host,S=10:2,RS"), "1621015200.M1P2.host,S=10");
  EXPECT_EQ(unique_of("1621015200.M1P2.host,S=10:2,"), "1621015200.M1P2.host,S=10");
  EXPECT_EQ(unique_of("1621015200.M1P2.host"), "1621015200.M1P2.host");
  EXPECT_EQ(unique_of("a:1,experimental"), "a");
}

TEST(FolderNamed, InboxInAnyCaseOthersExactly) {
  const MaildirFolder inbox{"INBOX", "/m"};
  const MaildirFolder sent{"Sent", "/m/.Sent"};
  EXPECT_TRUE(folder_named(inbox, "INBOX"));
  EXPECT_TRUE(folder_named(inbox, "inbox"));
  EXPECT_FALSE(folder_named(inbox, "INBOXES"));
  EXPECT_TRUE(folder_named(sent, "Sent"));
  EXPECT_TRUE(folder_named(sent, ".Sent"));
  EXPECT_FALSE(folder_named(sent, "sent"));
}

TEST(ListFolders, RootIsInboxThenMaildirPlusPlusFoldersByName) {
  MaildirTree t;
  t.folder("Sent");
  t.folder("Archivo.2021");
  t.folder("Env&AO0-os");
  std::filesystem::create_directories(t.root() + "/.NoMaildir/other");  // no cur/: not a folder
  mailtest::TempDir scratch;
  std::ofstream(t.root() + "/.Fake", std::ios::binary) << "a file";
  std::ofstream(t.root() + "/dovecot-uidlist", std::ios::binary) << "x";
  std::error_code ec;
  const auto folders = list_folders(t.root(), ec);
  ASSERT_FALSE(ec);
  std::vector<std::string> names;
  for (const auto& f : folders) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"INBOX", "Archivo.2021", "Envíos", "Sent"}));
  EXPECT_EQ(folders[0].path, t.root());
  EXPECT_EQ(folders[3].path, t.root() + "/.Sent");
}

TEST(ListFolders, MissingRootIsAnError) {
  std::error_code ec;
  EXPECT_TRUE(list_folders("/nonexistent/Maildir", ec).empty());
  EXPECT_EQ(ec.value(), ENOENT);
  TempDir empty;
  ec.clear();
  EXPECT_TRUE(list_folders(empty.path(), ec).empty()) << "not a Maildir: nothing, and no error";
  EXPECT_FALSE(ec);
}

TEST(ListMessages, NewAndCurInDeliveryOrderSkippingWhatIsNotAMessage) {
  MaildirTree t;
  const std::string b = t.deliver("INBOX", "b", ":2,S", 1621015300);
  const std::string a = t.deliver("INBOX", "a", "", 1621015200);
  const std::string c = t.deliver("INBOX", "cc", ":2,", 1621015400);
  std::ofstream(t.root() + "/cur/.hidden", std::ios::binary) << "x";
  std::ofstream(t.root() + "/tmp/1621015000.M0P1.test", std::ios::binary) << "being delivered";
  std::filesystem::create_directories(t.root() + "/cur/subdir");
  ASSERT_EQ(::symlink(a.c_str(), (t.root() + "/cur/1621015500.link:2,S").c_str()), 0);
  std::vector<std::string> problems;
  const auto files = list_messages({"INBOX", t.root()}, problems);
  EXPECT_TRUE(problems.empty());
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, a);
  EXPECT_EQ(files[1].path, b);
  EXPECT_EQ(files[2].path, c);
  EXPECT_EQ(files[2].size, 2u);
  EXPECT_EQ(files[2].mtime, 1621015400);
  EXPECT_EQ(files[1].unique, std::string(unique_of(b.substr(b.rfind('/') + 1))));
}

TEST(ListMessages, AMissingCurIsAProblemAMissingNewIsNot) {
  MaildirTree t;
  std::filesystem::remove_all(t.root() + "/new");
  std::vector<std::string> problems;
  list_messages({"INBOX", t.root()}, problems);
  EXPECT_TRUE(problems.empty());
  std::filesystem::remove_all(t.root() + "/cur");
  list_messages({"INBOX", t.root()}, problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("cannot list"), std::string::npos);
}

}  // namespace
}  // namespace sseccoe::maildir
