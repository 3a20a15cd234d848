// The dispatch acuse PDF: what it shows (read back with pdftotext), that it
// is rendered only for email_dispatch, deterministically, and cleans up.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>

#include "acuse_content.hpp"
#include "mail_helpers.hpp"
#include "messages.hpp"

namespace sseccoe::mailtest {
namespace {

bool have_pdftotext() { return ::access("/usr/bin/pdftotext", X_OK) == 0; }

std::string pdf_text(const TempDir& d, const std::string& pdf) {
  const std::string path = d.write("acuse-check.pdf", pdf);
  std::string cmd = "/usr/bin/pdftotext -enc UTF-8 '" + path + "' -";
  FILE* f = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  std::size_t n;
  while (f != nullptr && (n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  if (f != nullptr) ::pclose(f);
  ::unlink(path.c_str());
  return out;
}

std::string dispatch(const std::string& body, std::vector<Part> extra = {}) {
  std::vector<Part> parts{text_part(body), pdf_part("; filename=\"Informe de buena práctica.pdf\"", pdf_bytes("bp")),
                          {{"Content-Type: image/png", "Content-Disposition: attachment; filename=\"cartel.png\"",
                            "Content-Transfer-Encoding: base64"},
                           base64_lines("\x89PNG cartel")}};
  for (auto& p : extra) parts.push_back(std::move(p));
  return message({"From: =?UTF-8?Q?Comit=C3=A9_de_=C3=89tica?= <comite.etica@inm.gob.mx>",
                  "To: UEPPCI <ueppci@funcionpublica.gob.mx>", "Cc: Titular OIC <oic@inm.gob.mx>",
                  "Subject: =?UTF-8?Q?Buena_pr=C3=A1ctica:_difusi=C3=B3n_del_C=C3=B3digo?=",
                  "Date: Thu, 10 Jun 2021 13:15:00 -0500", "Message-ID: <envio.1@inm.gob.mx>"},
                 parts);
}

const StoredContent* acuse_of(const Emitted& e) {
  for (const auto& c : e.contents)
    if (c.role == "acuse") return &c;
  return nullptr;
}

TEST(Acuse, ShowsHeadersBodyAttachmentsAndDigests) {
  if (!have_pdftotext()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  TempDir d;
  const auto p = parse(d, dispatch("Estimada UEPPCI:\nInformamos la buena práctica.\n"));
  FakeEmitter out;
  out.kind_of = [](const sdk::Item&) { return std::string("email_dispatch"); };
  out.emit(p.items[0]);
  const Emitted& e = out.emitted.back();
  ASSERT_EQ(e.outcome, sdk::EmitOutcome::New) << e.reason;
  const StoredContent* acuse = acuse_of(e);
  ASSERT_NE(acuse, nullptr);
  EXPECT_EQ(acuse->name, "acuse.pdf");
  EXPECT_EQ(acuse->data.rfind("%PDF-", 0), 0u);
  const std::string text = pdf_text(d, acuse->data);
  for (const char* s : {"Acuse de envío de correo electrónico", "De:", "Para:", "CC:", "Asunto:", "Fecha:",
                        "Adjuntos", "Huella SHA-256 del mensaje", "Comité de Ética <comite.etica@inm.gob.mx>",
                        "UEPPCI <ueppci@funcionpublica.gob.mx>", "Titular OIC <oic@inm.gob.mx>",
                        "Buena práctica: difusión del Código", "10 de junio de 2021, 13:15 (UTC-05:00)",
                        "Informamos la buena práctica.", "Informe de buena práctica.pdf", "cartel.png"})
    EXPECT_NE(text.find(s), std::string::npos) << "missing '" << s << "' in:\n" << text;
  EXPECT_NE(text.find(p.spool->sha256()), std::string::npos) << "the raw message's SHA-256";
  EXPECT_NE(text.find(sha256_hex(pdf_bytes("bp"))), std::string::npos) << "the attachment's SHA-256";
  EXPECT_NE(text.find(sha256_hex("\x89PNG cartel")), std::string::npos);
  EXPECT_NE(text.find(std::to_string(pdf_bytes("bp").size()) + " bytes"), std::string::npos);
  EXPECT_EQ(d.count_files(), 1u) << "only the spool is left: the rendered file went with its stream";
}

TEST(Acuse, IsRenderedOnlyForDispatches) {
  TempDir d;
  const auto p = parse(d, dispatch("texto"));
  FakeEmitter out;
  out.emit(p.items[0]);
  EXPECT_EQ(acuse_of(out.emitted.back()), nullptr);
  EXPECT_EQ(out.emitted.back().contents.size(), 3u) << "message and two attachments";
}

TEST(Acuse, SameMessageSameBytes) {
  TempDir d;
  const auto p = parse(d, dispatch("texto"));
  const sdk::Content* acuse = contents_with_role(p.items[0], "acuse").at(0);
  const std::string first = read_all(*acuse);
  const auto q = parse(d, dispatch("texto"));
  EXPECT_EQ(read_all(*contents_with_role(q.items[0], "acuse").at(0)), first);
  const auto r = parse(d, dispatch("otro texto"));
  EXPECT_NE(read_all(*contents_with_role(r.items[0], "acuse").at(0)), first);
}

TEST(Acuse, LongTextFlowsOntoPagesAndIsCutAtTheLimit) {
  if (!have_pdftotext()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  TempDir d;
  std::string body;
  for (int i = 1; i <= 400; ++i) body += "Renglón " + std::to_string(i) + " del informe.\n";
  auto spool = spool_of(d, dispatch(body));
  sdk::OptionValues o;
  o.set("acuse_body_limit", std::int64_t{4000});
  const auto items = sdk::mail::message_items(*spool, inbox(), o);
  const std::string text = pdf_text(d, read_all(*contents_with_role(items[0], "acuse").at(0)));
  EXPECT_NE(text.find("Página 2"), std::string::npos) << text;
  EXPECT_NE(text.find("Renglón 10 del informe."), std::string::npos);
  EXPECT_EQ(text.find("Renglón 400 del informe."), std::string::npos) << "past the limit";
  EXPECT_NE(text.find("[…] texto truncado"), std::string::npos);
  EXPECT_NE(text.find("Huella SHA-256 del mensaje"), std::string::npos) << "the last section still comes";
}

TEST(Acuse, HtmlOnlyBodyShowsItsText) {
  TempDir d;
  const std::string raw =
      message({"From: c@inm.gob.mx", "To: u@fp.gob.mx", "Subject: html", "Message-ID: <html@inm.gob.mx>",
               "MIME-Version: 1.0", "Content-Type: text/html; charset=ISO-8859-1"},
              {}, "<html><style>x{}</style><body><p>Env\xedo <b>importante</b></p></body></html>\n");
  auto spool = spool_of(d, raw);
  bool truncated = true;
  // The acuse's text comes from body_text(); checked here without a PDF.
  const auto parsed = sdk::mail::detail::parse_message(spool->path());
  ASSERT_TRUE(parsed.body.has_value());
  EXPECT_TRUE(parsed.body->html);
  EXPECT_EQ(sdk::mail::detail::body_text(spool->path(), *parsed.body, 1000, truncated), "Envío importante");
  EXPECT_FALSE(truncated);
  EXPECT_EQ(sdk::mail::detail::body_text(spool->path(), *parsed.body, 6, truncated), "Envío") << "6 bytes";
  EXPECT_TRUE(truncated);
  EXPECT_EQ(sdk::mail::detail::body_text(spool->path(), *parsed.body, 4, truncated), "Env")
      << "never half a character";
}

TEST(Acuse, PlainTextIsPreferredOverHtmlAndForwardedTextIsNotTheBody) {
  TempDir d;
  const std::string inner = message({"From: x@y.mx", "Subject: fwd"}, {text_part("texto reenviado")}, "", "=_in");
  const std::string raw = message(
      basic_headers(), {{{"Content-Type: message/rfc822"}, inner}, {{"Content-Type: text/html"}, "<p>html</p>"},
                        text_part("texto propio")});
  auto spool = spool_of(d, raw);
  const auto parsed = sdk::mail::detail::parse_message(spool->path());
  ASSERT_TRUE(parsed.body.has_value());
  bool truncated = false;
  EXPECT_EQ(sdk::mail::detail::body_text(spool->path(), *parsed.body, 1000, truncated), "texto propio");
}

}  // namespace
}  // namespace sseccoe::mailtest
