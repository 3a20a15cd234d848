// RFC 2047 encoded words decoded by the library itself: Debian 12's GMime
// 3.2.13 drops every word after a base64 word that ends in padding
// (gmime#133), which cut long accented certificate names so that the rule
// for them no longer matched.
#include <gtest/gtest.h>

#include "mail_helpers.hpp"
#include "messages.hpp"
#include "rfc2047.hpp"

namespace sseccoe::mailtest {
namespace {

using sdk::mail::detail::decode_rfc2047;
using sdk::mail::detail::has_encoded_word;
using sdk::mail::detail::plain_parameter;

TEST(Rfc2047, AWordAfterAPaddedBase64WordIsKept) {
  EXPECT_EQ(decode_rfc2047("=?UTF-8?B?YWI=?= =?UTF-8?B?Y2Q=?="), "abcd");
  EXPECT_EQ(decode_rfc2047("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?="), "Hello world");
}

TEST(Rfc2047, ACharacterSplitBetweenTwoWordsIsJoined) {
  // "ñ" is C3 B1: the first word ends with C3, the second starts with B1.
  EXPECT_EQ(decode_rfc2047("=?UTF-8?Q?Pe=C3?= =?UTF-8?Q?=B1a?="), "Peña");
}

TEST(Rfc2047, QWordsTextAroundAndOtherCharsets) {
  EXPECT_EQ(decode_rfc2047("Re: =?ISO-8859-1?Q?Constancia_Pe=F1a?= (2021)"), "Re: Constancia Peña (2021)");
  EXPECT_EQ(decode_rfc2047("=?iso-8859-1?q?Jobbans=F6kan?= - duktig"), "Jobbansökan - duktig");
  EXPECT_EQ(decode_rfc2047("=?UTF-8*es?Q?Acci=C3=B3n?="), "Acción");
  // Different charsets side by side, the space between them dropped.
  EXPECT_EQ(decode_rfc2047("=?ISO-8859-1?Q?Ni=F1o?= =?UTF-8?Q?_y_ni=C3=B1a?="), "Niño y niña");
  // Folding is removed.
  EXPECT_EQ(decode_rfc2047("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?="), "ab");
}

TEST(Rfc2047, MalformedWordsStayLiteralAndBytesBecomeText) {
  EXPECT_EQ(decode_rfc2047("=?UTF-8?X?abc?="), "=?UTF-8?X?abc?=");
  EXPECT_EQ(decode_rfc2047("=?UTF-8?B?a b?="), "=?UTF-8?B?a b?=");
  EXPECT_EQ(decode_rfc2047("=?UTF-8?B?!!!?="), "=?UTF-8?B?!!!?=");
  EXPECT_EQ(decode_rfc2047("=?UTF-8?B?YWI"), "=?UTF-8?B?YWI");
  EXPECT_EQ(decode_rfc2047("Pe\xF1" "a"), "Peña");  // raw Latin-1 kept, as Windows-1252
  EXPECT_FALSE(has_encoded_word("plain text = ? no"));
  EXPECT_TRUE(has_encoded_word("x =?UTF-8?Q?a?= y"));
}

TEST(Rfc2047, PlainParameters) {
  EXPECT_EQ(plain_parameter("attachment; filename=\"a b.pdf\"", "filename"), "a b.pdf");
  EXPECT_EQ(plain_parameter("application/pdf; name=x.pdf; charset=utf-8", "NAME"), "x.pdf");
  EXPECT_EQ(plain_parameter("attachment; filename*=UTF-8''a.pdf", "filename"), "");
  EXPECT_EQ(plain_parameter("attachment;\r\n filename=\"q\\\"x.pdf\"", "filename"), "q\"x.pdf");
  EXPECT_EQ(plain_parameter("attachment", "filename"), "");
}

TEST(Rfc2047, ALongCertificateNameSubjectAndSenderSurviveGmimesBug) {
  TempDir d;
  std::vector<std::string> headers = basic_headers();
  for (auto& h : headers) {
    if (h.rfind("Subject:", 0) == 0) h = "Subject: =?UTF-8?B?Q29uc3RhbmNpYSBkZSBKb3PDqQ==?= =?UTF-8?B?IE9yZMOzw7Fleg==?=";
    if (h.rfind("From:", 0) == 0) h = "From: =?UTF-8?B?Sm9zw6k=?= =?UTF-8?B?IE7DusOxZXo=?= <cursos@sicavisp.gob.mx>";
  }
  const std::string raw = message(
      headers, {text_part("hola"),
                pdf_part("; filename=\"=?UTF-8?B?Q29uc3RhbmNpYSBKb3PDqSBPcmTDsw==?= "
                         "=?UTF-8?B?w7FleiBPcmTDs8OxZXogLSDD?= =?UTF-8?B?iXRpY2EgcMO6YmxpY2EucGRm?=\"",
                         pdf_bytes("jose"))});
  const auto p = parse(d, raw);
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(meta(p.items[0], "subject"), "Constancia de José Ordóñez");
  EXPECT_EQ(meta(p.items[0], "from"), "José Núñez <cursos@sicavisp.gob.mx>");
  EXPECT_EQ(meta(p.items[0], "attachment"), "Constancia José Ordóñez Ordóñez - Ética pública.pdf");
}

}  // namespace
}  // namespace sseccoe::mailtest
