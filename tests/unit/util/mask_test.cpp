// Masking of personal data for logs: CURPs, RFCs and e-mail addresses in free
// text, and natural keys (file paths, Message-IDs) reduced to what an
// operator needs to tell items apart.
#include <gtest/gtest.h>

#include "util/mask.hpp"

namespace sseccoe::util {
namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(MaskPersonal, Curp) {
  const std::string out = mask_personal("curp BOXW310820HNERXN09 registrada");
  EXPECT_EQ(out, "curp BOXW************** registrada");
}

TEST(MaskPersonal, CurpInLowerCaseAndAtTheEdges) {
  EXPECT_EQ(mask_personal("boxw310820hnerxn09"), "boxw**************");
  EXPECT_EQ(mask_personal("(GODE561231MDFRRN04)"), "(GODE**************)");
}

TEST(MaskPersonal, RfcOfAPersonThirteenCharacters) {
  EXPECT_EQ(mask_personal("RFC: GODE561231GR8."), "RFC: GODE*********.");
}

TEST(MaskPersonal, RfcOfACompanyTwelveCharacters) {
  EXPECT_EQ(mask_personal("proveedor ABC850101AB1"), "proveedor ABC8********");
}

TEST(MaskPersonal, RfcWithAnEnye) {
  // Ñ is two bytes in UTF-8; the birth date must not survive.
  for (const std::string rfc : {"MUÑO800101AB1", "muño800101ab1", "ÑUÑO800101AB1"}) {
    const std::string out = mask_personal("RFC " + rfc + " fin");
    EXPECT_EQ(out.find_first_of("0123456789"), std::string::npos) << out;
    EXPECT_EQ(out.rfind("RFC ", 0), 0u) << out;
    EXPECT_TRUE(contains(out, " fin")) << out;
  }
}

TEST(MaskPersonal, EmailKeepsTwoCharactersAndTheDomain) {
  EXPECT_EQ(mask_personal("De: ana.lopez@inm.gob.mx"), "De: an*******@inm.gob.mx");
  EXPECT_EQ(mask_personal("jo@sfp.gob.mx y x@sfp.gob.mx"), "**@sfp.gob.mx y *@sfp.gob.mx");
}

TEST(MaskPersonal, SeveralInOneLine) {
  const std::string out =
      mask_personal("BOXW310820HNERXN09, GODE561231GR8 <juan.perez@example.org> y BOXW310820HNERXN09");
  EXPECT_FALSE(contains(out, "310820")) << out;
  EXPECT_FALSE(contains(out, "561231")) << out;
  EXPECT_FALSE(contains(out, "juan.perez")) << out;
  EXPECT_TRUE(contains(out, "@example.org")) << out;
}

TEST(MaskPersonal, LeavesOrdinaryTextAlone) {
  for (const std::string s :
       {"Constancia del curso Los conflictos de intereses 2021", "folio SSECCOE-INM-2021-000123",
        "activity 1.1.1 window 2021-02-01..2021-12-03", "HTTP 503 after 3 attempts", "",
        "Difusión: Código de Conducta (versión 2)", "ev-3f9c0a1b2c3d4e5f60718293a4b5c6d7"})
    EXPECT_EQ(mask_personal(s), s);
}

TEST(MaskKey, KeepsTheFirstSegmentAndShortensTheRest) {
  EXPECT_EQ(mask_key("constancias/2021/Juan Pérez García.pdf"), "constancias/202…/Jua….pdf");
}

TEST(MaskKey, ShortSegmentsAreKeptWhole) {
  EXPECT_EQ(mask_key("difusion/abc/x.png"), "difusion/abc/x.png");
}

TEST(MaskKey, CountsCharactersNotBytes) {
  // "Ñuño" keeps three characters, whole, never half of a UTF-8 sequence.
  EXPECT_EQ(mask_key("a/Ñuñoz.pdf"), "a/Ñuñ….pdf");
}

TEST(MaskKey, MasksPersonalDataInTheFirstSegmentToo) {
  const std::string out = mask_key("BOXW310820HNERXN09/constancia.pdf");
  EXPECT_FALSE(contains(out, "310820")) << out;
  EXPECT_TRUE(contains(out, ".pdf")) << out;
}

TEST(MaskKey, ASingleSegmentKeyIsMaskedWhole) {
  const std::string out = mask_key("<abc.123@mail.example>");
  EXPECT_FALSE(contains(out, "abc.123")) << out;
  EXPECT_FALSE(contains(out, "mail.example")) << out;
  EXPECT_EQ(out.rfind("<ab", 0), 0u) << out;
}

TEST(MaskKey, AnEmailAsTheKeyDoesNotLeakTheLocalPart) {
  const std::string out = mask_key("juan.perez@inm.gob.mx");
  EXPECT_FALSE(contains(out, "juan.perez")) << out;
  EXPECT_FALSE(contains(out, "perez")) << out;
}

TEST(MaskKey, AnHrRowKey) {
  const std::string out = mask_key("plantilla.xlsx#Hoja1!R17:BOXW310820HNERXN09");
  EXPECT_FALSE(contains(out, "310820")) << out;
  EXPECT_FALSE(contains(out, "HNERXN")) << out;
}

TEST(MaskKey, EdgeCases) {
  EXPECT_EQ(mask_key(""), "");
  EXPECT_EQ(mask_key("a/"), "a/");
  EXPECT_EQ(mask_key("/x/y"), "/x/y");
  EXPECT_EQ(mask_key(".bashrc"), ".ba…");
}

}  // namespace
}  // namespace sseccoe::util
