#include <iconv.h>

#include <gtest/gtest.h>

#include <string>

#include "cell_decoder.hpp"
#include "encoding.hpp"

namespace sseccoe::csv {
namespace {

// glibc's converter, as an independent oracle for the Windows-1252 table.
std::optional<std::string> iconv_to_utf8(const char* from, const std::string& in) {
  iconv_t cd = ::iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(in.size() * 4 + 4, '\0');
  char* src = const_cast<char*>(in.data());
  std::size_t src_left = in.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  const std::size_t r = ::iconv(cd, &src, &src_left, &dst, &dst_left);
  ::iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) return std::nullopt;
  out.resize(out.size() - dst_left);
  return out;
}

std::string to_cp1252(const std::string& utf8) {
  iconv_t cd = ::iconv_open("CP1252", "UTF-8");
  std::string out(utf8.size(), '\0');
  char* src = const_cast<char*>(utf8.data());
  std::size_t src_left = utf8.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  const std::size_t r = ::iconv(cd, &src, &src_left, &dst, &dst_left);
  ::iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) throw std::runtime_error("not representable in CP1252");
  out.resize(out.size() - dst_left);
  return out;
}

TEST(Encoding, Windows1252AgreesWithIconvOnEveryByte) {
  std::string scratch;
  for (int b = 1; b < 256; ++b) {
    std::string cell(1, static_cast<char>(b));
    const auto expected = iconv_to_utf8("CP1252", cell);
    const bool ok = decode_cell(cell, Encoding::Windows1252, scratch);
    if (expected) {
      ASSERT_TRUE(ok) << "byte " << b;
      EXPECT_EQ(cell, *expected) << "byte " << b;
    } else {
      EXPECT_FALSE(ok) << "byte " << b << " is undefined in Windows-1252 and must be refused";
      EXPECT_EQ(cell, std::string(1, static_cast<char>(b))) << "a refused cell is left as it was";
    }
  }
}

TEST(Encoding, Latin1MapsEveryByteToItsCodePoint) {
  std::string scratch;
  for (int b = 1; b < 256; ++b) {
    std::string cell(1, static_cast<char>(b));
    ASSERT_TRUE(decode_cell(cell, Encoding::Latin1, scratch));
    EXPECT_EQ(cell, *iconv_to_utf8("ISO-8859-1", std::string(1, static_cast<char>(b)))) << "byte " << b;
  }
}

TEST(Encoding, SpanishTextComesOutRight) {
  std::string scratch;
  std::string cell = to_cp1252("José Núñez Ibáñez – “Ética” €5");
  ASSERT_TRUE(decode_cell(cell, Encoding::Windows1252, scratch));
  EXPECT_EQ(cell, "José Núñez Ibáñez – “Ética” €5");
}

TEST(Encoding, Utf8CellsAreCheckedNotChanged) {
  std::string scratch;
  std::string ok = "Peña Ñandú 𝄞";
  EXPECT_TRUE(decode_cell(ok, Encoding::Utf8, scratch));
  EXPECT_EQ(ok, "Peña Ñandú 𝄞");
  for (const std::string& bad : {std::string("Pe\xF1" "a"), std::string("\xC3"), std::string("\xED\xA0\x80"),
                                std::string("\xC0\xAF"), std::string("a\0b", 3)}) {
    std::string cell = bad;
    EXPECT_FALSE(decode_cell(cell, Encoding::Utf8, scratch)) << bad;
    EXPECT_EQ(cell, bad);
  }
  std::string nul("a\0b", 3);
  EXPECT_FALSE(decode_cell(nul, Encoding::Windows1252, scratch)) << "NUL is not text in any encoding";
}

TEST(Encoding, LossyDecodingReplacesOnlyTheBadBytes) {
  std::string scratch;
  std::string cell = "Pe\xF1" "a \xC3\xB1";
  decode_lossy(cell, Encoding::Utf8, scratch);
  EXPECT_EQ(cell, "Pe\xEF\xBF\xBD" "a ñ");
  cell = "a\x81" "b\xE9";
  decode_lossy(cell, Encoding::Windows1252, scratch);
  EXPECT_EQ(cell, "a\xEF\xBF\xBD" "bé");
}

TEST(Encoding, ByteOrderMarks) {
  EXPECT_EQ(detect_bom("\xEF\xBB\xBFid").bom, Bom::Utf8);
  EXPECT_EQ(detect_bom("\xEF\xBB\xBFid").length, 3u);
  EXPECT_EQ(detect_bom("\xFF\xFEi\0").bom, Bom::Utf16Le);
  EXPECT_EQ(detect_bom("\xFE\xFF\0i").bom, Bom::Utf16Be);
  EXPECT_EQ(detect_bom("id,nombre").bom, Bom::None);
  EXPECT_EQ(detect_bom("\xEF\xBB").bom, Bom::None) << "a cut mark is no mark";
  EXPECT_EQ(detect_bom("").length, 0u);
}

TEST(Encoding, DetectsWindows1252EvenWhereUchardetNamesAnotherCharset) {
  // Short Spanish samples that uchardet 0.0.7 calls ISO-8859-10, -13 or
  // WINDOWS-1250: the window is not UTF-8, so it is Windows-1252.
  for (const char* text : {"Nombre;Curso\nPeña;x\n", "id,nombre\n1,María\n", "id,nombre\n1,“Curso” – ética\n",
                                 "Nombre;Año;Curso\nJosé Núñez;2021;Ética pública\n"}) {
    const Detection d = detect_encoding(to_cp1252(text));
    EXPECT_EQ(d.encoding, Encoding::Windows1252) << text << " (uchardet said " << d.detector_said << ")";
  }
  std::string big = "Número;Nombre;Curso\n";
  for (int i = 0; i < 500; ++i) big += std::to_string(i) + ";José Núñez;Ética pública y conflictos de interés\n";
  const Detection d = detect_encoding(to_cp1252(big));
  EXPECT_EQ(d.encoding, Encoding::Windows1252);
  EXPECT_FALSE(d.detector_said.empty()) << "uchardet was asked";
}

TEST(Encoding, DetectsUtf8AndAscii) {
  EXPECT_EQ(detect_encoding("id;nombre\n1;Peña\n").encoding, Encoding::Utf8);
  EXPECT_EQ(detect_encoding("Año\n").encoding, Encoding::Utf8);
  EXPECT_EQ(detect_encoding("id,nombre\n1,abc\n").encoding, Encoding::Utf8);
  // The window may end inside a sequence: "ñ" cut after its first byte.
  EXPECT_EQ(detect_encoding("id;nombre\n1;Pe\xC3\xB1" "a\n2;Pe\xC3").encoding, Encoding::Utf8);
}

TEST(Encoding, OptionSpellings) {
  EXPECT_EQ(parse_encoding_option("auto"), std::nullopt);
  EXPECT_EQ(parse_encoding_option("UTF-8"), Encoding::Utf8);
  EXPECT_EQ(parse_encoding_option("utf8"), Encoding::Utf8);
  EXPECT_EQ(parse_encoding_option("Windows-1252"), Encoding::Windows1252);
  EXPECT_EQ(parse_encoding_option("cp1252"), Encoding::Windows1252);
  EXPECT_EQ(parse_encoding_option("ISO-8859-1"), Encoding::Latin1);
  EXPECT_EQ(parse_encoding_option("latin-1"), Encoding::Latin1);
  try {
    parse_encoding_option("utf-16");
    FAIL() << "utf-16 is not read";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("\"windows-1252\""), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sseccoe::csv
