// Spanish as certificates print it: numbers in words ("veintiuno",
// "treinta y uno", "dos mil veintiuno") and dates (parse_spanish_date, in
// certificate.hpp). Internal to the extract library; tested in
// tests/unit/extract/date_test.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::core::extract {

// The number written in `words`: text already folded (lower case, no
// accents, single spaces: sdk::identity::fold_text), e.g. "catorce",
// "veintiun", "treinta y uno", "diez y seis", "primero", "cien",
// "dos mil veintiuno", "mil novecientos noventa y nueve" is NOT read (years
// 2000..2099 and numbers 0..100 only). nullopt for anything else, including
// trailing words.
std::optional<int> spanish_number(std::string_view words);

}  // namespace sseccoe::core::extract
