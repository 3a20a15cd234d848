#include <gtest/gtest.h>

#include "folder_resolver.hpp"
#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::imap {
namespace {

Mailbox box(const std::string& wire, std::vector<std::string> attributes = {}, char delimiter = '.') {
  Mailbox m;
  m.wire = wire;
  m.name = wire;
  m.attributes = std::move(attributes);
  m.delimiter = delimiter;
  return m;
}

FolderResolution resolve(const std::vector<std::string>& configured, const std::vector<Mailbox>& listed) {
  return resolve_folders(configured, listed, [](std::string_view w) { return sdk::mail::decode_mailbox_name(w); });
}

const std::vector<Mailbox> kServer = {
    box("INBOX"), box("Env&AO0-os", {"\\HasNoChildren", "\\Sent"}), box("Borradores", {"\\Drafts"}),
    box("INBOX.Avisos"), box("Archivo", {"\\Noselect"}), box("Papelera", {"\\Trash"})};

TEST(FolderResolver, NamesAttributesAndWellKnownNames) {
  const auto r = resolve({"INBOX", "\\Sent", "Drafts", "Avisos"}, kServer);
  EXPECT_TRUE(r.problems.empty()) << r.problems.front();
  ASSERT_EQ(r.folders.size(), 4u);
  EXPECT_EQ(r.folders[0].mailbox.wire, "INBOX");
  EXPECT_EQ(r.folders[1].mailbox.wire, "Env&AO0-os");
  EXPECT_EQ(r.folders[1].mailbox.name, "Envíos");
  EXPECT_EQ(r.folders[1].special_use, "\\Sent");
  EXPECT_EQ(r.folders[2].mailbox.wire, "Borradores");
  EXPECT_EQ(r.folders[3].mailbox.wire, "INBOX.Avisos");
}

TEST(FolderResolver, SentFindsTheServersSentFolderWhateverItsName) {
  for (const char* name : {"Sent", "sent", "Enviados", "Sent Items", "Elementos enviados"}) {
    const auto r = resolve({name}, kServer);
    ASSERT_EQ(r.folders.size(), 1u) << name;
    EXPECT_EQ(r.folders[0].mailbox.wire, "Env&AO0-os") << name;
  }
  // A folder really called "Sent" wins over the attribute.
  auto listed = kServer;
  listed.push_back(box("Sent"));
  EXPECT_EQ(resolve({"Sent"}, listed).folders.at(0).mailbox.wire, "Sent");
}

TEST(FolderResolver, DecodedNamesAndCaseInsensitiveInbox) {
  const auto r = resolve({"Envíos", "inbox", "Inbox"}, kServer);
  ASSERT_EQ(r.folders.size(), 2u) << "two entries for INBOX: one folder";
  EXPECT_EQ(r.folders[0].mailbox.wire, "Env&AO0-os");
  EXPECT_EQ(r.folders[1].mailbox.wire, "INBOX");
}

TEST(FolderResolver, MissingOrUnselectableFoldersAreProblemsThatListTheServersFolders) {
  const auto r = resolve({"INBOX", "Constancias", "Archivo", "\\Junk"}, kServer);
  ASSERT_EQ(r.folders.size(), 1u);
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_NE(r.problems[0].find("folder 'Constancias' does not exist on the server (folders: INBOX, Envíos"),
            std::string::npos)
      << r.problems[0];
  EXPECT_NE(r.problems[1].find("cannot be opened"), std::string::npos) << r.problems[1];
  EXPECT_NE(r.problems[2].find("special-use attribute \\Junk"), std::string::npos) << r.problems[2];
}

}  // namespace
}  // namespace sseccoe::imap
