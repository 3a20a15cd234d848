// Reads the numeric goal out of an indicator's "Meta" sentence.
//
//   "... al menos 35% de las personas ..."          -> 35 percent
//   "... al menos una buena práctica ..."           -> 1 count
//   "... dos o más riesgos de integridad para cinco
//    procesos institucionales sustantivos ..."      -> 10 count, breakdown 2 x 5 "procesos ..."
//
// Percentages win over counts; a count needs a quantifier ("al menos",
// "por lo menos", "mínimo", "o más", "un total de") so that years and
// deadlines ("2021", "10 días hábiles") are never read as goals.
#pragma once

#include <optional>
#include <string_view>

#include "model/catalog.hpp"

namespace sseccoe::catalog {

std::optional<model::Goal> parse_goal(std::string_view meta_text);

// A cardinal written in digits ("12") or in Spanish words ("doce", "una");
// nullopt for anything else. Exposed for tests.
std::optional<double> parse_cardinal(std::string_view word);

}  // namespace sseccoe::catalog
