// The evidence map's rules and the goal reader, on their own.
#include <gtest/gtest.h>

#include "catalog/evidence_map.hpp"
#include "catalog/goal_parser.hpp"

namespace sseccoe::catalog {
namespace {

using V = std::vector<std::string>;

TEST(EvidenceMap, ByVerificationMechanism) {
  EXPECT_EQ(evidence_kinds_for("Constancia o captura de pantalla de que el curso fue acreditado.", "x"),
            V{"course_certificate"});
  EXPECT_EQ(evidence_kinds_for("IMAGEN DIGITALIZADA DE CADA MATERIAL DIFUNDIDO", "x"), V{"diffusion_material"});
  EXPECT_EQ(evidence_kinds_for("Imagen digitalizada de envio de correo electronico", "x"), V{"email_dispatch"});
  EXPECT_EQ(evidence_kinds_for("Reporte de Integrantes de los Comités (SSECCOE).", "x"), V{"committee_roster"});
  EXPECT_EQ(evidence_kinds_for("Reporte de personas que atendieron las consultas electrónicas", "x"),
            V{"ueppci_response"});
}

TEST(EvidenceMap, RegistroEnElSseccoeDependsOnTheActivity) {
  const char* reg = "Registro en el SSECCOE.";
  EXPECT_EQ(evidence_kinds_for(reg, "Brindar asesoría, orientación y consulta"), V{"consultation"});
  EXPECT_EQ(evidence_kinds_for(reg, "Atender las DENUNCIAS que se reciban"), V{"complaint"});
  EXPECT_EQ(evidence_kinds_for(reg, "Realizar una acción de seguimiento a las recomendaciones y acuerdos de mediación"),
            V{"complaint_followup"});
  EXPECT_EQ(evidence_kinds_for(reg, "Emitir recomendaciones para la atención de las peticiones o propuestas"),
            V{"citizen_petition"});
  EXPECT_EQ(evidence_kinds_for(reg, "Que rindan protesta de cumplir el Código de Conducta"), V{"conduct_pledge"});
  EXPECT_EQ(evidence_kinds_for(reg, "Medidas para mitigar los riesgos de integridad"), V{"risk_measure"});
  EXPECT_EQ(evidence_kinds_for(reg, "Celebrar sesiones"), V{});
  EXPECT_EQ(evidence_kinds_for("Acta firmada", "Brindar asesoría"), V{});
}

TEST(EvidenceMap, KnownKinds) {
  const auto kinds = known_evidence_kinds();
  EXPECT_EQ(kinds.size(), 12u);
  EXPECT_TRUE(is_known_evidence_kind("headcount"));
  EXPECT_TRUE(is_known_evidence_kind("email_dispatch"));
  EXPECT_FALSE(is_known_evidence_kind("selfie"));
  EXPECT_TRUE(is_confidential_evidence_kind("complaint"));
  EXPECT_FALSE(is_confidential_evidence_kind("course_certificate"));
}

TEST(GoalParser, Percentages) {
  auto g = parse_goal("Al finalizar el año 2021, al menos 35% de las personas servidoras públicas");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->value, 35);
  EXPECT_EQ(g->unit, "percent");
  EXPECT_EQ(parse_goal("Al menos 80 % de las solicitudes ... en 10 días hábiles")->value, 80);
  EXPECT_EQ(parse_goal("el 12.5 por ciento de las acciones")->value, 12.5);
}

TEST(GoalParser, Counts) {
  auto g = parse_goal("El Comité identifica y presenta a la UEPPCI al menos una buena práctica durante 2021.");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->value, 1);
  EXPECT_EQ(g->unit, "count");
  EXPECT_FALSE(g->breakdown);
  EXPECT_EQ(parse_goal("Celebrar por lo menos 4 sesiones")->value, 4);
  EXPECT_EQ(parse_goal("Difundir tres o más materiales")->value, 3);
  EXPECT_EQ(parse_goal("Realizar como mínimo doce acciones")->value, 12);
}

TEST(GoalParser, CountsPerGroup) {
  auto g = parse_goal("Identificar dos o más riesgos de integridad para cinco procesos institucionales sustantivos del organismo.");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->value, 10);
  EXPECT_EQ(g->unit, "count");
  ASSERT_TRUE(g->breakdown);
  EXPECT_EQ(g->breakdown->per, 2);
  EXPECT_EQ(g->breakdown->groups, 5);
  EXPECT_EQ(g->breakdown->group, "procesos institucionales sustantivos");
  auto h = parse_goal("Al menos 3 medidas en cada uno de 4 procesos.");
  ASSERT_TRUE(h && h->breakdown);
  EXPECT_EQ(h->value, 12);
  EXPECT_EQ(h->breakdown->group, "procesos");
}

TEST(GoalParser, NoGoal) {
  EXPECT_FALSE(parse_goal("Sesionar conforme a los Lineamientos durante 2021."));
  EXPECT_FALSE(parse_goal("Atender en un plazo de 10 días hábiles."));  // a deadline is not a goal
  EXPECT_FALSE(parse_goal(""));
  EXPECT_EQ(parse_cardinal("quince"), 15);
  EXPECT_EQ(parse_cardinal("Una"), 1);
  EXPECT_FALSE(parse_cardinal("varias"));
}

}  // namespace
}  // namespace sseccoe::catalog
