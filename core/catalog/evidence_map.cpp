#include "catalog/evidence_map.hpp"

#include <algorithm>
#include <array>

#include "catalog/text.hpp"

namespace sseccoe::catalog {

namespace {

// One rule: when the folded verification mechanism contains `verification`
// and (if `text_any` is not empty) the folded activity text contains any of
// `text_any`, the activity is proved by `kind`. First match wins, so the
// order below matters where activity texts overlap (a follow-up of a
// complaint mentions "recomendaciones", as do citizen petitions).
struct Rule {
  std::string_view verification;
  std::array<std::string_view, 3> text_any;
  std::string_view kind;
};

constexpr std::array<Rule, 11> kRules = {{
    {"constancia o captura de pantalla", {}, "course_certificate"},
    {"imagen digitalizada de cada material difundido", {}, "diffusion_material"},
    {"imagen digitalizada de envio de correo", {}, "email_dispatch"},
    {"reporte de integrantes", {}, "committee_roster"},
    {"reporte de personas que atendieron las consultas", {}, "ueppci_response"},
    // "Registro en el SSECCOE" proves many things: the activity says which.
    {"registro en el sseccoe", {"seguimiento", "mediacion"}, "complaint_followup"},
    {"registro en el sseccoe", {"peticion", "propuestas ciudadanas"}, "citizen_petition"},
    {"registro en el sseccoe", {"denuncia"}, "complaint"},
    {"registro en el sseccoe", {"protesta", "codigo de conducta"}, "conduct_pledge"},
    {"registro en el sseccoe", {"riesgos de integridad"}, "risk_measure"},
    {"registro en el sseccoe", {"asesoria", "consulta"}, "consultation"},
}};

constexpr std::array<std::string_view, 12> kKnownKinds = {
    "course_certificate", "consultation",   "diffusion_material", "complaint",
    "complaint_followup", "citizen_petition", "committee_roster",  "conduct_pledge",
    "ueppci_response",    "risk_measure",   "email_dispatch",      "headcount"};

constexpr std::array<std::string_view, 3> kConfidentialKinds = {"complaint", "complaint_followup",
                                                                 "citizen_petition"};

}  // namespace

std::vector<std::string> known_evidence_kinds() { return {kKnownKinds.begin(), kKnownKinds.end()}; }

bool is_known_evidence_kind(std::string_view kind) {
  return std::find(kKnownKinds.begin(), kKnownKinds.end(), kind) != kKnownKinds.end();
}

bool is_confidential_evidence_kind(std::string_view kind) {
  return std::find(kConfidentialKinds.begin(), kConfidentialKinds.end(), kind) != kConfidentialKinds.end();
}

std::vector<std::string> evidence_kinds_for(std::string_view verification, std::string_view activity_text) {
  const std::string v = text::squeeze_spaces(text::fold(verification));
  const std::string t = text::squeeze_spaces(text::fold(activity_text));
  for (const Rule& rule : kRules) {
    if (v.find(rule.verification) == std::string::npos) continue;
    bool text_ok = rule.text_any[0].empty();
    for (std::string_view w : rule.text_any)
      if (!w.empty() && t.find(w) != std::string::npos) text_ok = true;
    if (!text_ok) continue;
    // Training "for every public servant" is measured against the whole
    // staff: the activity also takes the HR census's headcount record, the
    // indicator's denominator (product.md, "1.1 denominator").
    if (rule.kind == "course_certificate" && t.find("personas servidoras publicas") != std::string::npos)
      return {std::string(rule.kind), "headcount"};
    return {std::string(rule.kind)};
  }
  return {};
}

}  // namespace sseccoe::catalog
