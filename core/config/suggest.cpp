// "Did you mean ...?" for misspelt keys, plugins, sources and kinds.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace sseccoe::core {

namespace {

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Damerau-Levenshtein distance, optimal string alignment variant: insertions,
// deletions, substitutions and transpositions of two adjacent characters
// ("incldue" -> "include" is 1) each cost 1.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

}  // namespace

std::string suggest(const std::string& word, const std::vector<std::string>& candidates) {
  // Keys and names are short; a longer word is not a misspelling of anything
  // here, and the quadratic table must stay small.
  constexpr std::size_t kMaxLength = 64;
  if (word.empty() || word.size() > kMaxLength) return {};
  if (std::find(candidates.begin(), candidates.end(), word) != candidates.end()) return {};
  const std::string w = lower(word);
  // A third of the word may be wrong, at least one character, at most three:
  // "incldue" -> "include", "pluign" -> "plugin", but "x" suggests nothing.
  const std::size_t threshold = std::clamp<std::size_t>(w.size() / 3, 1, 3);
  std::string best;
  std::size_t best_distance = threshold + 1;
  for (const auto& candidate : candidates) {
    if (candidate.empty() || candidate.size() > kMaxLength || candidate == word) continue;
    const std::size_t d = edit_distance(w, lower(candidate));
    if (d < best_distance && d < w.size()) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace sseccoe::core
