// Other years and institutions, and the formatting quirks of text exports:
// nothing about 2021, INM or 15 activities is built in.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "catalog/pat_import.hpp"
#include "support.hpp"

namespace sseccoe::catalog {
namespace {

bool has_warning(const ImportResult& r, const std::string& part) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

ImportResult import_string(const std::string& s, const ImportOptions& o = {}) {
  std::istringstream in(s);
  return import_pat_text(in, o);
}

// A 2022 program of another institution: 5 activities in 3 indicators, one
// indicator table repeated after a page break, spaced keys, a count goal.
const char* const k2022 =
    "SECRETARÍA DE HACIENDA Y CRÉDITO PÚBLICO\n"
    "\n"
    "**COMITÉ DE ÉTICA**\n"
    "\n"
    "**PROGRAMA ANUAL DE TRABAJO\n"
    "PAT 2022**\n"
    "\n"
    "PRESENTACIÓN.\n"
    "El Comité de Ética de la SHCP presenta su programa para el ejercicio 2022; el programa considera "
    "**5 Actividades**.\n"
    "\n"
    "I. Capacitación.\n"
    "\n"
    "Indicador\tIndicador de capacitación.\t\t\n"
    "Objetivo\tCapacitar a las personas servidoras públicas de la SHCP.\n"
    "Meta\tAl finalizar 2022, al menos 40% de las personas servidoras públicas se capacitan.\n"
    "Clave actividad\tActividad\tFecha\t\tMecanismo de verificación\tRiesgos\n"
    "\t\tInicio\tFin\t\t\n"
    "1. 1. 1.\tAcreditar un curso de ética.\t10/01/2022\t30/11/2022\tConstancia o captura de pantalla del curso.\t<b>Cargas de trabajo.</b>\n"
    "\n"
    "I. Capacitación.\n"
    "\n"
    "Indicador\tIndicador de capacitación.\n"
    "Objetivo\tCapacitar a las personas servidoras públicas de la SHCP.\n"
    "Meta\tAl finalizar 2022, al menos 40% de las personas servidoras públicas se capacitan.\n"
    "Clave actividad\tActividad\tFecha\t\tMecanismo de verificación\tRiesgos\n"
    "1.1.2.\tDifundir la oferta de cursos.\t10/01/2022\t30/11/2022\tConstancia o captura de pantalla.\tNinguno.\n"
    "\n"
    "II. Gestión\n"
    "\n"
    "Indicador\tIndicador de sesiones.\n"
    "Objetivo\tSesionar con regularidad.\n"
    "Meta\tCelebrar al menos cuatro sesiones ordinarias durante 2022.\n"
    "Clave actividad\tActividad\tFecha\t\tMecanismo de verificación\tRiesgos\n"
    "2.1.1.\tCelebrar las sesiones ordinarias.\t01/02/2022\t15/12/2022\tReporte de Integrantes de los Comités.\tNinguno.\n"
    "2.1.2.\tRendir protesta del Código de Conducta.\t01/02/2022\t15/12/2022\tRegistro en el SSECCOE.\tNinguno.\n"
    "\n"
    "Indicador\tIndicador de buenas prácticas.\n"
    "Objetivo\tCompartir buenas prácticas.\n"
    "Meta\tPresentar por lo menos dos buenas prácticas a la UEPPCI.\n"
    "Clave actividad\tActividad\tFecha\t\tMecanismo de verificación\tRiesgos\n"
    "2.2.1.\tInformar a la UEPPCI.\t01/03/2022\t31/10/2022\tImagen digitalizada de envío de correo electrónico a la UEPPCI.\tNinguno.\n";

TEST(PatImportOtherYears, A2022ProgramOfAnotherInstitution) {
  const auto r = import_string(k2022);
  const auto& c = r.catalog;
  EXPECT_EQ(c.program, "PAT-2022");
  EXPECT_EQ(c.year, 2022);
  EXPECT_EQ(c.institution, "SHCP");
  EXPECT_EQ(c.institution_name, "SECRETARÍA DE HACIENDA Y CRÉDITO PÚBLICO");
  EXPECT_EQ(c.title, "PROGRAMA ANUAL DE TRABAJO PAT 2022");
  ASSERT_EQ(c.activities.size(), 5u);
  ASSERT_EQ(c.indicators.size(), 3u);

  // The repeated 1.1 table is one indicator with both activities.
  EXPECT_EQ(c.indicator("1.1")->activities, (std::vector<std::string>{"1.1.1", "1.1.2"}));
  EXPECT_EQ(c.indicator("1.1")->goal.value, 40);
  EXPECT_EQ(c.indicator("2.1")->goal.unit, "count");
  EXPECT_EQ(c.indicator("2.1")->goal.value, 4);
  EXPECT_EQ(c.indicator("2.1")->section_title, "Gestión");
  EXPECT_EQ(c.indicator("2.2")->goal.value, 2);

  EXPECT_EQ(c.activity("1.1.1")->risks, "Cargas de trabajo.");
  EXPECT_EQ(c.activity("1.1.1")->window.start, "2022-01-10");
  EXPECT_EQ(c.activity("2.1.1")->evidence_kinds, std::vector<std::string>{"committee_roster"});
  EXPECT_EQ(c.activity("2.1.2")->evidence_kinds, std::vector<std::string>{"conduct_pledge"});
  EXPECT_EQ(c.activity("2.2.1")->evidence_kinds, std::vector<std::string>{"email_dispatch"});
  EXPECT_TRUE(r.warnings.empty()) << ::testing::PrintToString(r.warnings);
}

TEST(PatImportOtherYears, AnnouncedCountThatDoesNotMatchIsWarned) {
  const auto r = import_string(testing::replace_once(k2022, "**5 Actividades**", "**6 Actividades**"));
  EXPECT_TRUE(has_warning(r, "announces 6 activities but has 5"));
}

TEST(PatImportOtherYears, Latin1InputKeepsItsAccents) {
  const std::string utf8 = testing::seed();
  std::istringstream a(utf8), b(testing::to_latin1(utf8));
  const auto from_utf8 = import_pat_text(a);
  const auto from_latin1 = import_pat_text(b);
  EXPECT_EQ(model::catalog_to_pretty_json(from_latin1.catalog), model::catalog_to_pretty_json(from_utf8.catalog));
  EXPECT_EQ(from_latin1.catalog.institution_name, "INSTITUTO NACIONAL DE MIGRACIÓN");
  EXPECT_TRUE(has_warning(from_latin1, "were not valid UTF-8 and were read as Windows-1252"));
}

TEST(PatImportOtherYears, Windows1252PunctuationIsDecoded) {
  // 0x93/0x94 are curly quotes and 0x96 an en dash in Windows-1252.
  const std::string doc = testing::replace_once(testing::to_latin1(testing::seed()), "\"buena(s) pr\xE1" "ctica(s)\"",
                                                "\x93" "buena pr\xE1" "ctica\x94 \x96 2021");
  std::istringstream in(doc);
  const auto r = import_pat_text(in);
  EXPECT_NE(r.catalog.activity("5.2.1")->text.find("\u201Cbuena práctica\u201D \u2013 2021"), std::string::npos)
      << r.catalog.activity("5.2.1")->text;
}

TEST(PatImportOtherYears, CrlfAndBomChangeNothing) {
  const std::string utf8 = testing::seed();
  std::istringstream a(utf8), b("\xEF\xBB\xBF" + testing::replace_all(utf8, "\n", "\r\n"));
  const auto plain = import_pat_text(a);
  const auto windows = import_pat_text(b);
  EXPECT_EQ(model::catalog_to_pretty_json(windows.catalog), model::catalog_to_pretty_json(plain.catalog));
  EXPECT_EQ(windows.warnings, plain.warnings);
}

TEST(PatImportOtherYears, OldMacLineEndsWork) {
  std::istringstream in(testing::replace_all(testing::seed(), "\n", "\r"));
  EXPECT_EQ(import_pat_text(in).catalog.activities.size(), 15u);
}

TEST(PatImportOtherYears, RowsWithEmptyCellsBetweenValues) {
  // Word sometimes exports merged cells as extra tabs: empty cells are skipped.
  const std::string doc = testing::replace_once(
      k2022, "2.1.1.\tCelebrar las sesiones ordinarias.\t01/02/2022",
      "2.1.1.\t\tCelebrar las sesiones ordinarias.\t\t01/02/2022\t");
  const auto r = import_string(doc);
  EXPECT_EQ(r.catalog.activity("2.1.1")->text, "Celebrar las sesiones ordinarias.");
  EXPECT_EQ(r.catalog.activity("2.1.1")->window.start, "2022-02-01");
}

TEST(PatImportOtherYears, MissingRisksAndUnmappedVerificationAreWarnings) {
  std::string doc = testing::replace_once(
      k2022, "\tReporte de Integrantes de los Comités.\tNinguno.\n", "\tActa de la sesión firmada.\n");
  const auto r = import_string(doc);
  const auto* a = r.catalog.activity("2.1.1");
  EXPECT_TRUE(a->evidence_kinds.empty());
  EXPECT_EQ(a->risks, "");
  EXPECT_TRUE(has_warning(r, "activity 2.1.1 (line 34): no risks cell"));
  EXPECT_TRUE(has_warning(r, "activity 2.1.1 (line 34): no evidence-kind rule matches"));
}

TEST(PatImportOtherYears, GoalWithoutNumberIsKeptAsText) {
  const auto r = import_string(testing::replace_once(k2022, "Celebrar al menos cuatro sesiones ordinarias durante 2022.",
                                                     "Sesionar conforme a los Lineamientos."));
  const auto* i = r.catalog.indicator("2.1");
  EXPECT_EQ(i->goal.unit, "");
  EXPECT_EQ(i->goal_text, "Sesionar conforme a los Lineamientos.");
  EXPECT_TRUE(has_warning(r, "indicator 2.1 (line 30): no number in its goal"));
}

TEST(PatImportOtherYears, SectionNumberThatDisagreesWithKeysIsWarned) {
  const auto r = import_string(testing::replace_once(k2022, "II. Gestión", "III. Gestión"));
  EXPECT_TRUE(has_warning(r, "stands under section III but its activities are numbered 2.1.x"));
}

TEST(PatImportOtherYears, AcronymGuessedWhenTheNameHasNoInitialsInTheText) {
  std::string doc = testing::replace_once(k2022, "SECRETARÍA DE HACIENDA Y CRÉDITO PÚBLICO", "PETRÓLEOS MEXICANOS");
  doc = testing::replace_all(doc, "SHCP", "PEMEX");
  const auto r = import_string(doc);
  EXPECT_EQ(r.catalog.institution, "PEMEX");
  EXPECT_EQ(r.catalog.institution_name, "PETRÓLEOS MEXICANOS");
  EXPECT_TRUE(has_warning(r, "institution acronym 'PEMEX' guessed from 3 mentions"));
}

TEST(PatImportOtherYears, FileErrorsNameTheFile) {
  try {
    import_pat_file("/nonexistent/PAT.txt");
    FAIL() << "expected ImportError";
  } catch (const ImportError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/PAT.txt: cannot open the PAT document for reading");
  }
}

}  // namespace
}  // namespace sseccoe::catalog
