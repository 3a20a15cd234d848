// Reading certificate texts with the shipped templates (config/templates/),
// and the text handling behind it (core/extract/templates.cpp). The texts
// are as poppler gives them: line breaks where the PDF has them, names in
// capitals, two columns one after the other. template_pdf_test.cpp runs
// similar texts through real PDFs and pdftotext.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "extract/certificate.hpp"
#include "extract/templates.hpp"

namespace sseccoe::core::extract {
namespace {

namespace td = template_detail;

const TemplateSet& shipped() {
  static const TemplateSet set = TemplateSet::load({std::string(SSECCOE_SOURCE_DIR) + "/config/templates"});
  return set;
}

std::string field(const CertificateReading& r, const std::string& name) {
  auto it = r.fields.find(name);
  return it == r.fields.end() ? "(unread)" : it->second.value;
}

// A valid CURP (check digit included), the demo generator's kind.
constexpr const char* kCurp = "LOXA850304MDFPXN05";

TEST(TemplateRead, ShippedTemplatesLoad) { EXPECT_GE(shipped().size(), 5u); }

TEST(TemplateRead, SicavispOtorgaLaPresenteConstanciaA) {
  const std::string text =
      "SECRETARÍA DE LA FUNCIÓN PÚBLICA\n"
      "La Secretaría de la Función Pública otorga la presente\n"
      "CONSTANCIA\n"
      "a:\n"
      "MARÍA DE LOS ÁNGELES LÓPEZ ÑÚÑEZ\n"
      "por haber acreditado el curso\n"
      "«Los conflictos de intereses en el ejercicio del servicio público»\n"
      "con una duración de 20 horas, impartido en la plataforma SICAVISP.\n"
      "Folio: SICAVISP-2021-00123\n"
      "Ciudad de México, a 14 de mayo de 2021\n";
  const auto r = shipped().read({text});
  EXPECT_EQ(r.template_id, "sicavisp-otorga");
  EXPECT_NE(r.template_file.find("10-sicavisp-otorga.toml"), std::string::npos);
  EXPECT_EQ(field(r, "name"), "María de los Ángeles López Ñúñez");
  EXPECT_EQ(field(r, "course"), "Los conflictos de intereses en el ejercicio del servicio público");
  EXPECT_EQ(field(r, "hours"), "20");
  EXPECT_EQ(field(r, "occurred_on"), "2021-05-14");
  EXPECT_EQ(field(r, "certificate_folio"), "SICAVISP-2021-00123");
  EXPECT_EQ(field(r, "curp"), "(unread)");
  EXPECT_TRUE(r.unread.empty());
  EXPECT_NE(r.fields.at("name").source.find("MARÍA DE LOS ÁNGELES"), std::string::npos);
  EXPECT_NE(r.fields.at("occurred_on").source.find("14 de mayo de 2021"), std::string::npos);
}

// What pdftotext reads from demo/demogen/documents.py's certificate_pdf.
TEST(TemplateRead, DemoGeneratorCertificate) {
  const std::string text =
      "SECRETARÍA DE LA FUNCIÓN PÚBLICA\n"
      "Unidad de Ética Pública y Prevención de Conflictos de Interés\n"
      "CONSTANCIA\n"
      "Se otorga la presente a\n"
      "José Luis Hernández Ávila\n"
      "CURP: " + std::string(kCurp) + "\n"
      "por haber acreditado el curso en línea\n"
      "“La Nueva Ética e Integridad en el Servicio Público”\n"
      "con una duración de 20 horas, concluido el 3 de septiembre de 2021.\n"
      "Unidad de Ética Pública y Prevención de Conflictos de Interés\n"
      "Plataforma: Secretaría de la Función Pública — SICAVISP\n"
      "Folio: UEPPCI-2021-004512\n"
      "Fecha de conclusión: 03/09/2021 Ciudad de México, a 3 de septiembre de 2021\n";
  const auto r = shipped().read({text});
  EXPECT_EQ(r.template_id, "sicavisp-otorga");
  EXPECT_EQ(field(r, "name"), "José Luis Hernández Ávila");
  EXPECT_EQ(field(r, "curp"), kCurp);
  EXPECT_EQ(field(r, "course"), "La Nueva Ética e Integridad en el Servicio Público");
  EXPECT_EQ(field(r, "hours"), "20");
  EXPECT_EQ(field(r, "occurred_on"), "2021-09-03");
  EXPECT_EQ(field(r, "certificate_folio"), "UEPPCI-2021-004512");
  EXPECT_TRUE(r.unread.empty());
}

TEST(TemplateRead, CepciHaceConstar) {
  const std::string text =
      "COMITÉ DE ÉTICA DEL INSTITUTO NACIONAL DE MIGRACIÓN\n"
      "Se hace constar que\n"
      "JUAN CARLOS DE LA O MARTÍNEZ\n"
      "acreditó el curso «La Nueva Ética e Integridad en el Servicio Público»\n"
      "con duración de 30 horas, concluido el 3 de septiembre del 2021.\n";
  const auto r = shipped().read({text});
  EXPECT_EQ(r.template_id, "cepci-hace-constar");
  EXPECT_EQ(field(r, "name"), "Juan Carlos de la O Martínez");
  EXPECT_EQ(field(r, "course"), "La Nueva Ética e Integridad en el Servicio Público");
  EXPECT_EQ(field(r, "hours"), "30");
  EXPECT_EQ(field(r, "occurred_on"), "2021-09-03");
  EXPECT_TRUE(r.unread.empty());
}

TEST(TemplateRead, CepciHaceConstarWithCurpAndDateInWords) {
  const std::string text =
      "La Unidad de Ética Pública y Prevención de Conflictos de Interés hace constar que la C. ANA "
      "SOFÍA\nPÉREZ-\nGARCÍA, con CURP " + std::string(kCurp) + ", concluyó satisfactoriamente el curso en "
      "línea Introducción a la Ley Federal de Austeridad Republicana, con una duración de cinco horas. Se "
      "extiende la presente a los catorce días del mes de mayo de dos mil veintiuno.";
  const auto r = shipped().read({text});
  EXPECT_EQ(r.template_id, "cepci-hace-constar");
  EXPECT_EQ(field(r, "name"), "Ana Sofía Pérez-García");
  EXPECT_EQ(field(r, "curp"), kCurp);
  EXPECT_EQ(field(r, "course"), "Introducción a la Ley Federal de Austeridad Republicana");
  EXPECT_EQ(field(r, "hours"), "5");
  EXPECT_EQ(field(r, "occurred_on"), "2021-05-14");
}

TEST(TemplateRead, FormRowByRow) {
  const std::string text =
      "CONSTANCIA DE ACREDITACIÓN\n"
      "Nombre: ROBERTO IBÁÑEZ DEL RÍO CURP: " + std::string(kCurp) + "\n"
      "Curso: Los conflictos de intereses en el ejercicio del servicio público\n"
      "Horas: 10\n"
      "Fecha de conclusión: 14/05/2021\n"
      "Folio: ABC-123\n";
  const auto r = shipped().read({text});
  EXPECT_EQ(r.template_id, "constancia-formulario");
  EXPECT_EQ(field(r, "name"), "Roberto Ibáñez del Río");
  EXPECT_EQ(field(r, "curp"), kCurp);
  EXPECT_EQ(field(r, "course"), "Los conflictos de intereses en el ejercicio del servicio público");
  EXPECT_EQ(field(r, "hours"), "10");
  EXPECT_EQ(field(r, "occurred_on"), "2021-05-14");
  EXPECT_EQ(field(r, "certificate_folio"), "ABC-123");
}

TEST(TemplateRead, FormColumnByColumn) {
  const std::string text =
      "CONSTANCIA DE ACREDITACIÓN\n"
      "Nombre:\nCURP:\nCurso:\nHoras:\nFecha de conclusión:\nFolio:\n"
      "ROBERTO IBÁÑEZ DEL RÍO\n" + std::string(kCurp) + "\n"
      "Los conflictos de intereses en el ejercicio del servicio público\n30\n14/05/2021\nABC-123\n";
  const auto r = shipped().read({text});
  EXPECT_EQ(r.template_id, "constancia-formulario");
  EXPECT_EQ(field(r, "name"), "Roberto Ibáñez del Río");
  EXPECT_EQ(field(r, "curp"), kCurp);
  EXPECT_EQ(field(r, "course"), "Los conflictos de intereses en el ejercicio del servicio público");
  EXPECT_EQ(field(r, "hours"), "30");
  EXPECT_EQ(field(r, "occurred_on"), "2021-05-14");
  EXPECT_EQ(field(r, "certificate_folio"), "ABC-123");
}

TEST(TemplateRead, ReconocimientoConapred) {
  const std::string text =
      "CONSEJO NACIONAL PARA PREVENIR LA DISCRIMINACIÓN\n"
      "otorga el presente\nRECONOCIMIENTO\na\nLUIS ÁNGEL TORRES Y SOLÍS\n"
      "por su participación en el curso «El ABC de la igualdad y la no discriminación», "
      "con duración de 10 horas.\nCiudad de México, 1o. de julio de 2021\n";
  const auto r = shipped().read({text});
  EXPECT_EQ(r.template_id, "reconocimiento-diploma");
  EXPECT_EQ(field(r, "name"), "Luis Ángel Torres y Solís");
  EXPECT_EQ(field(r, "course"), "El ABC de la igualdad y la no discriminación");
  EXPECT_EQ(field(r, "hours"), "10");
  EXPECT_EQ(field(r, "occurred_on"), "2021-07-01");
}

// What pdftotext reads from tests/e2e/mailgen.py's certificate_pdf.
TEST(TemplateRead, EndToEndMailgenCertificate) {
  const auto r = shipped().read({"CONSTANCIA\nSe otorga a Ana Pérez\npor acreditar el curso Ética pública\nFolio "
                                 "SICAVISP-2021-00001\n\f"});
  EXPECT_EQ(r.template_id, "otorga-acreditar");
  EXPECT_EQ(field(r, "name"), "Ana Pérez");
  EXPECT_EQ(field(r, "course"), "Ética pública");
  EXPECT_EQ(field(r, "certificate_folio"), "SICAVISP-2021-00001");
  EXPECT_EQ(r.unread, std::vector<std::string>{"occurred_on"});  // it prints no date
}

TEST(TemplateRead, TwoPagesAreOneText) {
  const auto r = shipped().read({"Se hace constar que MARTA RUIZ acreditó el curso «Ética»",
                                 "con duración de 5 horas, concluido el 2 de marzo de 2021"});
  EXPECT_EQ(field(r, "name"), "Marta Ruiz");
  EXPECT_EQ(field(r, "occurred_on"), "2021-03-02");
}

TEST(TemplateRead, InvalidCurpAndImpossibleDateAreUnread) {
  const auto r = shipped().read({"Se hace constar que MARTA RUIZ, con CURP LOXA850304MDFPXN09, acreditó el curso "
                                 "«Ética» con duración de 5 horas, concluido el 31 de febrero de 2021"});
  EXPECT_EQ(r.template_id, "cepci-hace-constar");
  EXPECT_EQ(field(r, "curp"), "(unread)");  // the check digit is wrong
  EXPECT_EQ(field(r, "occurred_on"), "(unread)");
  EXPECT_EQ(r.unread, std::vector<std::string>{"occurred_on"});
}

TEST(TemplateRead, NoTextOrNoTemplate) {
  const std::vector<std::string> all = kRequiredCertificateFields;
  for (const auto& pages : std::vector<std::vector<std::string>>{
           {}, {""}, {" \n\f \t "}, {"Lista de asistencia de la primera sesión ordinaria"}}) {
    const auto r = shipped().read(pages);
    EXPECT_EQ(r.template_id, "");
    EXPECT_EQ(r.template_file, "");
    EXPECT_TRUE(r.fields.empty());
    EXPECT_EQ(r.unread, all);
  }
  const TemplateSet empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.read({"Se hace constar que MARTA RUIZ acreditó el curso «Ética»"}).unread, all);
}

TEST(TemplateRead, InvalidUtf8DoesNotThrow) {
  std::string text = "Se hace constar que MAR\xcd" "A RUIZ acredit\xf3 el curso \xab\xc9tica\xbb con duraci\xf3n de 5 "
                     "horas, concluido el 2 de marzo de 2021 \xff\xfe\xc3";
  CertificateReading r;
  EXPECT_NO_THROW(r = shipped().read({text, "\xed\xa0\x80", std::string("a\0b", 3)}));
  EXPECT_EQ(r.template_id, "cepci-hace-constar");
  EXPECT_EQ(field(r, "occurred_on"), "2021-03-02");
  EXPECT_EQ(field(r, "name"), "(unread)");  // "MAR\uFFFDA RUIZ" is no name
}

// How fast is bench's business (bench/extract); here: a megabyte of noise
// neither throws nor invents fields.
TEST(TemplateRead, OneMegabyteOfTextIsReadWithoutInventingFields) {
  std::string filler;
  while (filler.size() < (1u << 20)) filler += "constancia a por haber acreditado el curso horas de folio: 14 de ";
  auto r = shipped().read({filler});
  EXPECT_EQ(r.unread, kRequiredCertificateFields);
  // A real certificate at the end of a megabyte of noise: past the limit of
  // what is read, or read, but never slow.
  r = shipped().read({filler + " Se hace constar que ANA RUIZ acreditó el curso «Ética» concluido el 2 de marzo de 2021"});
  std::string words;
  while (words.size() < (1u << 20)) words += "MARÍA ";
  EXPECT_NO_THROW(shipped().read({"Se hace constar que " + words + " acreditó el curso «Ética»"}));
}

TEST(TemplateText, Normalise) {
  EXPECT_EQ(td::normalise_text({"  La  capaci-\ntación\r\n del\u00a0personal \f"}), "La capacitación del personal");
  EXPECT_EQ(td::normalise_text({"PÉREZ-\nLÓPEZ", "SFP-2021-\n000123"}), "PÉREZ-LÓPEZ SFP-2021-000123");
  EXPECT_EQ(td::normalise_text({"Servicio - \npúblico"}), "Servicio - público");  // not a broken word
  EXPECT_EQ(td::normalise_text({"e\u0301tica \u00adsoft\u00ad\nhyphen \ufb01n\u200b"}), "\u00e9tica softhyphen fin");
  EXPECT_EQ(td::normalise_text({"a\xff" "b"}), "a\ufffdb");
  EXPECT_EQ(td::normalise_text({"", " ", "x"}), "x");
}

TEST(TemplateText, Names) {
  EXPECT_EQ(td::tidy_name("MARÍA DE LOS ÁNGELES LÓPEZ"), "María de los Ángeles López");
  EXPECT_EQ(td::tidy_name(" «JOSÉ DEL VALLE Y GARCÍA», "), "José del Valle y García");
  EXPECT_EQ(td::tidy_name("DE LA CRUZ PÉREZ-LÓPEZ ÑUÑO"), "De la Cruz Pérez-López Ñuño");
  EXPECT_EQ(td::tidy_name("C. LUCÍA O'BRIEN"), "Lucía O'Brien");
  EXPECT_EQ(td::tidy_name("Ana de la Fuente"), "Ana de la Fuente");  // mixed case: as printed
  EXPECT_EQ(td::tidy_name("McDONALD"), "McDONALD");
  EXPECT_EQ(td::field_value("name", "ANA 123"), std::nullopt);
  EXPECT_EQ(td::field_value("name", " , "), std::nullopt);
}

TEST(TemplateText, FieldValues) {
  EXPECT_EQ(td::field_value("hours", "20"), "20");
  EXPECT_EQ(td::field_value("hours", "020 (veinte)"), "20");
  EXPECT_EQ(td::field_value("hours", "veinticinco"), "25");
  EXPECT_EQ(td::field_value("hours", "0"), std::nullopt);
  EXPECT_EQ(td::field_value("hours", "muchas"), std::nullopt);
  EXPECT_EQ(td::field_value("curp", "loxa850304mdfpxn05"), kCurp);
  EXPECT_EQ(td::field_value("curp", "LOXA850304MDFPXN06"), std::nullopt);
  EXPECT_EQ(td::field_value("occurred_on", "14 DE MAYO DE 2021"), "2021-05-14");
  EXPECT_EQ(td::field_value("certificate_folio", "FECHA"), std::nullopt);
  EXPECT_EQ(td::field_value("certificate_folio", "ABC-123."), "ABC-123");
  EXPECT_EQ(td::field_value("course", "“Ética pública”."), "Ética pública");
}

TEST(TemplateText, CutUtf8) {
  EXPECT_EQ(td::cut_utf8("ááá", 3), "á");
  EXPECT_EQ(td::cut_utf8("ááá", 4), "áá");
  EXPECT_EQ(td::cut_utf8("abc", 10), "abc");
  const auto r = shipped().read({"Se hace constar que ANA RUIZ acreditó el curso «" + std::string(150, 'x') +
                                 " ñññññññññññññññññññññññññññññññññññññññññññññññññ» concluido el 2 de marzo de 2021"});
  ASSERT_TRUE(r.fields.count("course"));
  EXPECT_LE(r.fields.at("course").source.size(), 200u);
}

}  // namespace
}  // namespace sseccoe::core::extract
