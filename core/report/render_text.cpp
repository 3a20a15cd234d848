// The terminal form of a progress report, in Spanish: a table, then each
// indicator's text and summary, wrapped. Widths count code points so that
// "Difusión" and "Difusion" take the same room (the seed's text is NFC).
#include <array>
#include <vector>

#include "report/format_es.hpp"
#include "report/progress.hpp"

namespace sseccoe::report {

namespace {

constexpr std::size_t kDescriptionWidth = 40;
constexpr std::size_t kWrapWidth = 100;
constexpr std::string_view kIndent = "     ";

// "Indicador de capacitación en ..." -> "Capacitación en ...": the column is
// narrow and every indicator starts with the same words.
std::string short_description(const std::string& text) {
  std::string s = text;
  for (std::string_view prefix : {"Indicador general de ", "Indicador de ", "Indicador "}) {
    if (s.rfind(prefix, 0) == 0) {
      s.erase(0, prefix.size());
      break;
    }
  }
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return es::truncate(s, kDescriptionWidth);
}

void wrap(std::string& out, std::string_view first_prefix, const std::string& paragraph) {
  std::string line(first_prefix);
  std::size_t line_width = es::width(first_prefix);
  bool line_has_word = false;
  std::size_t start = 0;
  while (start < paragraph.size()) {
    std::size_t end = paragraph.find(' ', start);
    if (end == std::string::npos) end = paragraph.size();
    const std::string_view word(paragraph.data() + start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    const std::size_t w = es::width(word);
    if (line_has_word && line_width + 1 + w > kWrapWidth) {
      out += line + "\n";
      line = std::string(kIndent);
      line_width = kIndent.size();
      line_has_word = false;
    }
    if (line_has_word) {
      line += ' ';
      ++line_width;
    }
    line += word;
    line_width += w;
    line_has_word = true;
  }
  out += line + "\n";
}

}  // namespace

std::string render_progress_text(const Progress& p) {
  std::string out = "Avance del programa " + p.program + " \u2014 " + p.institution;
  if (!p.institution_name.empty()) out += " (" + p.institution_name + ")";
  out += "\n";
  std::size_t counted = 0;
  for (const auto& i : p.indicators)
    for (const auto& a : i.activities) counted += a.records;
  out += "Evidencias recibidas: " + es::number(static_cast<double>(p.facts)) + "; contadas: " +
         es::number(static_cast<double>(counted));
  if (p.unknown_activity > 0)
    out += "; de actividades que el programa no tiene: " + es::number(static_cast<double>(p.unknown_activity));
  out += ".\n";
  if (p.headcount)
    out += "Plantilla: " + es::number(*p.headcount) + " personas servidoras públicas" +
           (p.headcount_date.empty() ? std::string() : " (censo del " + p.headcount_date + ")") + ".\n";
  else
    out += "Plantilla: sin dato (ningún registro «headcount»).\n";
  out += "\n";

  const std::array<std::string, 5> header = {"Indicador", "Descripción", "Meta", "Avance", "Estado"};
  std::vector<std::array<std::string, 5>> rows;
  for (const auto& i : p.indicators)
    rows.push_back({i.key, short_description(i.text), es::goal(i.goal), es::advance(i), es::status(i.status)});
  std::array<std::size_t, 5> widths{};
  for (std::size_t c = 0; c < 5; ++c) {
    widths[c] = es::width(header[c]);
    for (const auto& r : rows) widths[c] = std::max(widths[c], es::width(r[c]));
  }
  auto emit = [&](const std::array<std::string, 5>& cells) {
    std::string line;
    for (std::size_t c = 0; c < 5; ++c) line += (c == 4 ? cells[c] : es::pad(cells[c], widths[c]) + "  ");
    out += line + "\n";
  };
  emit(header);
  std::array<std::string, 5> rule;
  for (std::size_t c = 0; c < 5; ++c) rule[c] = std::string(widths[c], '-');
  emit(rule);
  for (const auto& r : rows) emit(r);

  out += "\nDetalle\n";
  for (const auto& i : p.indicators) {
    std::string prefix = es::pad(i.key, kIndent.size() - 1) + " ";
    wrap(out, prefix, i.text);
    wrap(out, kIndent, i.summary);
  }
  return out;
}

}  // namespace sseccoe::report
