#include "report/format_es.hpp"

#include <cmath>
#include <cstdio>

namespace sseccoe::report::es {

namespace {

std::string group_thousands(long long n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string activity_list(const IndicatorProgress& i) {
  std::string out;
  for (std::size_t k = 0; k < i.activities.size(); ++k) {
    if (k > 0) out += k + 1 == i.activities.size() ? " y " : ", ";
    out += i.activities[k].key;
  }
  return out;
}

std::string plural(double n, const char* one, const char* many) { return n == 1 ? one : many; }

// "Faltan 3.5 puntos porcentuales." / "Faltan 2 registros." / "" when met.
std::string gap(const IndicatorProgress& i) {
  if (i.status != "in_progress" || !i.value || i.goal.unit.empty()) return {};
  if (i.goal.unit == "percent")
    return " Faltan " + number(i.goal.value - *i.value) + " puntos porcentuales para la meta.";
  const double missing = i.goal.value - *i.value;
  if (missing > 0) return " " + std::string(plural(missing, "Falta ", "Faltan ")) + number(missing) +
                          plural(missing, " registro", " registros") + " para la meta.";
  return {};
}

}  // namespace

std::string number(double v) {
  if (!std::isfinite(v)) return "?";
  const double rounded = std::round(v * 10.0) / 10.0;
  const long long whole = static_cast<long long>(std::trunc(rounded));
  const int tenth = static_cast<int>(std::llround(std::fabs(rounded - static_cast<double>(whole)) * 10.0));
  std::string out = (rounded < 0 && whole == 0 ? "-" : "") + group_thousands(whole);
  if (tenth != 0) out += "." + std::to_string(tenth);
  return out;
}

std::string percent(double v) { return number(v) + "%"; }

std::string goal(const model::Goal& g) {
  if (g.unit == "percent") return "\u2265 " + percent(g.value);
  if (g.unit == "count") {
    if (g.breakdown) return "\u2265 " + number(g.breakdown->per) + " \u00D7 " + std::to_string(g.breakdown->groups);
    return "\u2265 " + number(g.value);
  }
  return "sin meta numérica";
}

std::string advance(const IndicatorProgress& i) {
  if (i.goal.unit == "percent") {
    if (!i.value) return i.numerator == 0 ? "\u2014" : number(i.numerator) + " / ?";
    return percent(*i.value) + " (" + number(i.numerator) + "/" + number(i.denominator.value_or(0)) + ")";
  }
  std::string out = number(i.numerator);
  if (i.groups_met && i.goal.breakdown)
    out += " (" + std::to_string(*i.groups_met) + "/" + std::to_string(i.goal.breakdown->groups) + " grupos)";
  return out;
}

std::string status(std::string_view s) {
  if (s == "met") return "Cumplida";
  if (s == "in_progress") return "En proceso";
  if (s == "no_evidence") return "Sin evidencia";
  if (s == "missing_denominator") return "Falta denominador";
  return std::string(s);
}

std::string summary(const IndicatorProgress& i, const Progress& p) {
  std::string out;
  std::size_t ignored = 0;
  for (const auto& a : i.activities) ignored += a.outside_window + a.other_kind;

  if (i.status == "no_evidence") {
    out = "Sin evidencia registrada para " + std::string(i.activities.size() == 1 ? "la actividad " : "las actividades ") +
          activity_list(i) + ".";
  } else if (i.measure == "distinct_people") {
    out = number(i.numerator) + plural(i.numerator, " persona servidora pública acreditó", " personas servidoras públicas acreditaron") +
          " al menos un curso";
    if (i.denominator_source == "headcount")
      out += ", de " + number(*i.denominator) + " en la plantilla" +
             (p.headcount_date.empty() ? std::string() : " (censo del " + p.headcount_date + ")");
    else if (i.denominator)
      out += ", de " + number(*i.denominator) + " (denominador configurado)";
    if (i.value)
      out += ": " + percent(*i.value) + "; meta: " + percent(i.goal.value) + ".";
    else
      out += "; falta la plantilla (un registro «headcount» con attributes.count) para calcular el porcentaje.";
  } else if (i.measure == "activities_with_evidence") {
    out = number(i.numerator) + " de " + number(*i.denominator) + " actividades (" + activity_list(i) +
          ") con evidencia: " + percent(*i.value) + "; meta: " + percent(i.goal.value) + ".";
  } else if (i.measure == "on_time") {
    out = number(i.numerator) + " de " + number(*i.denominator) + " solicitudes atendidas en plazo: " +
          percent(*i.value) + "; meta: " + percent(i.goal.value) + ".";
  } else if (i.goal.unit == "percent") {
    out = number(i.numerator) + plural(i.numerator, " registro de evidencia", " registros de evidencia");
    if (i.value)
      out += " de " + number(*i.denominator) + " (denominador configurado): " + percent(*i.value) + "; meta: " +
             percent(i.goal.value) + ".";
    else
      out += "; la meta es un porcentaje (" + percent(i.goal.value) +
             ") y falta su denominador: configúrelo para el indicador " + i.key + ".";
  } else if (i.goal.unit == "count") {
    out = number(i.numerator) + plural(i.numerator, " registro de evidencia", " registros de evidencia") +
          "; meta: " + number(i.goal.value) + ".";
    if (i.goal.breakdown) {
      const auto& b = *i.goal.breakdown;
      out += " " + std::to_string(i.groups_met.value_or(0)) + " de " + std::to_string(b.groups) + " " + b.group +
             " con al menos " + number(b.per) + plural(b.per, " registro", " registros") +
             " (atributo «group» de cada evidencia).";
    }
  } else {
    out = number(i.numerator) + plural(i.numerator, " registro de evidencia", " registros de evidencia") +
          "; la meta no tiene un número que medir.";
  }

  if (i.status == "met") out += " Meta cumplida.";
  out += gap(i);
  if (i.status == "in_progress" && i.goal.breakdown && i.value && *i.value >= i.goal.value) {
    const int missing = i.goal.breakdown->groups - i.groups_met.value_or(0);
    out += " " + std::string(missing == 1 ? "Falta " : "Faltan ") + std::to_string(missing) + " de los " +
           std::to_string(i.goal.breakdown->groups) + " " + i.goal.breakdown->group + ".";
  }
  if (ignored > 0)
    out += " " + std::to_string(ignored) +
           (ignored == 1 ? " registro no se cuenta (fuera del periodo o de otro tipo)."
                         : " registros no se cuentan (fuera del periodo o de otro tipo).");
  return out;
}

std::size_t width(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string pad(std::string_view utf8, std::size_t w) {
  std::string out(utf8);
  for (std::size_t n = width(utf8); n < w; ++n) out += ' ';
  return out;
}

std::string truncate(std::string_view utf8, std::size_t max_width) {
  if (width(utf8) <= max_width || max_width == 0) return std::string(utf8);
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80;
    if (starts && ++n > max_width - 1) break;
    out += utf8[i];
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\u2026";
}

}  // namespace sseccoe::report::es
