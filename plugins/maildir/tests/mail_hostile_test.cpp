// Broken, truncated, mis-encoded and hostile messages: harvested as well as
// they can be, or refused with a reason; never a crash, never dropped bytes.
#include <gtest/gtest.h>

#include "mail_helpers.hpp"
#include "messages.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::mailtest {
namespace {

using sdk::mail::MessageError;

std::string refused(const TempDir& d, const std::string& raw) {
  try {
    parse(d, raw);
  } catch (const MessageError& e) {
    return e.what();
  }
  return "";
}

void expect_valid_metadata(const sdk::Item& item) {
  for (const auto& [k, v] : item.metadata) EXPECT_TRUE(sdk::utf8::is_valid(v)) << k << " = " << v;
}

TEST(Hostile, BrokenMultipartWithoutItsEndBoundaryIsHarvested) {
  TempDir d;
  const std::string pdf = pdf_bytes("rota") + std::string(300, 'z');
  std::string raw = message(basic_headers(), {text_part("texto"), pdf_part("; filename=\"rota.pdf\"", pdf)});
  raw = raw.substr(0, raw.rfind("--=_b0und4ry--"));  // no closing boundary
  raw = raw.substr(0, raw.size() - 120);              // and the attachment cut short
  const auto p = parse(d, raw);
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(meta(p.items[0], "attachment"), "rota.pdf");
  EXPECT_NE(meta(p.items[0], "defects").find("truncated message"), std::string::npos) << meta(p.items[0], "defects");
  const std::string got = read_all(*content_named(p.items[0], "rota.pdf"));
  EXPECT_GT(got.size(), 0u);
  EXPECT_EQ(pdf.substr(0, got.size()), got) << "what is there decodes to the original's prefix";
}

TEST(Hostile, MultipartWithoutBoundaryParameter) {
  TempDir d;
  const std::string raw = "From: a@b.mx\nSubject: s\nMessage-ID: <nb@b.mx>\nMIME-Version: 1.0\n"
                          "Content-Type: multipart/mixed\n\n--x\nContent-Type: text/plain\n\nhola\n--x--\n";
  const auto p = parse(d, raw);
  EXPECT_NE(meta(p.items[0], "defects").find("multipart without a boundary"), std::string::npos);
  EXPECT_EQ(p.items[0].natural_key, "msgid:nb@b.mx");
}

TEST(Hostile, BadBase64SkipsInvalidCharactersAndKeepsTheRest) {
  TempDir d;
  const std::string pdf = pdf_bytes("b64") + std::string(500, 'q');
  std::string b64 = base64_lines(pdf);
  std::string dirty = b64;
  dirty.insert(100, "!!**%%~~");  // not in the alphabet: skipped
  dirty.insert(10, "\t \t");
  const auto p = parse(d, message(basic_headers(), {text_part("t"), {pdf_part("; filename=\"a.pdf\"", "").headers, dirty}}));
  EXPECT_EQ(read_all(*content_named(p.items[0], "a.pdf")), pdf);

  // A final quantum cut short decodes to the bytes it does carry.
  std::string cut = b64;
  while (!cut.empty() && (cut.back() == '\n' || cut.back() == '=')) cut.pop_back();
  cut.pop_back();
  const auto q = parse(d, message(basic_headers(), {text_part("t"), {pdf_part("; filename=\"b.pdf\"", "").headers, cut + "\n"}}));
  const std::string got = read_all(*content_named(q.items[0], "b.pdf"));
  EXPECT_LT(got.size(), pdf.size());
  EXPECT_EQ(pdf.substr(0, got.size()), got);
}

TEST(Hostile, Latin1BytesInHeadersAreReadNeverDropped) {
  TempDir d;
  const std::string raw = message({"From: Jos\xe9 N\xfa\xf1" "ez <jose@inm.gob.mx>",
                                   "To: Comit\xe9 <comite@inm.gob.mx>",
                                   "Subject: Constancia de participaci\xf3n \x93\xc9tica\x94",
                                   "Date: Fri, 14 May 2021 09:30:00 -0500", "Message-ID: <latin1@inm.gob.mx>"},
                                  {text_part("texto"), pdf_part("; filename=\"Constancia Pe\xf1" "a.pdf\"", "x")});
  const auto p = parse(d, raw);
  const sdk::Item& item = p.items[0];
  EXPECT_EQ(meta(item, "from"), "José Núñez <jose@inm.gob.mx>");
  EXPECT_EQ(meta(item, "to"), "Comité <comite@inm.gob.mx>");
  EXPECT_EQ(meta(item, "subject"), "Constancia de participación “Ética”");
  EXPECT_EQ(meta(item, "attachment"), "Constancia Peña.pdf");
  EXPECT_NE(meta(item, "defects").find("unencoded 8-bit header"), std::string::npos);
  expect_valid_metadata(item);
}

TEST(Hostile, MalformedEncodedWordsAndUnknownCharsetsStayReadable) {
  TempDir d;
  const std::string raw = message({"From: =?x-unknown?Q?Jos=E9?= <j@x.mx>", "Subject: =?UTF-8?B?!!!notbase64?= y =?UTF-8?Q?ok?=",
                                   "To: =?UTF-8?Q?sin_cierre <t@x.mx>", "Message-ID: <mal@x.mx>"},
                                  {});
  const auto p = parse(d, raw);
  expect_valid_metadata(p.items[0]);
  EXPECT_NE(meta(p.items[0], "subject").find("ok"), std::string::npos);
  EXPECT_NE(meta(p.items[0], "from").find("j@x.mx"), std::string::npos);
}

TEST(Hostile, MissingMessageIdKeysByTheRawDigest) {
  TempDir d;
  std::vector<std::string> h = basic_headers();
  h.pop_back();
  const auto p = parse(d, message(h, {text_part("t"), pdf_part("; filename=\"c.pdf\"", "x")}));
  EXPECT_EQ(p.items[0].natural_key, "sha256:" + p.spool->sha256());
  EXPECT_EQ(meta(p.items[0], "message_id"), "<absent>");
  EXPECT_EQ(meta(p.items[0], "thread"), "<absent>");
  EXPECT_EQ(sdk::mail::fallback_key(*p.spool), "sha256:" + p.spool->sha256());
}

TEST(Hostile, WhatIsNotAMessageIsRefusedWithAReason) {
  TempDir d;
  EXPECT_NE(refused(d, "").find("empty"), std::string::npos);
  EXPECT_NE(refused(d, pdf_bytes("suelto")).find("not a mail message"), std::string::npos);
  static const char kBinary[] = "\x00\x01\x02\xff\xfe binary";
  EXPECT_NE(refused(d, std::string(kBinary, sizeof kBinary - 1)).find("not a mail message"), std::string::npos);
  EXPECT_NE(refused(d, "just some text\n\nwith a blank line\n").find("not a mail message"), std::string::npos);
  EXPECT_NE(refused(d, "X-Custom: only unknown headers\n\nbody\n").find("not a mail message"), std::string::npos);
}

TEST(Hostile, HeadersOnlyOrCutInTheHeadersIsStillAMessage) {
  TempDir d;
  auto p = parse(d, "From: a@b.mx\nSubject: solo cabeceras\nMessage-ID: <h@b.mx>\n");
  EXPECT_EQ(meta(p.items[0], "subject"), "solo cabeceras");
  EXPECT_EQ(meta(p.items[0], "attachments"), "0");
  p = parse(d, "From: a@b.mx\nMessage-ID: <cut@b.mx>\nSubject: cortado a la mit");
  EXPECT_EQ(p.items[0].natural_key, "msgid:cut@b.mx");
}

TEST(Hostile, NulBytesAndHugeHeadersAreBounded) {
  TempDir d;
  std::string subject = "Subject: a";
  subject += std::string("\0\0b", 3);
  const auto p = parse(d, message({"From: a@b.mx", subject, "X-Long: " + std::string(1 << 20, 'L'), "Message-ID: <nul@b.mx>"}, {}));
  expect_valid_metadata(p.items[0]);
  EXPECT_EQ(p.items[0].natural_key, "msgid:nul@b.mx");
}

TEST(Hostile, DeepNestingIsCutNotACrash) {
  TempDir d;
  std::string raw = "From: a@b.mx\nMessage-ID: <deep@b.mx>\nMIME-Version: 1.0\n";
  const int depth = 5000;  // past GMime's own limit
  for (int i = 0; i < depth; ++i)
    raw += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" + std::to_string(i) + "\n";
  raw += "Content-Type: application/pdf; name=\"hondo.pdf\"\n\n%PDF\n";
  for (int i = depth - 1; i >= 0; --i) raw += "--b" + std::to_string(i) + "--\n";
  const auto p = parse(d, raw);
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_NE(meta(p.items[0], "defects").find("MIME nesting too deep"), std::string::npos) << meta(p.items[0], "defects");
  EXPECT_EQ(p.items[0].natural_key, "msgid:deep@b.mx");
}

TEST(Hostile, ThousandsOfAttachmentsAreRefused) {
  TempDir d;
  std::vector<Part> parts;
  for (int i = 0; i <= 1000; ++i) parts.push_back({{"Content-Type: application/pdf; name=\"" + std::to_string(i) + ".pdf\""}, "x"});
  EXPECT_NE(refused(d, message(basic_headers(), parts)).find("more than 1000 attachments"), std::string::npos);
}

TEST(Hostile, TooLargeForTheOptionIsRefusedNamingIt) {
  TempDir d;
  auto spool = spool_of(d, message(basic_headers(), {}, std::string(4096, 'x')));
  sdk::OptionValues o;
  o.set("max_message_size", std::int64_t{1024});
  try {
    sdk::mail::message_items(*spool, inbox(), o);
    FAIL() << "must be refused";
  } catch (const MessageError& e) {
    EXPECT_NE(std::string(e.what()).find("max_message_size"), std::string::npos) << e.what();
  }
}

TEST(Hostile, AttachmentNamesCannotLeaveTheirDirectory) {
  TempDir d;
  const auto p = parse(d, message(basic_headers(), {pdf_part("; filename=\"../../etc/cron.d/x.pdf\"", "a"),
                                                    pdf_part("; filename=\"..\"", "b")}));
  EXPECT_EQ(meta(p.items[0], "attachment"), "x.pdf\nparte-2.pdf");
}

}  // namespace
}  // namespace sseccoe::mailtest
