// The document reader on ordinary files: a certificate's text, accents, two
// columns in reading order, a scan without text, files that are not what
// they claim, a password, and images' sizes and EXIF dates. Every file is
// built here (reader_fixtures.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "reader_fixtures.hpp"
#include "need.hpp"

namespace sseccoe::core::extract {
namespace {

using testing::contains;
using testing::TempDir;
using Cause = ReaderError::Cause;

TEST(PdfTextNoText, WhitespaceOnlyPagesHaveNoText) {
  PdfText t;
  EXPECT_TRUE(t.no_text()) << "no page at all";
  t.pages = {"", " \n\t\f", "\xC2\xA0\n"};
  EXPECT_TRUE(t.no_text());
  t.pages.push_back("  x ");
  EXPECT_FALSE(t.no_text());
}

TEST(DocumentReaderProgram, DefaultIsBesideTheExecutableOrTheEnvironment) {
  const char* saved = std::getenv("SSECCOE_READER");
  const std::string keep = saved ? saved : "";
  ::unsetenv("SSECCOE_READER");
  const std::string beside = DocumentReader::default_program();
  EXPECT_TRUE(contains(beside, "/lib/sseccoe-agent/sseccoe-reader")) << beside;
  EXPECT_FALSE(contains(beside, "/../")) << "normalised: " << beside;
  ::setenv("SSECCOE_READER", "/opt/x/sseccoe-reader", 1);
  EXPECT_EQ(DocumentReader::default_program(), "/opt/x/sseccoe-reader");
  if (saved)
    ::setenv("SSECCOE_READER", keep.c_str(), 1);
  else
    ::unsetenv("SSECCOE_READER");
}

TEST(DocumentReaderProgram, AMissingProgramIsAnErrorThatNamesIt) {
  DocumentReader r("/nonexistent/sseccoe-reader");
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { r.pdf_text("/etc/hostname"); }, &msg), Cause::failed);
  EXPECT_TRUE(contains(msg, "/nonexistent/sseccoe-reader")) << msg;
}

class ReaderPdf : public ::testing::Test {
 protected:
  TempDir dir;
};

TEST_F(ReaderPdf, OnePageOfText) {
  SSECCOE_NEED_READER(program);
  const auto file = dir.write("c.pdf", testing::text_pdf({{{"CONSTANCIA", "Se otorga a Ana Torres", "Folio F-17"}, {}}}));
  const PdfText t = DocumentReader(program).pdf_text(file);
  ASSERT_EQ(t.pages.size(), 1u);
  EXPECT_EQ(t.page_count, 1);
  EXPECT_FALSE(t.encrypted);
  EXPECT_FALSE(t.no_text());
  EXPECT_EQ(t.pages[0], "CONSTANCIA\nSe otorga a Ana Torres\nFolio F-17\n");
  EXPECT_TRUE(testing::no_children_left());
}

TEST_F(ReaderPdf, AccentsComeOutAsUtf8) {
  SSECCOE_NEED_READER(program);
  const auto file = dir.write("a.pdf", testing::text_pdf({{{"José Núñez Peña", "Ética pública, ¿sí? Ángel Gutiérrez"}, {}}}));
  const PdfText t = DocumentReader(program).pdf_text(file);
  ASSERT_EQ(t.pages.size(), 1u);
  EXPECT_EQ(t.pages[0], "José Núñez Peña\nÉtica pública, ¿sí? Ángel Gutiérrez\n");
}

TEST_F(ReaderPdf, TwoColumnsComeOutColumnByColumn) {
  SSECCOE_NEED_READER(program);
  // The stream interleaves the columns line by line; the reading order does not.
  const std::vector<std::string> left = {"Nombre del participante:", "Ana Lucía Torres Méndez", "CURP TOMA850101MDFRNN09",
                                         "Dirección de Recursos Humanos"};
  const std::vector<std::string> right = {"Curso acreditado:", "Conflictos de interés", "Fecha: 14 de mayo de 2021",
                                          "Folio INM-2021-0042"};
  const auto file = dir.write("cols.pdf", testing::text_pdf({{left, right}}));
  const PdfText t = DocumentReader(program).pdf_text(file);
  ASSERT_EQ(t.pages.size(), 1u);
  const std::string& text = t.pages[0];
  std::size_t last = 0;
  for (const auto& line : left) {
    const auto at = text.find(line + "\n");
    ASSERT_NE(at, std::string::npos) << "'" << line << "' is not a line of its own in:\n" << text;
    EXPECT_GE(at, last) << text;
    last = at;
  }
  for (const auto& line : right) {
    const auto at = text.find(line + "\n");
    ASSERT_NE(at, std::string::npos) << "'" << line << "' is not a line of its own in:\n" << text;
    EXPECT_GT(at, last) << "the right column must follow the whole left one:\n" << text;
    last = at;
  }
}

TEST_F(ReaderPdf, PagesBeyondTheLimitAreCountedNotRead) {
  SSECCOE_NEED_READER(program);
  const auto file = dir.write("p.pdf", testing::text_pdf({{{"uno"}, {}}, {{"dos"}, {}}, {{"tres"}, {}}}));
  ReaderLimits limits;
  limits.max_pages = 2;
  const PdfText t = DocumentReader(program, limits).pdf_text(file);
  EXPECT_EQ(t.page_count, 3);
  ASSERT_EQ(t.pages.size(), 2u);
  EXPECT_EQ(t.pages[0], "uno\n");
  EXPECT_EQ(t.pages[1], "dos\n");
}

TEST_F(ReaderPdf, AScanHasNoText) {
  SSECCOE_NEED_READER(program);
  const PdfText t = DocumentReader(program).pdf_text(dir.write("scan.pdf", testing::scan_pdf()));
  EXPECT_EQ(t.page_count, 1);
  ASSERT_EQ(t.pages.size(), 1u);
  EXPECT_TRUE(t.no_text()) << "'" << t.pages[0] << "'";
}

TEST_F(ReaderPdf, APngNamedPdfIsNotAPdf) {
  SSECCOE_NEED_READER(program);
  std::string msg;
  const auto file = dir.write("photo.pdf", testing::png(4, 3));
  EXPECT_EQ(testing::cause_of([&] { DocumentReader(program).pdf_text(file); }, &msg), Cause::not_a_pdf);
  EXPECT_EQ(msg, "the file is not a PDF");
}

TEST_F(ReaderPdf, AnEmptyFileIsNotAPdf) {
  SSECCOE_NEED_READER(program);
  const auto file = dir.write("empty.pdf", "");
  EXPECT_EQ(testing::cause_of([&] { DocumentReader(program).pdf_text(file); }), Cause::not_a_pdf);
}

TEST_F(ReaderPdf, AMissingFileIsAnError) {
  SSECCOE_NEED_READER(program);
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { DocumentReader(program).pdf_text(dir.file("nothing.pdf")); }, &msg), Cause::failed);
  EXPECT_TRUE(contains(msg, "cannot be opened")) << msg;
}

TEST_F(ReaderPdf, APdfCutAfterItsHeaderIsDamaged) {
  SSECCOE_NEED_READER(program);
  const std::string whole = testing::text_pdf({{{"Se otorga a Ana Torres"}, {}}});
  std::string msg;
  const auto file = dir.write("cut.pdf", whole.substr(0, 40));
  EXPECT_EQ(testing::cause_of([&] { DocumentReader(program).pdf_text(file); }, &msg), Cause::damaged);
  EXPECT_TRUE(contains(msg, "damaged")) << msg;
}

TEST_F(ReaderPdf, APdfCutAnywhereNeverCrashesTheReader) {
  SSECCOE_NEED_READER(program);
  // Cut at every tenth of the file: poppler may rebuild the cross-reference
  // table and read what is left, or give up; it must not crash or hang.
  const std::string whole = testing::text_pdf({{{"Se otorga a Ana Torres", "por acreditar el curso"}, {}}});
  DocumentReader reader(program);
  for (int tenth = 1; tenth < 10; ++tenth) {
    const auto file = dir.write("cut" + std::to_string(tenth) + ".pdf", whole.substr(0, whole.size() * tenth / 10));
    try {
      const PdfText t = reader.pdf_text(file);
      EXPECT_LE(t.pages.size(), 1u);
    } catch (const ReaderError& e) {
      EXPECT_EQ(e.cause, Cause::damaged) << "cut at " << tenth << "/10: " << e.what();
    }
  }
  EXPECT_TRUE(testing::no_children_left());
}

class ReaderEncrypted : public ReaderPdf {
 protected:
  void SetUp() override {
    if (::access("/usr/bin/qpdf", X_OK) != 0)
      SSECCOE_MISSING("qpdf is not installed (Debian package qpdf): no way to make an encrypted PDF here");
  }
  std::string encrypt(const std::string& user, const std::string& owner) {
    const auto plain = dir.write("plain.pdf", testing::text_pdf({{{"Se otorga a Ana Torres"}, {}}}));
    const auto out = dir.file("locked-" + user + ".pdf");
    const std::string cmd = "/usr/bin/qpdf --encrypt '" + user + "' '" + owner + "' 256 -- '" + plain + "' '" + out + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("qpdf failed: " + cmd);
    return out;
  }
};

TEST_F(ReaderEncrypted, AUserPasswordIsNeeded) {
  SSECCOE_NEED_READER(program);
  const auto file = encrypt("secreto", "dueno");
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { DocumentReader(program).pdf_text(file); }, &msg), Cause::password);
  EXPECT_EQ(msg, "the PDF needs a password");
}

TEST_F(ReaderEncrypted, AnEmptyUserPasswordOpens) {
  SSECCOE_NEED_READER(program);
  const auto file = encrypt("", "dueno");
  const PdfText t = DocumentReader(program).pdf_text(file);
  EXPECT_TRUE(t.encrypted);
  ASSERT_EQ(t.pages.size(), 1u);
  EXPECT_EQ(t.pages[0], "Se otorga a Ana Torres\n");
}

TEST_F(ReaderPdf, SeveralThreadsAtOnce) {
  SSECCOE_NEED_READER(program);
  const auto file = dir.write("c.pdf", testing::text_pdf({{{"Folio F-17"}, {}}}));
  const DocumentReader reader(program);
  std::vector<std::thread> threads;
  std::atomic<int> right{0}, wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        try {
          const PdfText text = reader.pdf_text(file);
          (text.pages.size() == 1 && text.pages[0] == "Folio F-17\n" ? right : wrong)++;
        } catch (const std::exception&) {
          wrong++;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(right, 20);
  EXPECT_EQ(wrong, 0);
  EXPECT_TRUE(testing::no_children_left());
}

class ReaderImage : public ReaderPdf {};

TEST_F(ReaderImage, PngSize) {
  SSECCOE_NEED_READER(program);
  const ImageInfo i = DocumentReader(program).image_info(dir.write("a.png", testing::png(64, 48)));
  EXPECT_EQ(i.format, "png");
  EXPECT_EQ(i.width, 64);
  EXPECT_EQ(i.height, 48);
  EXPECT_EQ(i.datetime_original, "");
}

TEST_F(ReaderImage, JpegSizeAndExifDate) {
  SSECCOE_NEED_READER(program);
  const ImageInfo i =
      DocumentReader(program).image_info(dir.write("a.jpg", testing::jpeg(1024, 768, "2021:05:14 10:00:00")));
  EXPECT_EQ(i.format, "jpeg");
  EXPECT_EQ(i.width, 1024);
  EXPECT_EQ(i.height, 768);
  EXPECT_EQ(i.datetime_original, "2021-05-14T10:00:00");
}

TEST_F(ReaderImage, JpegWithoutExif) {
  SSECCOE_NEED_READER(program);
  const ImageInfo i = DocumentReader(program).image_info(dir.write("b.jpg", testing::jpeg(300, 200)));
  EXPECT_EQ(i.width, 300);
  EXPECT_EQ(i.height, 200);
  EXPECT_EQ(i.datetime_original, "");
}

TEST_F(ReaderImage, AnUnsetExifDateIsEmpty) {
  SSECCOE_NEED_READER(program);
  const ImageInfo i = DocumentReader(program).image_info(dir.write("c.jpg", testing::jpeg(30, 20, "    :  :     :  :  ")));
  EXPECT_EQ(i.width, 30);
  EXPECT_EQ(i.datetime_original, "");
}

TEST_F(ReaderImage, Gif) {
  SSECCOE_NEED_READER(program);
  const std::string gif = "GIF89a" + testing::le16(320) + testing::le16(240) + std::string("\x00\x00\x00;", 4);
  const ImageInfo i = DocumentReader(program).image_info(dir.write("a.gif", gif));
  EXPECT_EQ(i.format, "gif");
  EXPECT_EQ(i.width, 320);
  EXPECT_EQ(i.height, 240);
}

TEST_F(ReaderImage, APdfIsNotAnImage) {
  SSECCOE_NEED_READER(program);
  const auto file = dir.write("a.jpg", testing::text_pdf({{{"x"}, {}}}));
  std::string msg;
  EXPECT_EQ(testing::cause_of([&] { DocumentReader(program).image_info(file); }, &msg), Cause::unsupported);
  EXPECT_TRUE(contains(msg, "not an image")) << msg;
}

TEST_F(ReaderImage, HostileHeadersAreRefusedNotTrusted) {
  SSECCOE_NEED_READER(program);
  const DocumentReader reader(program);
  // A JPEG whose first segment claims 65535 bytes of a 10-byte file.
  const std::string long_segment = std::string("\xFF\xD8\xFF\xE1\xFF\xFF", 6) + "Exif";
  // A JPEG that never reaches a frame header.
  const std::string no_frame = std::string("\xFF\xD8\xFF\xD9", 4);
  // A PNG cut inside its IHDR, and one that claims 2^31 - 1 pixels a side.
  const std::string cut_png = testing::png(8, 8).substr(0, 20);
  std::string huge_png = testing::png(8, 8);
  huge_png.replace(16, 8, testing::be32(0x7FFFFFFF) + testing::be32(0x7FFFFFFF));
  for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
           {"long.jpg", long_segment}, {"noframe.jpg", no_frame}, {"cut.png", cut_png}, {"huge.png", huge_png}}) {
    const auto file = dir.write(name, bytes);
    EXPECT_EQ(testing::cause_of([&] { reader.image_info(file); }), Cause::unsupported) << name;
  }
  EXPECT_TRUE(testing::no_children_left());
}

}  // namespace
}  // namespace sseccoe::core::extract
