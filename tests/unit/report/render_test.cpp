// The terminal table and the JSON form of a progress report.
#include <gtest/gtest.h>

#include <sstream>

#include "report/format_es.hpp"
#include "report/progress.hpp"

namespace sseccoe::report {
namespace {

const model::Catalog& catalog() {
  static const model::Catalog c =
      model::load_catalog_file(std::string(SSECCOE_SOURCE_DIR) + "/config/catalog/PAT-2021.json");
  return c;
}

Progress sample() {
  std::vector<EvidenceFact> facts;
  EvidenceFact hc;
  hc.kind = "headcount";
  hc.occurred_on = "2021-03-31";
  hc.attributes = {{"count", 1234}};
  facts.push_back(hc);
  for (int n = 0; n < 500; ++n) {
    EvidenceFact f;
    f.activity = "1.1.1";
    f.kind = "course_certificate";
    f.occurred_on = "2021-06-01";
    f.people = 1;
    f.person_keys = {"k" + std::to_string(n)};
    facts.push_back(f);
  }
  EvidenceFact d;
  d.activity = "2.1.2";
  d.kind = "diffusion_material";
  d.occurred_on = "2021-02-01";
  facts.push_back(d);
  return compute_progress(catalog(), facts);
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Code-point column where `needle` starts in `line`.
std::size_t column_of(const std::string& line, const std::string& needle) {
  const auto at = line.find(needle);
  if (at == std::string::npos) return std::string::npos;
  return es::width(std::string_view(line).substr(0, at));
}

TEST(RenderText, HeaderAndTable) {
  const std::string text = render_progress_text(sample());
  const auto lines = lines_of(text);
  ASSERT_GT(lines.size(), 15u);
  EXPECT_EQ(lines[0], "Avance del programa PAT-2021 \u2014 INM (INSTITUTO NACIONAL DE MIGRACIÓN)");
  EXPECT_EQ(lines[1], "Evidencias recibidas: 502; contadas: 501.");
  EXPECT_EQ(lines[2], "Plantilla: 1,234 personas servidoras públicas (censo del 2021-03-31).");
  EXPECT_EQ(lines[4].rfind("Indicador  Descripción", 0), 0u) << lines[4];

  // Every row of the table puts Meta, Avance and Estado in the same column,
  // counted in code points: accents in the description do not shift them.
  const std::size_t meta = column_of(lines[4], "Meta");
  const std::size_t avance = column_of(lines[4], "Avance");
  const std::size_t estado = column_of(lines[4], "Estado");
  for (std::size_t r = 6; r < 6 + 9; ++r) {
    EXPECT_EQ(column_of(lines[r], "\u2265"), meta) << lines[r];
    EXPECT_EQ(es::width(lines[r]) >= estado, true) << lines[r];
  }
  EXPECT_EQ(lines[6].rfind("1.1        Capacitación en materia de ética, int", 0), 0u) << lines[6];
  EXPECT_EQ(column_of(lines[6], "40.5% (500/1,234)"), avance) << lines[6];
  EXPECT_EQ(column_of(lines[6], "Cumplida"), estado) << lines[6];
  EXPECT_EQ(column_of(lines[8], "Falta denominador"), estado) << lines[8];  // 2.1
  EXPECT_EQ(column_of(lines[9], "Sin evidencia"), estado) << lines[9];      // 3.1
  EXPECT_EQ(column_of(lines[9], "\u2014"), avance) << lines[9];
  EXPECT_EQ(column_of(lines[13], "\u2265 2 \u00D7 5"), meta) << lines[13];     // 5.1
}

TEST(RenderText, DetailIsWrappedAndSpanish) {
  const std::string text = render_progress_text(sample());
  EXPECT_NE(text.find("\nDetalle\n1.1  Indicador de capacitación en materia de ética"), std::string::npos);
  EXPECT_NE(text.find("500 personas servidoras públicas acreditaron al menos un curso, de 1,234 en la"),
            std::string::npos)
      << text;
  for (const auto& line : lines_of(text)) EXPECT_LE(es::width(line), 100u) << line;
}

TEST(RenderText, Formatting) {
  EXPECT_EQ(es::number(1234567), "1,234,567");
  EXPECT_EQ(es::number(41.25), "41.3");
  EXPECT_EQ(es::number(0.04), "0");
  EXPECT_EQ(es::number(999.96), "1,000");
  EXPECT_EQ(es::percent(35), "35%");
  EXPECT_EQ(es::truncate("Difusión de materiales", 9), "Difusión\u2026");
  EXPECT_EQ(es::width(es::truncate("ééééééééééé", 5)), 5u);
  EXPECT_EQ(es::pad("Ética", 7), "Ética  ");
}

TEST(ProgressJson, NullsForWhatIsUnknown) {
  const nlohmann::json j = to_json(sample());
  EXPECT_EQ(j["program"], "PAT-2021");
  EXPECT_EQ(j["headcount"]["count"], 1234);
  EXPECT_EQ(j["headcount"]["as_of"], "2021-03-31");
  ASSERT_EQ(j["indicators"].size(), 9u);
  const auto& i11 = j["indicators"][0];
  EXPECT_EQ(i11["key"], "1.1");
  EXPECT_EQ(i11["numerator"], 500);
  EXPECT_EQ(i11["denominator"], 1234);
  EXPECT_EQ(i11["value"], 40.52);
  EXPECT_EQ(i11["status"], "met");
  EXPECT_EQ(i11["status_text"], "Cumplida");
  EXPECT_EQ(i11["goal"]["value"], 35);
  EXPECT_EQ(i11["goal"]["unit"], "percent");
  EXPECT_EQ(i11["activities"][0]["records"], 500);
  const auto& i21 = j["indicators"][2];
  EXPECT_EQ(i21["status"], "missing_denominator");
  EXPECT_TRUE(i21["denominator"].is_null());
  EXPECT_TRUE(i21["value"].is_null());
  const auto& i51 = j["indicators"][7];
  EXPECT_EQ(i51["goal"]["breakdown"]["groups"], 5);
  EXPECT_EQ(i51["groups_met"], 0);
}

}  // namespace
}  // namespace sseccoe::report
