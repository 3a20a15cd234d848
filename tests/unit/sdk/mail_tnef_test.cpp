// Outlook's winmail.dat through the mail library: the attachments inside
// become the message's own (names in `attachment`, role "attachment",
// bytes exact); a hostile or broken one is kept as one opaque attachment
// with a warning, and never costs the message.
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "sseccoe/sdk/mail.hpp"
#include "tnef_writer.hpp"

namespace {

namespace mail = sseccoe::sdk::mail;
using sseccoe::sdk::Item;
using sseccoe::sdk::OptionValues;
using namespace tnef_test;

class TempDir {
 public:
  TempDir() {
    const char* t = std::getenv("TMPDIR");
    std::string tmpl = std::string(t != nullptr && *t != '\0' ? t : "/tmp") + "/sseccoe-tnef-test-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = buf.data();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::size_t count() const {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(path_)) n += e.is_regular_file() ? 1 : 0;
    return n;
  }

 private:
  std::string path_;
};

std::string base64_lines(std::string_view data) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out, line;
  for (std::size_t i = 0; i < data.size(); i += 3) {
    const std::uint32_t b0 = static_cast<unsigned char>(data[i]);
    const std::uint32_t b1 = i + 1 < data.size() ? static_cast<unsigned char>(data[i + 1]) : 0;
    const std::uint32_t b2 = i + 2 < data.size() ? static_cast<unsigned char>(data[i + 2]) : 0;
    const std::uint32_t v = b0 << 16 | b1 << 8 | b2;
    line += k[v >> 18];
    line += k[(v >> 12) & 63];
    line += i + 1 < data.size() ? k[(v >> 6) & 63] : '=';
    line += i + 2 < data.size() ? k[v & 63] : '=';
    if (line.size() == 76) {
      out += line + "\n";
      line.clear();
    }
  }
  if (!line.empty()) out += line + "\n";
  return out;
}

std::string pdf_bytes(const std::string& marker) {
  return "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n% " + marker +
         "\n" + std::string(3000, '\x01') + "\n%%EOF\n";
}

// A message from Outlook: a text part and the winmail.dat, plus any other
// ordinary parts given.
std::string outlook_message(const std::string& tnef, const std::string& extra_parts = {},
                            const std::string& type = "application/ms-tnef", const std::string& name = "winmail.dat") {
  std::string m =
      "From: =?UTF-8?Q?Mar=C3=ADa_L=C3=B3pez?= <maria.lopez@inm.gob.mx>\n"
      "To: comite.etica@inm.gob.mx\n"
      "Subject: Constancia del curso\n"
      "Date: Fri, 14 May 2021 10:02:00 -0500\n"
      "Message-ID: <outlook.1@exchange.inm.gob.mx>\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
      "--b1\nContent-Type: text/plain; charset=utf-8\n\nAdjunto mi constancia.\n" +
      extra_parts + "--b1\nContent-Type: " + type + "; name=\"" + name +
      "\"\nContent-Disposition: attachment; filename=\"" + name + "\"\nContent-Transfer-Encoding: base64\n\n" +
      base64_lines(tnef) + "--b1--\n";
  return m;
}

struct Harvest {
  std::unique_ptr<mail::Spool> spool;
  std::vector<Item> items;
};

Harvest harvest(const TempDir& work, const std::string& raw, const OptionValues& options = {}) {
  Harvest h;
  h.spool = std::make_unique<mail::Spool>(work.path());
  h.spool->write(raw);
  h.spool->finish();
  h.items = mail::message_items(*h.spool, mail::Origin{"INBOX", "maildir:///x", "v1", "2021-05-14"}, options);
  return h;
}

std::string read_all(std::istream& in) {
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// name -> bytes of each "attachment" content of the item.
std::vector<std::pair<std::string, std::string>> attachments_of(const Item& item) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : item.contents) {
    if (c.role != "attachment") continue;
    auto s = c.open();
    out.emplace_back(c.name, read_all(*s));
  }
  return out;
}

std::string meta(const Item& item, const std::string& key) {
  const auto it = item.metadata.find(key);
  return it == item.metadata.end() ? std::string() : it->second;
}

TEST(Winmail, AttachmentsInsideBecomeTheMessagesOwn) {
  TempDir work;
  const std::string pdf = pdf_bytes("constancia");
  const std::string jpg = "\xFF\xD8\xFF\xE0" + std::string(5000, 'j') + "\xFF\xD9";
  const std::string tnef = Writer()
                               .message_header()
                               .attachment(outlook_attachment("constancia-ética.pdf", pdf, "CONSTA~1.PDF"))
                               .attachment(outlook_attachment("foto del curso.jpg", jpg, "FOTODE~1.JPG"))
                               .bytes();
  Harvest h = harvest(work, outlook_message(tnef));
  ASSERT_EQ(h.items.size(), 1u);
  const Item& item = h.items[0];
  EXPECT_EQ(meta(item, "attachment"), "constancia-ética.pdf\nfoto del curso.jpg");
  EXPECT_EQ(meta(item, "attachment_type"), "application/pdf\nimage/jpeg");
  EXPECT_EQ(meta(item, "attachments"), "2");
  EXPECT_EQ(meta(item, "defects"), "");
  const auto files = attachments_of(item);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].first, "constancia-ética.pdf");
  EXPECT_TRUE(files[0].second == pdf) << "the PDF's bytes differ";
  EXPECT_EQ(files[1].first, "foto del curso.jpg");
  EXPECT_TRUE(files[1].second == jpg);
  EXPECT_TRUE(mail::message_warnings(h.items).empty());
  // The raw message is still kept whole.
  EXPECT_EQ(item.contents.front().role, "message");
}

TEST(Winmail, VndTypeAndBareNameAreRecognised) {
  TempDir work;
  const std::string tnef = Writer().message_header().attachment(outlook_attachment("a.pdf", "%PDF-a", "A.PDF")).bytes();
  for (const auto& [type, name] : {std::pair<std::string, std::string>{"application/vnd.ms-tnef", "x.dat"},
                                   {"application/octet-stream", "WINMAIL.DAT"}}) {
    Harvest h = harvest(work, outlook_message(tnef, {}, type, name));
    EXPECT_EQ(meta(h.items[0], "attachment"), "a.pdf") << type << " " << name;
  }
}

TEST(Winmail, OrdinaryAttachmentsKeepTheirPlaceAndNamesStayUnique) {
  TempDir work;
  const std::string tnef =
      Writer().message_header().attachment(outlook_attachment("informe.pdf", "%PDF-inner", "INFORME.PDF")).bytes();
  const std::string ordinary =
      "--b1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"informe.pdf\"\n"
      "Content-Transfer-Encoding: base64\n\n" +
      base64_lines("%PDF-outer") + "";
  Harvest h = harvest(work, outlook_message(tnef, ordinary));
  EXPECT_EQ(meta(h.items[0], "attachment"), "informe.pdf\ninforme (2).pdf");
  const auto files = attachments_of(h.items[0]);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].second, "%PDF-outer");
  EXPECT_EQ(files[1].second, "%PDF-inner");
}

TEST(Winmail, EightBitTitleIsReadInTheTnefCodePage) {
  TempDir work;
  TnefAttachment a;
  a.title = "constancia-\xE9tica.pdf";  // Windows-1252, no MAPI long name
  a.data = "%PDF-cp1252";
  Harvest h = harvest(work, outlook_message(Writer().message_header(1252).attachment(a).bytes()));
  EXPECT_EQ(meta(h.items[0], "attachment"), "constancia-ética.pdf");
}

TEST(Winmail, EightBitLongNameIsPreferredToTheTitle) {
  TempDir work;
  TnefAttachment a;
  a.title = "CONSTA~1.PDF";
  a.data = "%PDF-8bit";
  a.mapi.push_back({kPtString8, kPrAttachLongFilename, std::string("Constancia de participaci\xF3n.pdf") + '\0'});
  Harvest h = harvest(work, outlook_message(Writer().message_header().attachment(a).bytes()));
  EXPECT_EQ(meta(h.items[0], "attachment"), "Constancia de participación.pdf");
}

TEST(Winmail, NamesOutsideTheBasicPlaneSurviveLibytnefsConversion) {
  TempDir work;
  const std::string tnef =
      Writer().message_header().attachment(outlook_attachment("diploma 🎓 ñandú.pdf", "%PDF-emoji", "DIPLOM~1.PDF")).bytes();
  Harvest h = harvest(work, outlook_message(tnef));
  EXPECT_EQ(meta(h.items[0], "attachment"), "diploma 🎓 ñandú.pdf");
}

TEST(Winmail, LongTitleAndBigIconDoNotDefeatTheUnpacking) {
  // libytnef 2.0 refuses a title over 100 bytes and an icon over 10000:
  // neither is handed to it.
  TempDir work;
  const std::string long_name = std::string(150, 'x') + ".pdf";
  TnefAttachment a;
  a.title = long_name;
  a.data = "%PDF-long";
  Writer w;
  w.message_header().attachment(a);
  w.attribute(kLevelAttachment, 0x00068011 /* attAttachMetaFile */, std::string(20000, 'i'));
  Harvest h = harvest(work, outlook_message(w.bytes()));
  EXPECT_EQ(meta(h.items[0], "attachment"), long_name);
}

TEST(Winmail, MimeTagGivesTheType) {
  TempDir work;
  auto a = outlook_attachment("datos", "col1,col2\n", "DATOS");
  a.mapi.push_back({kPtString8, kPrAttachMimeTag, std::string("text/csv") + '\0'});
  Harvest h = harvest(work, outlook_message(Writer().message_header().attachment(a).bytes()));
  EXPECT_EQ(meta(h.items[0], "attachment_type"), "text/csv");
}

TEST(Winmail, DataOnlyInTheMapiObjectIsRead) {
  TempDir work;
  TnefAttachment a;
  a.title = "OBJ.BIN";
  a.has_data = false;
  a.mapi.push_back({kPtBinary, kPrAttachDataObj, "bytes in the MAPI block"});
  Harvest h = harvest(work, outlook_message(Writer().message_header().attachment(a).bytes()));
  const auto files = attachments_of(h.items[0]);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].first, "OBJ.BIN");
  EXPECT_EQ(files[0].second, "bytes in the MAPI block");
}

TEST(Winmail, ZeroAttachmentsAddNone) {
  // Only the message's rich text (a compressed RTF body): nothing to add.
  TempDir work;
  Writer w;
  w.message_header();
  w.attribute(kLevelMessage, kAttMapiProps, mapi_block({{kPtBinary, kPrRtfCompressed, std::string(64, 'r')}}));
  Harvest h = harvest(work, outlook_message(w.bytes()));
  EXPECT_EQ(meta(h.items[0], "attachments"), "0");
  EXPECT_EQ(meta(h.items[0], "attachment"), "");
  EXPECT_EQ(meta(h.items[0], "defects"), "");
  EXPECT_TRUE(attachments_of(h.items[0]).empty());
}

// A winmail.dat that cannot be unpacked: kept, byte for byte, as one
// attachment, and a warning naming the message says why.
void expect_kept_opaque(const std::string& tnef, const std::string& why) {
  TempDir work;
  Harvest h = harvest(work, outlook_message(tnef));
  ASSERT_EQ(h.items.size(), 1u);
  EXPECT_EQ(meta(h.items[0], "attachment"), "winmail.dat");
  EXPECT_EQ(meta(h.items[0], "attachment_type"), "application/ms-tnef");
  const auto files = attachments_of(h.items[0]);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(files[0].second == tnef) << "the opaque winmail.dat differs from the one sent";
  EXPECT_NE(meta(h.items[0], "defects").find("winmail.dat 'winmail.dat' was not unpacked"), std::string::npos)
      << meta(h.items[0], "defects");
  const auto warnings = mail::message_warnings(h.items);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].rfind("message msgid:outlook.1@exchange.inm.gob.mx: winmail.dat", 0), 0u) << warnings[0];
  EXPECT_NE(warnings[0].find(why), std::string::npos) << warnings[0];
}

std::string two_attachment_tnef() {
  return Writer()
      .message_header()
      .attachment(outlook_attachment("constancia-ética.pdf", pdf_bytes("uno"), "CONSTA~1.PDF"))
      .attachment(outlook_attachment("otra.pdf", pdf_bytes("dos"), "OTRA.PDF"))
      .bytes();
}

TEST(WinmailHostile, TruncatedIsKeptWithAWarning) {
  const std::string t = two_attachment_tnef();
  expect_kept_opaque(t.substr(0, t.size() - 700), "truncated");
}

TEST(WinmailHostile, RandomBytesAreKeptWithAWarning) {
  std::mt19937 rng(20210514);
  std::string junk(4096, '\0');
  for (auto& c : junk) c = static_cast<char>(rng());
  expect_kept_opaque(junk, "not TNEF");
}

TEST(WinmailHostile, HugeDeclaredLengthIsKeptWithAWarning) {
  Writer w;
  w.message_header();
  std::string t = w.bytes();
  // An attachment attribute claiming 4 GiB - 16 bytes, followed by little.
  t += '\x02' + le32(kAttAttachData) + le32(0xFFFFFFF0u) + std::string(100, 'd');
  expect_kept_opaque(t, "declares 4294967280 bytes");
}

TEST(WinmailHostile, HugeDeclaredMapiSizeFallsBackToTheTitle) {
  // attAttachment whose one property claims 2 GiB: its checksum is right,
  // so only the MAPI block is refused (never handed to libytnef, which
  // would print its complaint to stdout), and the title names the file.
  TempDir work;
  TnefAttachment a;
  a.title = "X.PDF";
  a.data = "%PDF";
  Writer w;
  w.message_header().attachment(a);
  const std::string mapi = le32(1) + le32(std::uint32_t{kPrAttachLongFilename} << 16 | kPtString8) + le32(1) +
                           le32(0x7FFFFFF0u) + "abcd";
  w.attribute(kLevelAttachment, kAttAttachment, mapi);
  ::testing::internal::CaptureStdout();
  Harvest h = harvest(work, outlook_message(w.bytes()));
  std::fflush(stdout);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(meta(h.items[0], "attachment"), "X.PDF");
  EXPECT_EQ(attachments_of(h.items[0]).at(0).second, "%PDF");
  const auto warnings = mail::message_warnings(h.items);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("malformed MAPI properties: named from their titles"), std::string::npos) << warnings[0];
}

TEST(WinmailHostile, BadChecksumIsKeptWithAWarning) {
  std::string t = two_attachment_tnef();
  t[t.size() / 2] ^= 0x55;
  expect_kept_opaque(t, "checksum");
}

TEST(WinmailHostile, OnlySignatureIsKeptWithAWarning) { expect_kept_opaque(le32(kSignature), "too short"); }

TEST(WinmailHostile, EveryPrefixAndManyMutationsNeverCrash) {
  // Cut at every length, then bytes changed at random: each message is
  // harvested, unpacked or with its winmail.dat kept; nothing is left in the
  // work directory once the items are gone.
  TempDir work;
  const std::string t = Writer()
                            .message_header()
                            .attachment(outlook_attachment("á.pdf", "%PDF-1", "A.PDF"))
                            .attachment(outlook_attachment("b.pdf", "%PDF-22", "B.PDF"))
                            .bytes();
  std::size_t unpacked = 0, kept = 0;
  auto run = [&](const std::string& tnef) {
    Harvest h = harvest(work, outlook_message(tnef));
    ASSERT_EQ(h.items.size(), 1u);
    for (const auto& f : attachments_of(h.items[0])) (void)f;
    (meta(h.items[0], "attachment").find("winmail.dat") == std::string::npos ? unpacked : kept) += 1;
  };
  for (std::size_t n = 0; n <= t.size(); ++n) run(t.substr(0, n));
  std::mt19937 rng(7);
  for (int i = 0; i < 400; ++i) {
    std::string m = t;
    const int changes = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < changes; ++k) m[rng() % m.size()] = static_cast<char>(rng());
    run(m);
  }
  EXPECT_GT(unpacked, 0u);
  EXPECT_GT(kept, 0u);
  EXPECT_EQ(work.count(), 0u) << "scratch or spool files were left behind";
}

TEST(Winmail, LargerThanTheCapIsKeptAsItIs) {
  // 64 MiB + 1 byte that begin like a TNEF: not read, kept, with a warning.
  TempDir work;
  mail::Spool spool(work.path());
  const std::string head = outlook_message("");  // its winmail.dat part is empty; ours follows
  std::string top = head.substr(0, head.rfind("--b1\nContent-Type: application/ms-tnef"));
  top +=
      "--b1\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Disposition: attachment; "
      "filename=\"winmail.dat\"\nContent-Transfer-Encoding: binary\n\n";
  spool.write(top);
  std::string block = Writer().message_header().bytes();
  block.resize(1 << 20, 'z');
  spool.write(block);
  block.assign(1 << 20, 'z');
  for (int i = 1; i < 64; ++i) spool.write(block);
  spool.write("z\n--b1--\n");
  spool.finish();
  const auto items = mail::message_items(spool, mail::Origin{"INBOX", "maildir:///x", "v", ""}, {});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(meta(items[0], "attachment"), "winmail.dat");
  const auto warnings = mail::message_warnings(items);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("larger than 64.0 MiB"), std::string::npos) << warnings[0];
}

TEST(WinmailHostile, GarbageMapiWithRightChecksumsNeverCrashes) {
  // The framing is right (checksums match), so libytnef reads each MAPI
  // block: a real property list with its sizes and types scrambled.
  TempDir work;
  std::mt19937 rng(1221);
  const std::string real = mapi_block({{kPtLong, kPrAttachMethod, le32(1)},
                                       {kPtUnicode, kPrAttachLongFilename, utf16le("constancia-ética.pdf")},
                                       {kPtString8, kPrAttachMimeTag, std::string("application/pdf") + '\0'}});
  ::testing::internal::CaptureStdout();
  for (int i = 0; i < 300; ++i) {
    std::string mapi = real;
    if (i % 3 == 0) {
      mapi.resize(rng() % real.size());  // cut short
    } else {
      const int changes = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < changes; ++k) mapi[rng() % mapi.size()] = static_cast<char>(rng());
    }
    TnefAttachment a;
    a.title = "CONSTA~1.PDF";
    a.data = "%PDF-mapi";
    Writer w;
    w.message_header().attachment(a).attribute(kLevelAttachment, kAttAttachment, mapi);
    Harvest h = harvest(work, outlook_message(w.bytes()));
    ASSERT_EQ(h.items.size(), 1u);
    const auto files = attachments_of(h.items[0]);
    ASSERT_EQ(files.size(), 1u);
    const bool kept = files[0].first == "winmail.dat";
    EXPECT_TRUE(kept || files[0].second == "%PDF-mapi") << i;
  }
  std::fflush(stdout);
  EXPECT_EQ(::testing::internal::GetCapturedStdout(), "") << "libytnef printed to stdout";
}

TEST(WinmailHostile, AtMostSixteenPerMessageAreUnpacked) {
  TempDir work;
  std::string parts;
  for (int i = 1; i <= 16; ++i) {
    const std::string t = Writer()
                              .message_header()
                              .attachment(outlook_attachment("c" + std::to_string(i) + ".pdf", "%PDF", "C.PDF"))
                              .bytes();
    parts += "--b1\nContent-Type: application/ms-tnef\nContent-Disposition: attachment; filename=\"winmail.dat\"\n"
             "Content-Transfer-Encoding: base64\n\n" +
             base64_lines(t);
  }
  const std::string last = Writer().message_header().attachment(outlook_attachment("c17.pdf", "%PDF", "C.PDF")).bytes();
  Harvest h = harvest(work, outlook_message(last, parts));
  EXPECT_EQ(meta(h.items[0], "attachments"), "17");
  const std::string names = meta(h.items[0], "attachment");
  EXPECT_NE(names.find("c16.pdf"), std::string::npos);
  EXPECT_EQ(names.find("c17.pdf"), std::string::npos);
  EXPECT_NE(names.find("winmail.dat"), std::string::npos);
  EXPECT_NE(meta(h.items[0], "defects").find("more than 16 of them"), std::string::npos);
}

TEST(Winmail, PerAttachmentItemsAreTheInnerFiles) {
  TempDir work;
  const std::string tnef = two_attachment_tnef();
  OptionValues o;
  o.set("per_attachment", true);
  Harvest h = harvest(work, outlook_message(tnef), o);
  ASSERT_EQ(h.items.size(), 2u);
  EXPECT_EQ(h.items[0].natural_key, "msgid:outlook.1@exchange.inm.gob.mx/1");
  EXPECT_EQ(meta(h.items[0], "attachment"), "constancia-ética.pdf");
  EXPECT_EQ(meta(h.items[0], "stem"), "constancia-ética");
  EXPECT_EQ(meta(h.items[1], "attachment"), "otra.pdf");
}

TEST(Winmail, ReadHeadersListsTheInnerNames) {
  TempDir work;
  const std::string path = work.path() + "/m.eml";
  std::ofstream(path, std::ios::binary) << outlook_message(two_attachment_tnef());
  const mail::Headers h = mail::read_headers(path);
  ASSERT_EQ(h.attachments.size(), 2u);
  EXPECT_EQ(h.attachments[0].name, "constancia-ética.pdf");
  EXPECT_EQ(work.count(), 1u) << "read_headers left a scratch file beside the message";
}

TEST(Winmail, ScratchCopyIsUnlinkedAtOnce) {
  TempDir work;
  Harvest h = harvest(work, outlook_message(two_attachment_tnef()));
  EXPECT_EQ(work.count(), 1u) << "only the spool should be visible";
  const auto files = attachments_of(h.items[0]);
  EXPECT_EQ(files.size(), 2u);
}

// ytnef (Debian's ytnef-tools) only extracts; it checks that what this
// writer makes is a TNEF another decoder reads the same way.
TEST(WinmailCrossCheck, YtnefExtractsTheSameFiles) {
  const char* tool = "/usr/bin/ytnef";
  if (::access(tool, X_OK) != 0) {
    // scripts/deps.sh test installs it: under CI a missing tool is a check
    // that silently did not run.
    const char* ci = std::getenv("CI");
    if (ci != nullptr && std::string(ci) == "true")
      GTEST_FAIL() << tool << " is not installed (Debian package ytnef-tools; CI=true: scripts/deps.sh test installs it)";
    GTEST_SKIP() << tool << " is not installed (Debian package ytnef-tools)";
  }
  TempDir d;
  const std::string pdf = pdf_bytes("cruce");
  std::string xlsx(9000, '\0');
  for (std::size_t i = 0; i < xlsx.size(); ++i) xlsx[i] = static_cast<char>(i * 7 + 3);
  // ytnef takes the 8-bit long name (it ignores the UTF-16 one) and turns
  // spaces into '_': ASCII names without spaces.
  TnefAttachment a;
  a.title = "CONSTA~1.PDF";
  a.data = pdf;
  a.mapi.push_back({kPtString8, kPrAttachLongFilename, std::string("constancia-curso.pdf") + '\0'});
  TnefAttachment b;
  b.title = "nomina.xlsx";
  b.data = xlsx;
  const std::string tnef = Writer().message_header().attachment(a).attachment(b).bytes();
  const std::string file = d.path() + "/winmail.dat";
  std::ofstream(file, std::ios::binary) << tnef;
  const std::string out = d.path() + "/out";
  std::filesystem::create_directory(out);
  const std::string cmd = std::string(tool) + " -f " + out + " " + file + " >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << cmd << " -> " << rc;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_TRUE(slurp(out + "/constancia-curso.pdf") == pdf);
  EXPECT_TRUE(slurp(out + "/nomina.xlsx") == xlsx);

  // And the library reads the same names and bytes from it.
  TempDir work;
  Harvest h = harvest(work, outlook_message(tnef));
  const auto files = attachments_of(h.items[0]);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].first, "constancia-curso.pdf");
  EXPECT_TRUE(files[0].second == pdf);
  EXPECT_EQ(files[1].first, "nomina.xlsx");
  EXPECT_TRUE(files[1].second == xlsx);
}

}  // namespace
