// A Maildir message from Outlook whose certificate is inside a winmail.dat,
// through the real maildir source: the record's file is the certificate,
// with its bytes and its name in `attachment`; and a big one streams with
// flat memory.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <filesystem>
#include <fstream>

#include "../../../tests/unit/sdk/tnef_writer.hpp"
#include "maildir_fixture.hpp"
#include "maildir_source.hpp"
#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::maildir {
namespace {

using mailtest::FakeEmitter;
using mailtest::MaildirTree;
using mailtest::Part;

std::string outlook_mail(const std::string& tnef) {
  return mailtest::message(
      {"From: =?UTF-8?Q?Mar=C3=ADa_L=C3=B3pez?= <maria.lopez@inm.gob.mx>", "To: comite.etica@inm.gob.mx",
       "Subject: Constancia", "Date: Fri, 14 May 2021 10:02:00 -0500", "Message-ID: <outlook.7@exchange.inm.gob.mx>"},
      {mailtest::text_part("Adjunto mi constancia.\n"),
       Part{{"Content-Type: application/ms-tnef; name=\"winmail.dat\"",
             "Content-Disposition: attachment; filename=\"winmail.dat\"", "Content-Transfer-Encoding: base64"},
            mailtest::base64_lines(tnef)}});
}

TEST(MaildirWinmail, TheCertificateInsideIsTheMessagesFile) {
  MaildirTree t;
  const std::string pdf = mailtest::pdf_bytes("constancia-ética");
  const std::string tnef = tnef_test::Writer()
                               .message_header()
                               .attachment(tnef_test::outlook_attachment("constancia-ética.pdf", pdf, "CONSTA~1.PDF"))
                               .bytes();
  t.deliver("INBOX", outlook_mail(tnef));
  MaildirSource src(read_settings(t.config()));
  FakeEmitter out;
  src.harvest({}, out, {});
  const auto* e = out.find("msgid:outlook.7@exchange.inm.gob.mx");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->item.metadata.at("attachment"), "constancia-ética.pdf");
  EXPECT_EQ(e->item.metadata.at("attachment_type"), "application/pdf");
  EXPECT_EQ(e->item.metadata.at("attachments"), "1");
  std::vector<const mailtest::StoredContent*> files;
  for (const auto& c : e->contents)
    if (c.role == "attachment") files.push_back(&c);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0]->name, "constancia-ética.pdf");
  EXPECT_EQ(files[0]->digest, mailtest::sha256_hex(pdf));
  EXPECT_TRUE(files[0]->data == pdf);
  EXPECT_TRUE(std::filesystem::is_empty(t.work_dir())) << "scratch copies do not outlive the pass";
}

TEST(MaildirWinmail, ABrokenOneIsKeptAndTheMessageHarvested) {
  MaildirTree t;
  const std::string tnef = tnef_test::Writer()
                               .message_header()
                               .attachment(tnef_test::outlook_attachment("constancia-ética.pdf",
                                                                         mailtest::pdf_bytes("x"), "CONSTA~1.PDF"))
                               .bytes();
  t.deliver("INBOX", outlook_mail(tnef.substr(0, tnef.size() - 40)));
  MaildirSource src(read_settings(t.config()));
  FakeEmitter out;
  src.harvest({}, out, {});
  const auto* e = out.find("msgid:outlook.7@exchange.inm.gob.mx");
  ASSERT_NE(e, nullptr) << "the message is harvested";
  EXPECT_EQ(e->item.metadata.at("attachment"), "winmail.dat");
  EXPECT_NE(e->item.metadata.at("defects").find("was not unpacked and is kept as one attachment: it is truncated"),
            std::string::npos);
  EXPECT_TRUE(out.quarantined.empty());
}

// A 48 MiB PDF inside a winmail.dat (65 MiB of base64 in the message):
// written straight to disk, harvested, and the peak memory measured.
TEST(MaildirWinmail, ABigOneStreamsWithFlatMemory) {
  constexpr std::uint32_t kPdf = 48u << 20;
  MaildirTree t;
  const std::string path = t.root() + "/cur/1621015200.M1P42.test:2,S";
  std::string expected;
  {
    std::ofstream out(path, std::ios::binary);
    out << "From: a@inm.gob.mx\nTo: b@inm.gob.mx\nSubject: grande\nMessage-ID: <grande.1@inm.gob.mx>\n"
           "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"g\"\n\n--g\nContent-Type: text/plain\n\n"
           "x\n--g\nContent-Type: application/ms-tnef\nContent-Disposition: attachment; filename=\"winmail.dat\"\n"
           "Content-Transfer-Encoding: base64\n\n";
    // The TNEF is made on the fly: its parts are base64-encoded in runs of
    // 57 bytes (one line), the remainder carried over.
    std::string pending;
    auto emit = [&](const std::string& bytes, bool last = false) {
      pending += bytes;
      const std::size_t whole = last ? pending.size() : pending.size() / 57 * 57;
      out << mailtest::base64_lines(pending.substr(0, whole));
      pending.erase(0, whole);
    };
    tnef_test::Writer head;
    head.message_header();
    head.attribute(tnef_test::kLevelAttachment, tnef_test::kAttAttachRendData,
                   tnef_test::le16(1) + tnef_test::le32(0xFFFFFFFF) + tnef_test::le32(0) + tnef_test::le32(0));
    head.attribute(tnef_test::kLevelAttachment, tnef_test::kAttAttachTitle, std::string("GRANDE.PDF") + '\0');
    emit(head.bytes() + '\x02' + tnef_test::le32(tnef_test::kAttAttachData) + tnef_test::le32(kPdf));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    std::uint32_t sum = 0;
    std::string block(57 * 1024, '\0');
    std::uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (std::uint32_t done = 0; done < kPdf;) {
      for (auto& c : block) {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        c = static_cast<char>(seed);
      }
      const std::size_t n = std::min<std::size_t>(block.size(), kPdf - done);
      for (std::size_t i = 0; i < n; ++i) sum += static_cast<unsigned char>(block[i]);
      EVP_DigestUpdate(ctx, block.data(), n);
      emit(block.substr(0, n));
      done += static_cast<std::uint32_t>(n);
    }
    emit(tnef_test::le16(sum & 0xFFFF));
    tnef_test::Writer tail;  // only for its attribute framing: the signature is dropped
    tail.attribute(tnef_test::kLevelAttachment, tnef_test::kAttAttachment,
                   tnef_test::mapi_block({{tnef_test::kPtUnicode, tnef_test::kPrAttachLongFilename,
                                           tnef_test::utf16le("constancia-grande-ética.pdf")}}));
    emit(tail.bytes().substr(6), true);
    out << "--g--\n";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    EVP_MD_CTX_free(ctx);
    static const char* hex = "0123456789abcdef";
    for (unsigned int i = 0; i < len; ++i) {
      expected += hex[md[i] >> 4];
      expected += hex[md[i] & 15];
    }
  }
  const bool measured = mailtest::reset_peak_rss();
  const std::uint64_t before = mailtest::peak_rss();
  MaildirSource src(read_settings(t.config()));
  FakeEmitter out;
  out.keep_data = false;
  src.harvest({}, out, {});
  const std::uint64_t grown = mailtest::peak_rss() - before;
  const auto* e = out.find("msgid:grande.1@inm.gob.mx");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->item.metadata.at("attachment"), "constancia-grande-ética.pdf");
  const mailtest::StoredContent* pdf = nullptr;
  for (const auto& c : e->contents)
    if (c.role == "attachment") pdf = &c;
  ASSERT_NE(pdf, nullptr);
  EXPECT_EQ(pdf->size, kPdf);
  EXPECT_EQ(pdf->digest, expected);
  if (measured) {
    std::printf("peak RSS grew by %.1f MiB harvesting a 48 MiB PDF inside a winmail.dat\n",
                static_cast<double>(grown) / (1 << 20));
    EXPECT_LT(grown, 16u << 20) << "the PDF must stream, not sit in memory";
  }
  EXPECT_TRUE(std::filesystem::is_empty(t.work_dir()));
}

}  // namespace
}  // namespace sseccoe::maildir
