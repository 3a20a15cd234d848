// The evidence map of product.md as rules: which kinds of evidence prove an
// activity, read from its verification mechanism (and, for "Registro en el
// SSECCOE", from what the activity does). Rules look at words, never at
// activity keys, so that other years' programs map the same way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::catalog {

// Every evidence kind the agent knows, including "headcount" (the HR census
// count that is the denominator of people-based indicators; it proves no
// activity, so no rule maps an activity to it).
std::vector<std::string> known_evidence_kinds();

bool is_known_evidence_kind(std::string_view kind);

// Kinds whose content is confidential (complaints and their follow-up):
// only metadata may be harvested, never content (product.md).
bool is_confidential_evidence_kind(std::string_view kind);

// The kinds that prove an activity, from its verification mechanism and its
// text, matched ignoring case and accents. Empty when no rule applies.
std::vector<std::string> evidence_kinds_for(std::string_view verification, std::string_view activity_text);

}  // namespace sseccoe::catalog
