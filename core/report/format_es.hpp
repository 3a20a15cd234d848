// Spanish (es-MX) wording and number formatting for progress reports:
// thousands with ',', decimals with '.', percentages as "41.2%", the way the
// PAT documents themselves write them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "report/progress.hpp"

namespace sseccoe::report::es {

std::string number(double v);   // 1234 -> "1,234"; 41.25 -> "41.3"
std::string percent(double v);  // 41.25 -> "41.3%"
std::string goal(const model::Goal& g);         // "≥ 35%", "≥ 1", "≥ 2 × 5", "sin meta numérica"
std::string advance(const IndicatorProgress& i);  // "41.2% (412/1,000)", "3", "412 / ?", "—"
std::string status(std::string_view status);    // "met" -> "Cumplida", ...
std::string summary(const IndicatorProgress& i, const Progress& p);

// Text measures for the terminal table: code points, not bytes.
std::size_t width(std::string_view utf8);
std::string pad(std::string_view utf8, std::size_t w);
std::string truncate(std::string_view utf8, std::size_t max_width);  // ends with "…" when cut

}  // namespace sseccoe::report::es
