// Certificate texts through real PDFs: a tiny PDF writer (Helvetica,
// WinAnsi) lays the text out as certificates do (centred lines, two
// columns, two pages), Debian's pdftotext (poppler-utils) reads it back,
// both as `pdftotext -raw` (the order of the content stream) and in its
// default mode (poppler's reading order, what sseccoe-reader asks
// poppler-cpp for), and the shipped templates read the result. The demo's
// and the end-to-end tests' own generators (demo/demogen, tests/e2e/mailgen.py)
// are run too when python3 is there. Skipped when pdftotext is absent.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "extract/certificate.hpp"
#include "need.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::core::extract {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "sseccoe-tplpdf-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

bool have(const char* program) {
  return std::system(("command -v " + std::string(program) + " >/dev/null 2>&1").c_str()) == 0;
}

// UTF-8 to WinAnsi (cp1252) for a PDF string; characters it lacks become '?'.
std::string win_ansi(const std::string& utf8) {
  std::string out;
  for (char32_t cp : sdk::utf8::code_points(utf8)) {
    char c = '?';
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) c = static_cast<char>(cp);
    else if (cp == 0x201C) c = '\x93';
    else if (cp == 0x201D) c = '\x94';
    else if (cp == 0x2018) c = '\x91';
    else if (cp == 0x2019) c = '\x92';
    else if (cp == 0x2013) c = '\x96';
    else if (cp == 0x2014) c = '\x97';
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

struct Text {
  int x, y, size;
  std::string text;
};
using Page = std::vector<Text>;

// A PDF whose pages draw `pages`' texts in the order given (A4 landscape).
std::string pdf(const std::vector<Page>& pages) {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", "",
                                      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"};
  std::string kids;
  for (const auto& page : pages) {
    std::string content;
    for (const auto& t : page)
      content += "BT /F1 " + std::to_string(t.size) + " Tf " + std::to_string(t.x) + " " + std::to_string(t.y) +
                 " Td (" + win_ansi(t.text) + ") Tj ET\n";
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
    const std::size_t content_id = objects.size();
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 3 0 R >> >> "
                      "/Contents " + std::to_string(content_id) + " 0 R >>");
    kids += std::to_string(objects.size()) + " 0 R ";
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>";
  std::string out = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (auto off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The pages pdftotext reads from the PDF file `file` ("-raw" or "" for the default mode).
std::vector<std::string> pdftotext(const fs::path& file, const std::string& mode) {
  const fs::path out = file.string() + (mode.empty() ? ".default" : ".raw") + ".txt";
  const std::string cmd = "pdftotext " + mode + " -enc UTF-8 '" + file.string() + "' '" + out.string() + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return {};
  std::vector<std::string> pages;
  std::string text = slurp(out), page;
  for (char c : text) {
    if (c == '\f') {
      pages.push_back(page);
      page.clear();
    } else {
      page += c;
    }
  }
  if (!page.empty()) pages.push_back(page);
  return pages;
}

class TemplatePdf : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have("pdftotext")) SSECCOE_MISSING("pdftotext (poppler-utils) is not installed");
  }
  // Readings of the PDF in both modes of pdftotext.
  std::vector<CertificateReading> read(const std::vector<Page>& pages) {
    const fs::path file = tmp_.path() / ("c" + std::to_string(++n_) + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf(pages);
    return read_file(file);
  }
  std::vector<CertificateReading> read_file(const fs::path& file) {
    std::vector<CertificateReading> out;
    for (const char* mode : {"-raw", ""}) {
      const auto text = pdftotext(file, mode);
      EXPECT_FALSE(text.empty()) << "pdftotext " << mode << " read nothing from " << file;
      out.push_back(set_.read(text));
      std::string joined;
      for (const auto& p : text) joined += p + "\\f";
      last_text_.push_back(std::string(mode) + ": " + joined);
    }
    return out;
  }
  static std::string field(const CertificateReading& r, const std::string& name) {
    auto it = r.fields.find(name);
    return it == r.fields.end() ? "(unread)" : it->second.value;
  }
  std::string texts() const {
    std::string s;
    for (const auto& t : last_text_) s += t + "\n";
    return s;
  }

  TempDir tmp_;
  int n_ = 0;
  std::vector<std::string> last_text_;
  TemplateSet set_ = TemplateSet::load({std::string(SSECCOE_SOURCE_DIR) + "/config/templates"});
};

constexpr const char* kCurp = "LOXA850304MDFPXN05";

TEST_F(TemplatePdf, SicavispCapitalsAndGuillemets) {
  const Page page = {
      {250, 540, 16, "SECRETARÍA DE LA FUNCIÓN PÚBLICA"},
      {200, 500, 12, "La Secretaría de la Función Pública otorga la presente"},
      {330, 460, 30, "CONSTANCIA"},
      {400, 430, 12, "a:"},
      {230, 400, 22, "MARÍA DE LOS ÁNGELES LÓPEZ ÑÚÑEZ"},
      {320, 370, 12, "por haber acreditado el curso"},
      {150, 345, 14, "«Los conflictos de intereses en el ejercicio del servicio público»"},
      {250, 320, 12, "con una duración de 20 horas."},
      {60, 80, 9, "Folio: SICAVISP-2021-00123"},
      {560, 80, 9, "Ciudad de México, a 14 de mayo de 2021"},
  };
  for (const auto& r : read({page})) {
    EXPECT_EQ(r.template_id, "sicavisp-otorga") << texts();
    EXPECT_EQ(field(r, "name"), "María de los Ángeles López Ñúñez") << texts();
    EXPECT_EQ(field(r, "course"), "Los conflictos de intereses en el ejercicio del servicio público") << texts();
    EXPECT_EQ(field(r, "hours"), "20");
    EXPECT_EQ(field(r, "occurred_on"), "2021-05-14") << texts();
    EXPECT_EQ(field(r, "certificate_folio"), "SICAVISP-2021-00123") << texts();
    EXPECT_TRUE(r.unread.empty());
  }
}

TEST_F(TemplatePdf, HaceConstarDateInWordsAndBrokenWord) {
  const Page page = {
      {72, 520, 12, "El Comité de Ética del Instituto Nacional de Migración hace constar que"},
      {72, 500, 12, "JUAN CARLOS DE LA O MARTÍNEZ, con CURP " + std::string(kCurp) + ", acreditó el curso de capaci-"},
      {72, 480, 12, "tación «La Nueva Ética e Integridad en el Servicio Público» con duración de"},
      {72, 460, 12, "treinta horas. Se expide a los catorce días del mes de mayo de dos mil"},
      {72, 440, 12, "veintiuno, en la Ciudad de México."},
  };
  for (const auto& r : read({page})) {
    EXPECT_EQ(r.template_id, "cepci-hace-constar") << texts();
    EXPECT_EQ(field(r, "name"), "Juan Carlos de la O Martínez") << texts();
    EXPECT_EQ(field(r, "curp"), kCurp);
    EXPECT_EQ(field(r, "course"), "La Nueva Ética e Integridad en el Servicio Público") << texts();
    EXPECT_EQ(field(r, "hours"), "30") << texts();
    EXPECT_EQ(field(r, "occurred_on"), "2021-05-14") << texts();
  }
}

const std::vector<std::string> kLabels = {"Nombre:", "CURP:", "Curso:", "Horas:", "Fecha de conclusión:", "Folio:"};
const std::vector<std::string> kValues = {"ROBERTO IBÁÑEZ DEL RÍO", kCurp,
                                          "Los conflictos de intereses en el ejercicio del servicio público", "30",
                                          "14/05/2021", "ABC-123"};

void expect_form(const CertificateReading& r, const std::string& texts) {
  EXPECT_EQ(r.template_id, "constancia-formulario") << texts;
  EXPECT_EQ(r.fields.count("name") ? r.fields.at("name").value : "", "Roberto Ibáñez del Río") << texts;
  EXPECT_EQ(r.fields.count("curp") ? r.fields.at("curp").value : "", kCurp) << texts;
  EXPECT_EQ(r.fields.count("course") ? r.fields.at("course").value : "",
            "Los conflictos de intereses en el ejercicio del servicio público") << texts;
  EXPECT_EQ(r.fields.count("hours") ? r.fields.at("hours").value : "", "30") << texts;
  EXPECT_EQ(r.fields.count("occurred_on") ? r.fields.at("occurred_on").value : "", "2021-05-14") << texts;
  EXPECT_EQ(r.fields.count("certificate_folio") ? r.fields.at("certificate_folio").value : "", "ABC-123") << texts;
}

TEST_F(TemplatePdf, FormTwoColumnsDrawnColumnByColumn) {
  Page page = {{300, 540, 18, "CONSTANCIA DE ACREDITACIÓN"}};
  for (std::size_t i = 0; i < kLabels.size(); ++i) page.push_back({72, 480 - 24 * static_cast<int>(i), 11, kLabels[i]});
  for (std::size_t i = 0; i < kValues.size(); ++i) page.push_back({330, 480 - 24 * static_cast<int>(i), 11, kValues[i]});
  for (const auto& r : read({page})) expect_form(r, texts());
}

TEST_F(TemplatePdf, FormTwoColumnsDrawnRowByRow) {
  Page page = {{300, 540, 18, "CONSTANCIA DE ACREDITACIÓN"}};
  for (std::size_t i = 0; i < kLabels.size(); ++i) {
    page.push_back({72, 480 - 24 * static_cast<int>(i), 11, kLabels[i]});
    page.push_back({330, 480 - 24 * static_cast<int>(i), 11, kValues[i]});
  }
  for (const auto& r : read({page})) expect_form(r, texts());
}

TEST_F(TemplatePdf, ReconocimientoOnTwoPages) {
  const Page first = {
      {250, 520, 14, "CONSEJO NACIONAL PARA PREVENIR LA DISCRIMINACIÓN"},
      {340, 480, 12, "otorga el presente"},
      {300, 440, 28, "RECONOCIMIENTO"},
      {410, 410, 12, "a"},
      {280, 380, 20, "LUIS ÁNGEL TORRES Y SOLÍS"},
      {150, 350, 12, "por su participación en el curso «El ABC de la igualdad y la no discriminación»,"},
      {300, 330, 12, "con duración de 10 horas."},
  };
  const Page second = {{72, 500, 10, "Fecha: 01/07/2021"}, {72, 480, 10, "Folio: CONAPRED-2021-778"}};
  for (const auto& r : read({first, second})) {
    EXPECT_EQ(r.template_id, "reconocimiento-diploma") << texts();
    EXPECT_EQ(field(r, "name"), "Luis Ángel Torres y Solís") << texts();
    EXPECT_EQ(field(r, "course"), "El ABC de la igualdad y la no discriminación") << texts();
    EXPECT_EQ(field(r, "hours"), "10");
    EXPECT_EQ(field(r, "occurred_on"), "2021-07-01") << texts();
    EXPECT_EQ(field(r, "certificate_folio"), "CONAPRED-2021-778") << texts();
  }
}

TEST_F(TemplatePdf, NotACertificate) {
  const Page page = {{72, 500, 12, "Minuta de la Primera Sesión Ordinaria"},
                     {72, 480, 12, "Celebrada el 14 de mayo de 2021 por videoconferencia."}};
  for (const auto& r : read({page})) {
    EXPECT_EQ(r.template_id, "");
    EXPECT_EQ(r.unread, kRequiredCertificateFields);
  }
}

// The project's own generators: what the demo and the end-to-end tests
// register must be read by the shipped templates.
TEST_F(TemplatePdf, DemoAndEndToEndGenerators) {
  if (!have("python3")) SSECCOE_MISSING("python3 is not installed");
  const std::string src = SSECCOE_SOURCE_DIR;
  const fs::path demo = tmp_.path() / "demo.pdf", e2e = tmp_.path() / "e2e.pdf";
  const std::string script =
      "import datetime as dt, sys\n"
      "sys.path[:0] = ['" + src + "/demo', '" + src + "/tests/e2e']\n"
      "from demogen import documents, people\n"
      "import mailgen\n"
      "b = dt.date(1985, 3, 4)\n"
      "p = people.Person('María de los Ángeles', 'López', 'Ñúñez', 'M', b,\n"
      "                  people.make_curp('López', 'Ñúñez', 'María de los Ángeles', b, 'M', 'DF', '0'), 'INM-000100')\n"
      "c = documents.Certificate(p, documents.COURSES[1], dt.date(2021, 9, 3), 'UEPPCI-2021-004512')\n"
      "open(sys.argv[1], 'wb').write(documents.certificate_pdf(c, dt.datetime(2021, 9, 3, 17, tzinfo=dt.timezone.utc)))\n"
      "open(sys.argv[2], 'wb').write(mailgen.certificate_pdf('Ana Pérez', 'Ética pública', 'SICAVISP-2021-00001'))\n"
      "print(p.curp)\n";
  const fs::path py = tmp_.path() / "gen.py";
  std::ofstream(py) << script;
  const fs::path curp_file = tmp_.path() / "curp.txt";
  const std::string cmd = "PYTHONDONTWRITEBYTECODE=1 python3 '" + py.string() + "' '" + demo.string() + "' '" +
                          e2e.string() + "' > '" + curp_file.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::string curp = slurp(curp_file);
  while (!curp.empty() && (curp.back() == '\n' || curp.back() == '\r')) curp.pop_back();
  for (const auto& r : read_file(demo)) {
    EXPECT_EQ(r.template_id, "sicavisp-otorga") << texts();
    EXPECT_EQ(field(r, "name"), "María de los Ángeles López Ñúñez") << texts();
    EXPECT_EQ(field(r, "curp"), curp) << texts();
    EXPECT_EQ(field(r, "course"), "La Nueva Ética e Integridad en el Servicio Público") << texts();
    EXPECT_EQ(field(r, "hours"), "20") << texts();
    EXPECT_EQ(field(r, "occurred_on"), "2021-09-03") << texts();
    EXPECT_EQ(field(r, "certificate_folio"), "UEPPCI-2021-004512") << texts();
    EXPECT_TRUE(r.unread.empty()) << texts();
  }
  last_text_.clear();
  for (const auto& r : read_file(e2e)) {
    EXPECT_EQ(r.template_id, "otorga-acreditar") << texts();
    EXPECT_EQ(field(r, "name"), "Ana Pérez") << texts();
    EXPECT_EQ(field(r, "course"), "Ética pública") << texts();
    EXPECT_EQ(field(r, "certificate_folio"), "SICAVISP-2021-00001") << texts();
    EXPECT_EQ(r.unread, std::vector<std::string>{"occurred_on"}) << texts();  // mailgen prints no date
  }
}

}  // namespace
}  // namespace sseccoe::core::extract
