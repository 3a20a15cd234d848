#include "catalog/document_facts.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "catalog/text.hpp"

namespace sseccoe::catalog {

namespace {

// Bounds that keep a hostile document from growing our state.
constexpr std::size_t kMaxCoverParagraphs = 16;
constexpr std::size_t kMaxParagraphBytes = 1024;
constexpr std::size_t kMaxMentions = 64;
constexpr std::size_t kMaxAcronyms = 512;

// How much each kind of mention counts when the document contradicts itself.
constexpr int kWeightCover = 4;     // "PAT 2021" on the cover
constexpr int kWeightExercise = 3;  // "durante el presente ejercicio 2021"
constexpr int kWeightActivities = 2;  // where most activity windows start
constexpr int kWeightMention = 1;   // any other "PAT 2020" in the body

// Federal bodies and generic acronyms every PAT mentions: never the institution.
constexpr std::array<std::string_view, 14> kNotInstitutions = {
    "CEPCI", "UEPPCI", "SSECCOE", "PAT", "DOF", "SFP", "CE", "OIC", "LFAR", "SIC", "ACUERDO", "PRESENTACION", "CEPCIS",
    "UEPPCIS"};

constexpr std::array<std::string_view, 11> kNameFillers = {"de", "del", "la", "las", "los", "el",
                                                           "y",  "e",   "para", "en", "a"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter_byte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || u >= 0x80;
}

bool is_roman(std::string_view s) { return s.find_first_not_of("IVXLCDM") == std::string_view::npos; }

// A 4-digit year at s[pos] not followed by another digit.
std::optional<int> year_at(std::string_view s, std::size_t pos) {
  if (pos + 4 > s.size()) return std::nullopt;
  for (std::size_t i = pos; i < pos + 4; ++i)
    if (!is_digit(s[i])) return std::nullopt;
  if (pos + 4 < s.size() && is_digit(s[pos + 4])) return std::nullopt;
  const int y = std::stoi(std::string(s.substr(pos, 4)));
  if (y < 1900 || y > 2999) return std::nullopt;
  return y;
}

bool word_starts_at(std::string_view s, std::size_t pos) { return pos == 0 || !is_letter_byte(s[pos - 1]); }

}  // namespace

void DocumentFacts::cover_line(std::size_t line_no, const std::string& text) {
  const std::string clean = text::squeeze_spaces(text::strip_markdown(text));
  if (clean.empty()) {
    cover_paragraph_open_ = false;
    return;
  }
  note_year_mentions(line_no, text::fold(clean), true);
  if (cover_paragraph_open_ && !cover_paragraphs_.empty()) {
    std::string& p = cover_paragraphs_.back();
    if (p.size() + clean.size() < kMaxParagraphBytes) p += " " + clean;
  } else if (cover_paragraphs_.size() < kMaxCoverParagraphs) {
    cover_paragraphs_.push_back(clean.substr(0, kMaxParagraphBytes));
    cover_paragraph_open_ = true;
  }
}

void DocumentFacts::body_line(std::size_t line_no, const std::string& text) {
  const std::string clean = text::strip_markdown(text);
  const std::string folded = text::fold(clean);
  note_year_mentions(line_no, folded, false);
  count_acronyms(clean);
  if (!announced_activities_) {
    // "el programa considera **15 Actividades**"
    for (std::size_t at = folded.find(" actividades"); at != std::string::npos;
         at = folded.find(" actividades", at + 1)) {
      std::size_t start = at;
      while (start > 0 && is_digit(folded[start - 1])) --start;
      if (start < at && at - start <= 4 && word_starts_at(folded, start)) {
        announced_activities_ = std::stoul(folded.substr(start, at - start));
        break;
      }
    }
  }
}

void DocumentFacts::activity_year(int year) { ++activity_years_[year]; }

void DocumentFacts::note_year_mentions(std::size_t line_no, const std::string& folded, bool on_cover) {
  auto add = [&](int year, int weight, std::string quote) {
    if (mentions_.size() < kMaxMentions) mentions_.push_back({year, weight, line_no, std::move(quote)});
  };
  for (std::size_t at = folded.find("pat"); at != std::string::npos; at = folded.find("pat", at + 1)) {
    if (!word_starts_at(folded, at)) continue;
    std::size_t p = at + 3;
    if (p < folded.size() && (folded[p] == ' ' || folded[p] == '-')) ++p;
    if (auto y = year_at(folded, p))
      add(*y, on_cover ? kWeightCover : kWeightMention, "PAT " + std::to_string(*y));
  }
  for (std::size_t at = folded.find("ejercicio "); at != std::string::npos;
       at = folded.find("ejercicio ", at + 1)) {
    if (!word_starts_at(folded, at)) continue;
    std::size_t p = at + 10;
    if (folded.compare(p, 7, "fiscal ") == 0) p += 7;
    if (auto y = year_at(folded, p)) add(*y, kWeightExercise, "ejercicio " + std::to_string(*y));
  }
}

void DocumentFacts::count_acronyms(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    if (!(text[i] >= 'A' && text[i] <= 'Z') || (i > 0 && (is_letter_byte(text[i - 1]) || is_digit(text[i - 1])))) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] >= 'A' && text[j] <= 'Z') ++j;
    const bool bounded = j == text.size() || !(is_letter_byte(text[j]) || is_digit(text[j]));
    const std::string_view token(text.data() + i, j - i);
    i = j;
    if (!bounded || token.size() < 2 || token.size() > 10 || is_roman(token)) continue;
    if (std::find(kNotInstitutions.begin(), kNotInstitutions.end(), token) != kNotInstitutions.end()) continue;
    auto it = acronym_counts_.find(std::string(token));
    if (it != acronym_counts_.end())
      ++it->second;
    else if (acronym_counts_.size() < kMaxAcronyms)
      acronym_counts_.emplace(token, 1);
  }
}

std::optional<int> DocumentFacts::year(std::vector<std::string>& warnings) const {
  std::map<int, int> score;
  std::map<int, int> best_single;
  for (const auto& m : mentions_) {
    score[m.year] += m.weight;
    best_single[m.year] = std::max(best_single[m.year], m.weight);
  }
  std::optional<int> activities_year;
  int most = 0;
  for (const auto& [y, n] : activity_years_)
    if (n > most) most = n, activities_year = y;
  if (activities_year) {
    score[*activities_year] += kWeightActivities;
    best_single[*activities_year] = std::max(best_single[*activities_year], kWeightActivities);
  }
  if (score.empty()) return std::nullopt;

  int chosen = score.begin()->first;
  for (const auto& [y, s] : score) {
    const int cs = score[chosen];
    if (s > cs || (s == cs && best_single[y] > best_single[chosen])) chosen = y;
  }

  std::string support;
  for (const auto& m : mentions_) {
    if (m.year != chosen) continue;
    if (!support.empty()) support += ", ";
    support += "'" + m.quote + "' on line " + std::to_string(m.line);
  }
  if (support.empty()) support = "the activity dates";
  for (const auto& m : mentions_) {
    if (m.year == chosen) continue;
    warnings.push_back("line " + std::to_string(m.line) + ": the document says '" + m.quote +
                       "', but it declares the program year " + std::to_string(chosen) + " (" + support +
                       "); using " + std::to_string(chosen));
  }
  if (activities_year && *activities_year != chosen)
    warnings.push_back("most activity windows start in " + std::to_string(*activities_year) +
                       ", not in the program year " + std::to_string(chosen) + "; check the dates");
  return chosen;
}

std::string DocumentFacts::institution_name() const {
  for (const std::string& p : cover_paragraphs_) {
    if (p.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) continue;  // not a capitalised heading
    const std::string f = text::fold(p);
    if (f.find("comite") != std::string::npos || f.find("programa anual") != std::string::npos ||
        f.find("pat ") != std::string::npos)
      continue;
    if (text::words(p).size() < 2) continue;
    std::string name(text::trim(p));
    while (!name.empty() && name.back() == '.') name.pop_back();
    return name;
  }
  return {};
}

std::optional<std::string> DocumentFacts::institution(std::vector<std::string>& warnings) const {
  std::string initials;
  const std::string name = institution_name();
  for (const std::string& w : text::words(text::fold(name))) {
    if (std::find(kNameFillers.begin(), kNameFillers.end(), w) != kNameFillers.end()) continue;
    if (w[0] >= 'a' && w[0] <= 'z') initials += static_cast<char>(w[0] - 'a' + 'A');
  }
  if (initials.size() >= 2) {
    if (acronym_counts_.count(initials) != 0) return initials;
  }
  std::string best;
  int best_count = 0;
  for (const auto& [token, n] : acronym_counts_)
    if (n > best_count) best = token, best_count = n;
  if (best_count >= 2) {
    warnings.push_back("institution acronym '" + best + "' guessed from " + std::to_string(best_count) +
                       " mentions in the text; set it with --institution if it is wrong");
    return best;
  }
  if (initials.size() >= 2) {
    warnings.push_back("institution acronym '" + initials + "' made from the initials of '" + name +
                       "', which the text never uses; set it with --institution if it is wrong");
    return initials;
  }
  return std::nullopt;
}

std::string DocumentFacts::title() const {
  for (const std::string& p : cover_paragraphs_)
    if (text::fold(p).find("programa anual de trabajo") != std::string::npos) return std::string(text::trim(p));
  return cover_paragraphs_.empty() ? std::string() : std::string(text::trim(cover_paragraphs_.back()));
}

}  // namespace sseccoe::catalog
