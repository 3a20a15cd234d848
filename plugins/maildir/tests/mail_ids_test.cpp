#include <gtest/gtest.h>

#include "ids.hpp"
#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::sdk::mail {
namespace {

TEST(MessageId, NormalisesBracketsSpaceAndDomainCase) {
  EXPECT_EQ(normalize_message_id("<Abc.123@MAIL.Example.COM>"), "Abc.123@mail.example.com");
  EXPECT_EQ(normalize_message_id("  <abc@x.mx>  "), "abc@x.mx");
  EXPECT_EQ(normalize_message_id("<abc@\r\n x.mx>"), "abc@x.mx") << "folded inside the brackets";
  EXPECT_EQ(normalize_message_id("abc@X.MX"), "abc@x.mx") << "bare id";
  EXPECT_EQ(normalize_message_id("(comment) <abc@x.mx> trailing"), "abc@x.mx");
  EXPECT_EQ(normalize_message_id("<A@b.c> <second@b.c>"), "A@b.c") << "the first id";
  EXPECT_EQ(normalize_message_id("<local-only>"), "local-only");
  EXPECT_EQ(normalize_message_id("<Case@Part@X.MX>"), "Case@Part@x.mx") << "only after the last @";
}

TEST(MessageId, NoIdIsEmpty) {
  EXPECT_EQ(normalize_message_id(""), "");
  EXPECT_EQ(normalize_message_id("   "), "");
  EXPECT_EQ(normalize_message_id("<>"), "");
  EXPECT_EQ(normalize_message_id("not an id"), "");
  EXPECT_EQ(normalize_message_id("<" + std::string(2000, 'a') + "@x>"), "") << "longer than a header line";
}

TEST(MessageId, UnterminatedBracketKeepsWhatFollows) {
  EXPECT_EQ(normalize_message_id("<abc@X.mx"), "abc@x.mx");
}

TEST(NaturalKey, MessageIdElseRawDigest) {
  Headers h;
  h.message_id = "abc@x.mx";
  EXPECT_EQ(natural_key(h, "ff00"), "msgid:abc@x.mx");
  h.message_id.clear();
  EXPECT_EQ(natural_key(h, "ff00"), "sha256:ff00");
  EXPECT_EQ(key_from_message_id("<ABC@X.MX>"), "msgid:ABC@x.mx");
  EXPECT_EQ(key_from_message_id(""), "");
  EXPECT_EQ(key_from_message_id("nil"), "msgid:nil") << "an IMAP client must pass the header, not NIL";
}

TEST(MessageIds, ListsEveryIdOnceInOrder) {
  using detail::message_ids;
  EXPECT_EQ(message_ids("<a@x> <b@X>\r\n\t<c@x>"), (std::vector<std::string>{"a@x", "b@x", "c@x"}));
  EXPECT_EQ(message_ids("<a@x> <a@x> <b@x>"), (std::vector<std::string>{"a@x", "b@x"}));
  EXPECT_EQ(message_ids("a@x, b@x"), (std::vector<std::string>{"a@x", "b@x"})) << "bare ids";
  EXPECT_EQ(message_ids("<a@x> <broken"), (std::vector<std::string>{"a@x"}));
  EXPECT_TRUE(message_ids("").empty());
  EXPECT_TRUE(message_ids("no ids here").empty());
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "<" + std::to_string(i) + "@x> ";
  EXPECT_EQ(message_ids(many).size(), 256u) << "bounded";
}

TEST(MailboxName, DecodesModifiedUtf7) {
  EXPECT_EQ(decode_mailbox_name("Sent"), "Sent");
  EXPECT_EQ(decode_mailbox_name("Env&AO0-os"), "Envíos");
  EXPECT_EQ(decode_mailbox_name("Informaci&APM-n.Difusi&APM-n"), "Información.Difusión");
  EXPECT_EQ(decode_mailbox_name("A&-B"), "A&B");
  EXPECT_EQ(decode_mailbox_name("&2D3eAA-"), "\xF0\x9F\x98\x80") << "a surrogate pair";
  EXPECT_EQ(decode_mailbox_name("&ZeVnLIqe-"), "日本語");
}

TEST(MailboxName, KeepsMalformedSequencesAsWritten) {
  EXPECT_EQ(decode_mailbox_name("Env&AO0"), "Env&AO0") << "unterminated";
  EXPECT_EQ(decode_mailbox_name("&AO-"), "&AO-") << "an odd number of bytes";
  EXPECT_EQ(decode_mailbox_name("&2D0-"), "&2D0-") << "a lone surrogate";
  EXPECT_EQ(decode_mailbox_name("&!!-x"), "&!!-x") << "not base64";
  EXPECT_EQ(decode_mailbox_name(""), "");
}

}  // namespace
}  // namespace sseccoe::sdk::mail
