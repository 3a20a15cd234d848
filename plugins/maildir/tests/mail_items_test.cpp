// What a well-formed message becomes: key, metadata, contents, date.
#include <gtest/gtest.h>

#include "mail_helpers.hpp"
#include "messages.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::mailtest {
namespace {

using sdk::mail::Spool;

const std::string kBodySentinel = "TEXTO-CONFIDENCIAL-DEL-CUERPO";

std::string certificate(const std::string& name_params, const std::string& pdf,
                        std::vector<std::string> headers = basic_headers()) {
  return message(headers, {text_part("Adjuntamos su constancia. " + kBodySentinel + "\n"), pdf_part(name_params, pdf)});
}

TEST(MessageItems, Rfc2231ContinuedNameAndDecodedContent) {
  TempDir d;
  const std::string pdf = pdf_bytes("jose");
  const auto p = parse(d, certificate(";\n filename*0*=UTF-8''Constancia%20Jos%C3%A9%20N%C3%BA%C3%B1ez;\n"
                                      " filename*1*=%20-%20%C3%89tica.pdf",
                                      pdf));
  ASSERT_EQ(p.items.size(), 1u);
  const sdk::Item& item = p.items[0];
  EXPECT_EQ(item.natural_key, "msgid:Constancia.1@sicavisp.gob.mx");
  EXPECT_EQ(meta(item, "attachment"), "Constancia José Núñez - Ética.pdf");
  EXPECT_EQ(meta(item, "attachment_type"), "application/pdf");
  const auto atts = contents_with_role(item, "attachment");
  ASSERT_EQ(atts.size(), 1u);
  EXPECT_EQ(atts[0]->name, "Constancia José Núñez - Ética.pdf");
  EXPECT_EQ(atts[0]->media_type, "application/pdf");
  EXPECT_EQ(read_all(*atts[0]), pdf);
}

TEST(MessageItems, Rfc2231NameInLatin1) {
  TempDir d;
  const auto p = parse(d, certificate("; filename*=iso-8859-1'es'Constancia%20Pe%F1a.pdf", pdf_bytes("x")));
  EXPECT_EQ(meta(p.items[0], "attachment"), "Constancia Peña.pdf");
}

TEST(MessageItems, Rfc2047NamesInFilenameOrOnlyInContentType) {
  TempDir d;
  const std::string raw = message(
      basic_headers(),
      {text_part("hola"),
       pdf_part("; filename=\"=?UTF-8?B?Q29uc3RhbmNpYSBNYXLDrWEucGRm?=\"", pdf_bytes("maria")),
       {{"Content-Type: application/pdf; name=\"=?ISO-8859-1?Q?Constancia_Pe=F1a=2Epdf?=\"",
         "Content-Transfer-Encoding: base64"},
        base64_lines(pdf_bytes("pena"))}});
  const auto p = parse(d, raw);
  EXPECT_EQ(meta(p.items[0], "attachment"), "Constancia María.pdf\nConstancia Peña.pdf");
  EXPECT_EQ(meta(p.items[0], "attachments"), "2");
  EXPECT_EQ(read_all(*content_named(p.items[0], "Constancia Peña.pdf")), pdf_bytes("pena"));
}

TEST(MessageItems, MetadataForRulesAndNeverTheBody) {
  TempDir d;
  std::vector<std::string> h = basic_headers();
  h.push_back("Cc: Titular OIC <oic@inm.gob.mx>, \"Peña, Ana\" <ana@inm.gob.mx>");
  h.push_back("In-Reply-To: <Consulta.7@INM.gob.mx>");
  h.push_back("References: <Raiz.1@inm.gob.mx>\n <Consulta.7@inm.gob.mx>");
  h.push_back("List-Id: Avisos del Comite <avisos.comite.INM.gob.mx>");
  const auto p = parse(d, certificate("; filename=\"constancia.pdf\"", pdf_bytes("x"), h),
                       false, {"Sent", "maildir:///m/.Sent/cur/1", "123:1", "2021-05-02"});
  const sdk::Item& item = p.items[0];
  EXPECT_EQ(meta(item, "folder"), "Sent");
  EXPECT_EQ(meta(item, "from"), "Plataforma SICAVISP <constancias@sicavisp.gob.mx>");
  EXPECT_EQ(meta(item, "to"), "José Núñez <jose@inm.gob.mx>");
  EXPECT_NE(meta(item, "cc").find("oic@inm.gob.mx"), std::string::npos);
  EXPECT_NE(meta(item, "cc").find("ana@inm.gob.mx"), std::string::npos);
  EXPECT_EQ(meta(item, "subject"), "Constancia del curso «Conflictos de interés»");
  EXPECT_EQ(meta(item, "name"), meta(item, "subject"));
  EXPECT_EQ(meta(item, "date"), "2021-05-14T14:30:00Z");
  EXPECT_EQ(meta(item, "message_id"), "Constancia.1@sicavisp.gob.mx");
  EXPECT_EQ(meta(item, "in_reply_to"), "Consulta.7@inm.gob.mx");
  EXPECT_EQ(meta(item, "references"), "Raiz.1@inm.gob.mx Consulta.7@inm.gob.mx");
  EXPECT_EQ(meta(item, "thread"), "Raiz.1@inm.gob.mx");
  EXPECT_EQ(meta(item, "list_id"), "avisos.comite.INM.gob.mx");
  EXPECT_EQ(meta(item, "size"), std::to_string(p.spool->size()));
  EXPECT_EQ(meta(item, "sha256"), p.spool->sha256());
  EXPECT_EQ(meta(item, "defects"), "<absent>");
  EXPECT_EQ(item.version, "123:1");
  EXPECT_EQ(item.locator, "maildir:///m/.Sent/cur/1");
  for (const auto& [k, v] : item.metadata) {
    EXPECT_EQ(v.find(kBodySentinel), std::string::npos) << "metadata " << k << " carries the body";
    EXPECT_TRUE(sdk::utf8::is_valid(v)) << k;
  }
}

TEST(MessageItems, ContentsAreTheMessageTheAttachmentsAndADispatchOnlyAcuse) {
  TempDir d;
  const std::string raw = certificate("; filename=\"constancia.pdf\"", pdf_bytes("x"));
  const auto p = parse(d, raw);
  const sdk::Item& item = p.items[0];
  ASSERT_EQ(item.contents.size(), 3u);
  EXPECT_EQ(item.contents[0].name, "mensaje.eml");
  EXPECT_EQ(item.contents[0].role, "message");
  EXPECT_EQ(item.contents[0].media_type, "message/rfc822");
  EXPECT_EQ(item.contents[0].size_hint, raw.size());
  EXPECT_EQ(read_all(item.contents[0]), raw);
  EXPECT_EQ(item.contents[1].role, "attachment");
  EXPECT_TRUE(item.contents[1].only_for_kind.empty());
  EXPECT_EQ(item.contents[2].name, "acuse.pdf");
  EXPECT_EQ(item.contents[2].role, "acuse");
  EXPECT_EQ(item.contents[2].only_for_kind, "email_dispatch");
}

TEST(MessageItems, DateIsTheHeadersOwnDayElseTheDeliveryDay) {
  TempDir d;
  std::vector<std::string> h = basic_headers();
  h[3] = "Date: Fri, 14 May 2021 23:30:00 -0500";
  auto p = parse(d, message(h, {}));
  EXPECT_EQ(p.items[0].occurred_on, "2021-05-14") << "the sender's day, not UTC's";
  EXPECT_EQ(p.items[0].occurred_on_from, "header:Date");
  EXPECT_EQ(meta(p.items[0], "date"), "2021-05-15T04:30:00Z");

  for (const std::string& date : std::vector<std::string>{"Date: mañana temprano", "Date: Fri, 14 Foo 2021 25:99:00 +9999", ""}) {
    h = basic_headers();
    if (date.empty()) h.erase(h.begin() + 3);
    else h[3] = date;
    p = parse(d, message(h, {}));
    EXPECT_EQ(p.items[0].occurred_on, "2021-05-01") << date;
    EXPECT_EQ(p.items[0].occurred_on_from, "received") << date;
    EXPECT_EQ(meta(p.items[0], "date"), "<absent>") << date;
  }
  h.erase(h.begin() + 3);
  p = parse(d, message(h, {}), false, {"INBOX", "x", "v", ""});
  EXPECT_EQ(p.items[0].occurred_on, "") << "no date at all: the core holds it";
}

TEST(MessageItems, PerAttachmentMakesOneItemPerCertificate) {
  TempDir d;
  const std::string raw =
      message(basic_headers(), {text_part("tres constancias"), pdf_part("; filename=\"Ana.pdf\"", pdf_bytes("ana")),
                                pdf_part("; filename=\"Luis.pdf\"", pdf_bytes("luis")),
                                pdf_part("; filename=\"Eva.pdf\"", pdf_bytes("eva"))});
  const auto p = parse(d, raw, true);
  ASSERT_EQ(p.items.size(), 3u);
  const char* names[] = {"Ana.pdf", "Luis.pdf", "Eva.pdf"};
  const char* tags[] = {"ana", "luis", "eva"};
  for (std::size_t i = 0; i < 3; ++i) {
    const sdk::Item& item = p.items[i];
    EXPECT_EQ(item.natural_key, "msgid:Constancia.1@sicavisp.gob.mx/" + std::to_string(i + 1));
    EXPECT_EQ(meta(item, "attachment"), names[i]);
    EXPECT_EQ(meta(item, "name"), names[i]);
    EXPECT_EQ(meta(item, "stem"), std::string(names[i]).substr(0, std::string(names[i]).size() - 4));
    EXPECT_EQ(meta(item, "attachment_index"), std::to_string(i + 1));
    const auto atts = contents_with_role(item, "attachment");
    ASSERT_EQ(atts.size(), 1u);
    EXPECT_EQ(read_all(*atts[0]), pdf_bytes(tags[i]));
    EXPECT_EQ(contents_with_role(item, "message").size(), 1u);
    EXPECT_EQ(item.occurred_on, "2021-05-14");
  }
  // Without attachments, per_attachment still gives the message itself.
  const auto plain = parse(d, message(basic_headers(), {}), true);
  ASSERT_EQ(plain.items.size(), 1u);
  EXPECT_EQ(plain.items[0].natural_key, "msgid:Constancia.1@sicavisp.gob.mx");
}

TEST(MessageItems, ThreadRootIsTheFirstReferenceElseInReplyToElseItself) {
  TempDir d;
  std::vector<std::string> h = basic_headers();
  h.push_back("In-Reply-To: <pregunta@inm.gob.mx>");
  EXPECT_EQ(meta(parse(d, message(h, {})).items[0], "thread"), "pregunta@inm.gob.mx");
  EXPECT_EQ(meta(parse(d, message(basic_headers(), {})).items[0], "thread"), "Constancia.1@sicavisp.gob.mx");
}

TEST(MessageItems, WhatCountsAsAnAttachment) {
  TempDir d;
  const std::string raw = message(
      basic_headers(),
      {text_part("cuerpo"),
       {{"Content-Type: text/html; charset=UTF-8"}, "<p>cuerpo</p>"},
       {{"Content-Type: image/png", "Content-ID: <logo@x>", "Content-Transfer-Encoding: base64"},
        base64_lines("\x89PNG logo")},
       {{"Content-Type: text/plain; charset=UTF-8", "Content-Disposition: attachment; filename=\"lista.txt\""},
        "uno\ndos\n"},
       {{"Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64"}, base64_lines("sin nombre")},
       pdf_part("; filename=\"lista.txt\"", pdf_bytes("dup")),
       {{"Content-Type: application/pdf; name=\"qp.pdf\"", "Content-Transfer-Encoding: quoted-printable"},
        "%PDF-1.4 =C3=B1 soft=\nbreak\n"}});
  const auto p = parse(d, raw);
  const sdk::Item& item = p.items[0];
  EXPECT_EQ(meta(item, "attachment"), "lista.txt\nparte-2.bin\nlista (2).txt\nqp.pdf")
      << "the inline logo (Content-ID, no name) and the text bodies are not attachments";
  // The line break before a boundary belongs to the boundary (RFC 2046).
  EXPECT_EQ(read_all(*content_named(item, "lista.txt")), "uno\ndos");
  EXPECT_EQ(read_all(*content_named(item, "parte-2.bin")), "sin nombre");
  EXPECT_EQ(read_all(*content_named(item, "qp.pdf")), "%PDF-1.4 \xc3\xb1 softbreak");
}

TEST(MessageItems, AForwardedMessagesAttachmentsCount) {
  TempDir d;
  const std::string inner = message({"From: SICAVISP <c@s.mx>", "Subject: Constancia", "Message-ID: <inner@s.mx>"},
                                    {text_part("texto interno"), pdf_part("; filename=\"interna.pdf\"", pdf_bytes("in"))},
                                    "", "=_inner");
  const std::string raw = message(basic_headers(), {text_part("te reenvío"), {{"Content-Type: message/rfc822"}, inner}});
  const auto p = parse(d, raw);
  EXPECT_EQ(meta(p.items[0], "attachment"), "interna.pdf");
  EXPECT_EQ(read_all(*content_named(p.items[0], "interna.pdf")), pdf_bytes("in"));
  EXPECT_EQ(p.items[0].natural_key, "msgid:Constancia.1@sicavisp.gob.mx") << "the outer message's id";
}

TEST(MessageItems, CrlfAndLfMessagesReadTheSame) {
  TempDir d;
  const std::string lf = certificate("; filename=\"c.pdf\"", pdf_bytes("x"));
  const auto a = parse(d, lf);
  const auto b = parse(d, crlf(lf));
  for (const char* k : {"from", "to", "subject", "date", "attachment", "message_id"})
    EXPECT_EQ(meta(a.items[0], k), meta(b.items[0], k)) << k;
  EXPECT_EQ(read_all(*content_named(b.items[0], "c.pdf")), pdf_bytes("x"));
}

TEST(MessageItems, StreamsReopenTheSpoolAndFailTransientlyOnceItIsGone) {
  TempDir d;
  auto p = parse(d, certificate("; filename=\"c.pdf\"", pdf_bytes("x")));
  const sdk::Content att = *content_named(p.items[0], "c.pdf");
  EXPECT_EQ(read_all(att), pdf_bytes("x"));
  EXPECT_EQ(read_all(att), pdf_bytes("x")) << "each open starts afresh";
  p.spool.reset();
  try {
    read_all(att);
    FAIL() << "the spool is gone";
  } catch (const sdk::ContentError& e) {
    EXPECT_TRUE(e.transient) << e.what();
  }
}

TEST(MessageItems, RequiresAFinishedSpool) {
  TempDir d;
  Spool s(d.path());
  s.write(message(basic_headers(), {}));
  EXPECT_THROW(sdk::mail::message_items(s, inbox(), {}), std::logic_error);
}

TEST(QuickKey, ReadsTheSameKeyFromTheHeaderBlockAlone) {
  TempDir d;
  const std::string raw = certificate("; filename=\"c.pdf\"", pdf_bytes("x"));
  const std::string path = d.write("m1", raw);
  EXPECT_EQ(sdk::mail::quick_key(path), parse(d, raw).items[0].natural_key);
  EXPECT_EQ(sdk::mail::quick_key(d.write("m2", crlf(raw))), "msgid:Constancia.1@sicavisp.gob.mx");
  std::vector<std::string> h = basic_headers();
  h.pop_back();
  EXPECT_EQ(sdk::mail::quick_key(d.write("m3", message(h, {}))), "") << "no Message-ID";
  h.push_back("Message-ID:\n <folded@X.MX>");
  EXPECT_EQ(sdk::mail::quick_key(d.write("m4", message(h, {}))), "msgid:folded@x.mx");
  EXPECT_EQ(sdk::mail::quick_key(d.write("m5", "")), "");
  EXPECT_THROW(sdk::mail::quick_key(d / "missing"), std::runtime_error);
  // A header block that never ends within the limit: no key, not an error.
  EXPECT_EQ(sdk::mail::quick_key(d.write("m6", "X-Big: " + std::string(2 << 20, 'a') + "\nMessage-ID: <late@x>\n\n")),
            "");
}

TEST(ReadHeaders, GivesHeadersAndStructure) {
  TempDir d;
  const std::string path = d.write("m", certificate("; filename=\"c.pdf\"", pdf_bytes("x")));
  const sdk::mail::Headers h = sdk::mail::read_headers(path);
  EXPECT_EQ(h.message_id, "Constancia.1@sicavisp.gob.mx");
  EXPECT_EQ(h.date_local_day, "2021-05-14");
  ASSERT_EQ(h.attachments.size(), 1u);
  EXPECT_EQ(h.attachments[0].name, "c.pdf");
  EXPECT_GT(h.attachments[0].encoded_size, pdf_bytes("x").size());
}

TEST(SharedOptions, AreDocumentedWithDefaults) {
  for (const auto& spec : sdk::mail::shared_options()) {
    EXPECT_FALSE(spec.doc.empty()) << spec.name;
    EXPECT_FALSE(spec.default_value.empty()) << spec.name;
    EXPECT_FALSE(spec.required) << spec.name;
  }
  EXPECT_EQ(sdk::mail::shared_options().size(), 3u);
}

TEST(SizeProblem, NamesTheSizeAndTheOption) {
  sdk::OptionValues o = options_with_defaults(sdk::mail::shared_options());
  EXPECT_EQ(sdk::mail::size_problem(1ull << 30, o), "");
  const std::string why = sdk::mail::size_problem((1ull << 30) + 1, o);
  EXPECT_NE(why.find("max_message_size"), std::string::npos) << why;
  EXPECT_NE(why.find("1073741825 bytes"), std::string::npos) << why;
  EXPECT_EQ(sdk::mail::size_problem(5ull << 30, {}).empty(), false) << "defaults apply without options";
}

}  // namespace
}  // namespace sseccoe::mailtest
