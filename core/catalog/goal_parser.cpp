#include "catalog/goal_parser.hpp"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "catalog/text.hpp"

namespace sseccoe::catalog {

namespace {

constexpr std::array<std::pair<std::string_view, int>, 25> kNumberWords = {{
    {"un", 1},           {"uno", 1},         {"una", 1},         {"dos", 2},        {"tres", 3},
    {"cuatro", 4},       {"cinco", 5},       {"seis", 6},        {"siete", 7},      {"ocho", 8},
    {"nueve", 9},        {"diez", 10},       {"once", 11},       {"doce", 12},      {"trece", 13},
    {"catorce", 14},     {"quince", 15},     {"dieciseis", 16},  {"diecisiete", 17}, {"dieciocho", 18},
    {"diecinueve", 19},  {"veinte", 20},     {"treinta", 30},    {"cincuenta", 50}, {"cien", 100},
}};

// Words that end a group's name: "procesos institucionales sustantivos del
// organismo" names the group "procesos institucionales sustantivos".
constexpr std::array<std::string_view, 6> kGroupStops = {"del", "durante", "que", "en", "al", "para"};

struct Word {
  std::string original;  // punctuation at the ends removed, accents kept
  std::string folded;
  bool ends_clause = false;  // the word was followed by '.', ';' or ':'
};

std::vector<Word> split_words(std::string_view sentence) {
  std::vector<Word> out;
  for (std::string w : text::words(text::strip_markdown(sentence))) {
    Word word;
    while (!w.empty() && std::string_view(",.;:()\"'!?").find(w.back()) != std::string_view::npos) {
      if (w.back() == '.' || w.back() == ';' || w.back() == ':') word.ends_clause = true;
      w.pop_back();
    }
    std::size_t lead = 0;
    while (lead < w.size() && std::string_view("(\"'").find(w[lead]) != std::string_view::npos) ++lead;
    w.erase(0, lead);
    // "¿" and "¡" are two bytes in UTF-8.
    while (w.rfind("\xC2\xBF", 0) == 0 || w.rfind("\xC2\xA1", 0) == 0) w.erase(0, 2);
    if (w.empty()) continue;
    word.folded = text::fold(w);
    word.original = std::move(w);
    out.push_back(std::move(word));
  }
  return out;
}

std::optional<double> parse_number(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::string normalized;
  bool seen_sep = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      normalized += c;
    } else if ((c == '.' || c == ',') && !seen_sep && !normalized.empty()) {
      normalized += '.';
      seen_sep = true;
    } else {
      return std::nullopt;
    }
  }
  if (normalized.back() == '.') return std::nullopt;
  return std::stod(normalized);
}

bool is_word(const std::vector<Word>& w, std::size_t i, std::string_view folded) {
  return i < w.size() && w[i].folded == folded;
}

// A quantifier right before or after the number at i makes it a goal.
bool has_quantifier(const std::vector<Word>& w, std::size_t i) {
  auto before = [&](std::size_t back, std::string_view word) { return i >= back && w[i - back].folded == word; };
  if (before(2, "al") && before(1, "menos")) return true;                        // al menos N
  if (before(3, "por") && before(2, "lo") && before(1, "menos")) return true;    // por lo menos N
  if (before(1, "minimo")) return true;                                         // (como) mínimo N
  if (before(3, "un") && before(2, "total") && before(1, "de")) return true;     // un total de N
  if (is_word(w, i + 1, "o") && is_word(w, i + 2, "mas")) return true;           // N o más
  return false;
}

std::optional<model::GoalBreakdown> find_breakdown(const std::vector<Word>& w, std::size_t count_at,
                                                   double per) {
  for (std::size_t j = count_at + 1; j + 1 < w.size(); ++j) {
    if (w[j - 1].ends_clause) break;  // the breakdown must be in the same clause
    const std::string& f = w[j].folded;
    if (f != "para" && f != "en" && f != "por") continue;
    std::size_t k = j + 1;
    if (is_word(w, k, "cada") && (is_word(w, k + 1, "uno") || is_word(w, k + 1, "una")) && is_word(w, k + 2, "de"))
      k += 3;
    const auto groups = parse_cardinal(w.size() > k ? w[k].folded : std::string());
    if (!groups || *groups < 2 || *groups != static_cast<int>(*groups)) continue;
    std::string name;
    for (std::size_t g = k + 1; g < w.size(); ++g) {
      bool stop = false;
      for (std::string_view s : kGroupStops) stop = stop || w[g].folded == s;
      if (stop) break;
      if (!name.empty()) name += ' ';
      name += w[g].original;
      if (w[g].ends_clause) break;
    }
    if (name.empty()) continue;
    return model::GoalBreakdown{per, static_cast<int>(*groups), name};
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> parse_cardinal(std::string_view word) {
  if (auto n = parse_number(word); n && word.find_first_of(".,") == std::string_view::npos) return n;
  const std::string f = text::fold(word);
  for (const auto& [name, value] : kNumberWords)
    if (f == name) return value;
  return std::nullopt;
}

std::optional<model::Goal> parse_goal(std::string_view meta_text) {
  const std::vector<Word> w = split_words(meta_text);

  for (std::size_t i = 0; i < w.size(); ++i) {
    std::string_view f = w[i].folded;
    if (f.size() > 1 && f.back() == '%') {
      if (auto n = parse_number(f.substr(0, f.size() - 1))) return model::Goal{*n, "percent", std::nullopt};
    }
    if (auto n = parse_number(f)) {
      if (is_word(w, i + 1, "%") || (is_word(w, i + 1, "por") && is_word(w, i + 2, "ciento")))
        return model::Goal{*n, "percent", std::nullopt};
    }
  }

  for (std::size_t i = 0; i < w.size(); ++i) {
    const auto n = parse_cardinal(w[i].folded);
    if (!n || *n <= 0 || !has_quantifier(w, i)) continue;
    if (auto breakdown = find_breakdown(w, i, *n))
      return model::Goal{*n * breakdown->groups, "count", std::move(breakdown)};
    return model::Goal{*n, "count", std::nullopt};
  }
  return std::nullopt;
}

}  // namespace sseccoe::catalog
