// The SDK's identity helpers beyond the validators (which
// tests/unit/model/identity_test.cpp covers through the record model's
// names): canonical identifiers, comparison folding and name keys.
#include "sseccoe/sdk/identity.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sseccoe::sdk::identity {
namespace {

TEST(NameKey, OrderCaseAccentsPunctuationAndSpacesDoNotMatter) {
  EXPECT_EQ(name_key("LÓPEZ  Pérez, Ana María"), name_key("Ana Maria Lopez Perez"));
  EXPECT_EQ(name_key("Ana Maria Lopez Perez"), "ana lopez maria perez");
  EXPECT_EQ(name_key("  PÉREZ LÓPEZ,\tANA MARÍA  "), "ana lopez maria perez");
  EXPECT_EQ(name_key("Ana\u00A0María López-Pérez"), "ana lopez maria perez");  // no-break space, hyphen
  EXPECT_EQ(name_key("Peña Nieto, Enrique"), name_key("ENRIQUE PENA NIETO"));
  EXPECT_EQ(name_key("Gómez (Lic.) Juan"), "gomez juan lic");
}

TEST(NameKey, ComposedAndDecomposedAccentsAreTheSame) {
  // "é" as one code point and as "e" + combining acute accent.
  EXPECT_EQ(name_key("P\xC3\xA9rez"), name_key("Pe\xCC\x81rez"));
  EXPECT_EQ(name_key("Pe\xCC\x81rez"), "perez");
}

TEST(NameKey, ApostrophesJoinTheWord) {
  EXPECT_EQ(name_key("Sean O'Brien"), name_key("Sean OBrien"));
  EXPECT_EQ(name_key("Sean O\u2019Brien"), "obrien sean");  // typographic apostrophe
}

TEST(NameKey, DifferentNamesStayDifferent) {
  EXPECT_NE(name_key("Ana María López"), name_key("Ana María López Pérez"));
  EXPECT_NE(name_key("Juan Pérez"), name_key("Juana Pérez"));
  EXPECT_NE(name_key("José"), name_key("Josefina"));
}

TEST(NameKey, EmptyPunctuationOnlyMisEncodedAndHugeInput) {
  EXPECT_EQ(name_key(""), "");
  EXPECT_EQ(name_key("   "), "");
  EXPECT_EQ(name_key(",.;-"), "");
  // Broken UTF-8 never throws; a stray byte separates words.
  EXPECT_EQ(name_key("Jos\xE9 P\xE9rez"), "jos p rez");
  EXPECT_EQ(name_key("Ana \xC3"), "ana");
  const std::string huge(1 << 20, 'a');
  EXPECT_EQ(name_key(huge + " " + huge), huge + " " + huge);
  // Digits are kept (a generational suffix, a homonym's number).
  EXPECT_EQ(name_key("Juan Pérez 2"), "2 juan perez");
}

TEST(FoldText, CaseAccentsSpacesAndInvisibles) {
  EXPECT_EQ(fold_text("  Año de  Ingreso"), "ano de ingreso");
  EXPECT_EQ(fold_text("\xEF\xBB\xBF" "CURP"), "curp");           // byte-order mark
  EXPECT_EQ(fold_text("Fecha\u00A0de\tconclusión "), "fecha de conclusion");
  EXPECT_EQ(fold_text("ÉXITO"), "exito");
  EXPECT_EQ(fold_text("Stra\xC3\x9F" "e"), "strasse");            // case folding, not just lower-casing
  EXPECT_EQ(fold_text(""), "");
  EXPECT_EQ(fold_text("a\xFF" "b"), "a\xEF\xBF\xBD" "b");         // a broken byte becomes U+FFFD
}

TEST(Canonical, CurpAndRfcDropSpacesAndDashesAndUpperCase) {
  EXPECT_EQ(canonical_curp(" pegl-890909-mjcrms08 "), "PEGL890909MJCRMS08");
  EXPECT_EQ(canonical_curp("PEGL 890909 MJCRMS 08"), "PEGL890909MJCRMS08");
  EXPECT_EQ(canonical_curp("PEGL\u2013890909\u00A0MJCRMS08"), "PEGL890909MJCRMS08");  // en dash, no-break space
  EXPECT_EQ(curp_error(canonical_curp(" pegl-890909-mjcrms08 ")), "");
  EXPECT_EQ(canonical_rfc("gode-561231-gr8"), "GODE561231GR8");
  EXPECT_EQ(canonical_rfc("mu\xC3\xB1" "110218lj6"), "MU\xC3\x91" "110218LJ6");  // ñ -> Ñ
  EXPECT_EQ(canonical_rfc("MUN\xCC\x83" "110218LJ6"), "MU\xC3\x91" "110218LJ6");  // N + combining tilde
  EXPECT_EQ(rfc_error(canonical_rfc("mu\xC3\xB1-110218-lj6")), "");
}

TEST(Canonical, NothingElseChangesAndBrokenBytesStay) {
  EXPECT_EQ(canonical_curp("PEGL.890909"), "PEGL.890909");
  EXPECT_EQ(canonical_curp(""), "");
  EXPECT_EQ(canonical_curp(" - "), "");
  EXPECT_EQ(canonical_rfc("MU\xD1" "110218LJ6"), "MU\xD1" "110218LJ6");  // Latin-1 Ñ kept, then refused
  EXPECT_NE(rfc_error(canonical_rfc("MU\xD1" "110218LJ6")), "");
}

TEST(Identity, ModelNamesForwardToTheSdk) {
  // The record model keeps its names (core and registry use them); this
  // only checks the SDK side answers the same published examples.
  EXPECT_EQ(curp_error("BOXW310820HNERXN09"), "");
  EXPECT_TRUE(rfc_check_digit_ok("GODE561231GR8"));
  EXPECT_EQ(mask_curp("BOXW310820HNERXN09"), "BOXW******HNE***09");
  EXPECT_TRUE(is_iso_date("2020-02-29"));
}

}  // namespace
}  // namespace sseccoe::sdk::identity
