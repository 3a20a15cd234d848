#include <gtest/gtest.h>

#include "sseccoe/sdk/utf8.hpp"
#include "text.hpp"

namespace sseccoe::sdk::mail::detail {
namespace {

TEST(EnsureUtf8, KeepsUtf8AndReadsEverythingElseAsWindows1252) {
  EXPECT_EQ(ensure_utf8("Peña ✓"), "Peña ✓");
  EXPECT_EQ(ensure_utf8("Pe\xf1" "a"), "Peña");
  EXPECT_EQ(ensure_utf8("\x80 \x93hola\x94"), "€ “hola”");
  EXPECT_EQ(ensure_utf8("\x81\x8d"), "\xc2\x81\xc2\x8d") << "undefined bytes are kept, not dropped";
  EXPECT_EQ(ensure_utf8(std::string("a\0b", 3)), std::string("a\0b", 3));
  EXPECT_EQ(ensure_utf8("\xc3"), "Ã") << "a truncated sequence";
  EXPECT_TRUE(utf8::is_valid(ensure_utf8("\xed\xa0\x80 surrogate")));
}

TEST(ToUtf8, ConvertsDeclaredCharsets) {
  EXPECT_EQ(to_utf8("Pe\xf1" "a", "ISO-8859-1"), "Peña");
  EXPECT_EQ(to_utf8("\x80", "windows-1252"), "€");
  EXPECT_EQ(to_utf8("\xa4", "iso-8859-15"), "€");
  EXPECT_EQ(to_utf8("\xf0\xd2\xc9\xd7\xc5\xd4", "KOI8-R"), "Привет");
  EXPECT_EQ(to_utf8("Pe\xf1" "a", "x-unknown-charset"), "Peña") << "unknown: Windows-1252";
  EXPECT_EQ(to_utf8("Pe\xf1" "a", "utf-8"), "Peña") << "mislabelled: never dropped";
  EXPECT_EQ(to_utf8("ok", ""), "ok");
}

TEST(SafeFileName, KeepsOnlyAUsableLastComponent) {
  EXPECT_EQ(safe_file_name("constancia.pdf"), "constancia.pdf");
  EXPECT_EQ(safe_file_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(safe_file_name("C:\\Users\\ana\\constancia.pdf"), "constancia.pdf");
  EXPECT_EQ(safe_file_name("  a\tb\x01\x7f.pdf  "), "ab.pdf");
  EXPECT_EQ(safe_file_name("Pe\xf1" "a.pdf"), "Peña.pdf");
  EXPECT_EQ(safe_file_name("Pen\xcc\x83" "a.pdf"), "Pe\xc3\xb1" "a.pdf") << "NFC";
  EXPECT_EQ(safe_file_name(".."), "");
  EXPECT_EQ(safe_file_name("   "), "");
  EXPECT_EQ(safe_file_name("dir/"), "");
  EXPECT_EQ(safe_file_name(".hidden"), "hidden") << "no hidden files";
}

TEST(SafeFileName, CutsLongNamesKeepingTheExtensionAndWholeCharacters) {
  std::string name;
  for (int i = 0; i < 150; ++i) name += "ñ";
  const std::string safe = safe_file_name(name + ".pdf");
  EXPECT_LE(safe.size(), 200u);
  EXPECT_TRUE(utf8::is_valid(safe));
  EXPECT_EQ(safe.substr(safe.size() - 4), ".pdf");
}

TEST(FallbackName, NumbersPartsWithAnExtensionFromTheType) {
  EXPECT_EQ(fallback_name(1, "application/pdf"), "parte-1.pdf");
  EXPECT_EQ(fallback_name(3, "image/jpeg"), "parte-3.jpg");
  EXPECT_EQ(fallback_name(2, "application/x-weird"), "parte-2.bin");
}

TEST(HtmlToText, KeepsTheTextOnly) {
  EXPECT_EQ(html_to_text("<html><head><title>T</title><style>p{color:red}</style></head><body>"
                         "<p>Hola&nbsp;Mar&iacute;a,</p><p>Env&#237;o &amp; acuse &#x2713;</p>"
                         "<script>alert('x')</script><!-- comentario --><ul><li>uno</li><li>dos</li></ul>"
                         "a<br>b<BR/>c</body></html>"),
            "Hola María,\nEnvío & acuse ✓\n• uno\n• dos\na\nb\nc");
  EXPECT_EQ(html_to_text("texto <b>negrita</b>   y\n\n  espacios"), "texto negrita y espacios");
  EXPECT_EQ(html_to_text("corte <a href=\"x"), "corte") << "an unterminated tag ends the text";
  EXPECT_EQ(html_to_text("&bogus; &#99999999; &"), "&bogus; \xEF\xBF\xBD &");
  EXPECT_EQ(html_to_text("<script>never closed"), "");
  EXPECT_EQ(html_to_text("<pre>pre is not p</pre>"), "pre is not p");
  EXPECT_EQ(html_to_text("uno<br><br>dos"), "uno\n\ndos") << "explicit blank lines stay";
}

TEST(HumanSize, ReadsLikeAPersonWouldWriteIt) {
  EXPECT_EQ(human_size(512), "512 bytes");
  EXPECT_EQ(human_size(1536), "1.5 KiB");
  EXPECT_EQ(human_size(200ull << 20), "200.0 MiB");
  EXPECT_EQ(human_size(3ull << 30), "3.0 GiB");
}

TEST(StemOf, DropsTheLastExtension) {
  EXPECT_EQ(stem_of("a.b.pdf"), "a.b");
  EXPECT_EQ(stem_of("noext"), "noext");
  EXPECT_EQ(stem_of(".hidden"), ".hidden");
}

}  // namespace
}  // namespace sseccoe::sdk::mail::detail
