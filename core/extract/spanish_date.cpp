// Dates as Mexican certificates print them, and numbers in words.
#include <array>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "extract/certificate.hpp"
#include "extract/spanish.hpp"
#include "sseccoe/sdk/identity.hpp"
#include "sseccoe/sdk/regex.hpp"

namespace sseccoe::core::extract {

namespace {

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

struct Word {
  const char* text;
  int value;
};

// Folded forms (no accents): "dieciséis" is "dieciseis", "veintiún" is
// "veintiun".
constexpr std::array<Word, 40> kSmall = {{
    {"cero", 0},         {"un", 1},           {"uno", 1},         {"una", 1},         {"primero", 1},
    {"primer", 1},       {"dos", 2},          {"tres", 3},        {"cuatro", 4},      {"cinco", 5},
    {"seis", 6},         {"siete", 7},        {"ocho", 8},        {"nueve", 9},       {"diez", 10},
    {"once", 11},        {"doce", 12},        {"trece", 13},      {"catorce", 14},    {"quince", 15},
    {"dieciseis", 16},   {"diecisiete", 17},  {"dieciocho", 18},  {"diecinueve", 19}, {"veinte", 20},
    {"veintiuno", 21},   {"veintiun", 21},    {"veintiuna", 21},  {"veintidos", 22},  {"veintitres", 23},
    {"veinticuatro", 24}, {"veinticinco", 25}, {"veintiseis", 26}, {"veintisiete", 27}, {"veintiocho", 28},
    {"veintinueve", 29}, {"cien", 100},       {"treinta", 30},    {"cuarenta", 40},   {"cincuenta", 50},
}};
constexpr std::array<Word, 4> kTens = {{{"sesenta", 60}, {"setenta", 70}, {"ochenta", 80}, {"noventa", 90}}};

std::optional<int> small_word(std::string_view w) {
  for (const auto& x : kSmall)
    if (w == x.text) return x.value;
  for (const auto& x : kTens)
    if (w == x.text) return x.value;
  return std::nullopt;
}

// 0..100 from words[i..j): "catorce", "treinta y uno", "diez y seis".
std::optional<int> below_hundred(const std::vector<std::string_view>& w, std::size_t i, std::size_t j) {
  if (j - i == 1) return small_word(w[i]);
  if (j - i == 3 && w[i + 1] == "y") {
    const auto tens = small_word(w[i]);
    const auto unit = small_word(w[i + 2]);
    if (!tens || !unit || *unit < 1 || *unit > 9) return std::nullopt;
    if (*tens % 10 != 0 || *tens < 10 || *tens > 90) return std::nullopt;
    return *tens + *unit;
  }
  return std::nullopt;
}

struct Patterns {
  sdk::Regex iso = sdk::Regex::compile(R"((?:^|[^0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?:$|[^0-9]))",
                                       false);
  sdk::Regex dmy = sdk::Regex::compile(
      R"((?:^|[^0-9/.-])(?P<d>[0-9]{1,2}) ?[/.-] ?(?P<m>[0-9]{1,2}) ?[/.-] ?(?P<y>[0-9]{4})(?:$|[^0-9]))", false);
  // On folded text: lower case, no accents, single spaces.
  sdk::Regex words = sdk::Regex::compile(
      R"((?:^|[^a-z0-9])(?P<d>[0-9]{1,2}|[a-z]+(?: y [a-z]+)?)(?:o|er|ro|°)?\.?(?: dias?)?(?: del mes)?(?: de)? )"
      R"((?P<m>enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre))"
      R"((?: de| del)?(?: ano)?(?: de)? (?P<y>[0-9]{4}|(?:dos )?mil(?: [a-z]+){0,4}))",
      false);
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

int month_number(std::string_view m) {
  static constexpr std::array<const char*, 12> kMonths = {"enero",  "febrero", "marzo",      "abril",
                                                          "mayo",   "junio",   "julio",      "agosto",
                                                          "septiembre", "octubre", "noviembre", "diciembre"};
  if (m == "setiembre") return 9;
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (m == kMonths[i]) return static_cast<int>(i) + 1;
  return 0;
}

int digits(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || v > 100000) return -1;
    v = v * 10 + (c - '0');
  }
  return s.empty() ? -1 : v;
}

std::optional<std::string> iso(int y, int m, int d) {
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  if (!sdk::identity::is_iso_date(buf)) return std::nullopt;
  return std::string(buf);
}

// A year in digits or words; words may run on into the text that follows
// ("dos mil veintiuno en la Ciudad de México"): the longest prefix that is
// a number is the year.
int year_of(std::string_view y) {
  if (!y.empty() && y[0] >= '0' && y[0] <= '9') return digits(y);
  const auto w = words_of(y);
  for (std::size_t n = w.size(); n > 0; --n) {
    std::string prefix;
    for (std::size_t i = 0; i < n; ++i) prefix += (i ? " " : "") + std::string(w[i]);
    if (auto v = spanish_number(prefix)) return *v;
  }
  return -1;
}

int day_of(std::string_view d) {
  if (!d.empty() && d[0] >= '0' && d[0] <= '9') return digits(d);
  const auto v = spanish_number(d);
  return v ? *v : -1;
}

}  // namespace

std::optional<int> spanish_number(std::string_view text) {
  const auto w = words_of(text);
  if (w.empty() || w.size() > 6) return std::nullopt;
  // [dos] mil [0..99]
  std::size_t mil = w.size();
  for (std::size_t i = 0; i < w.size(); ++i)
    if (w[i] == "mil") mil = i;
  if (mil == w.size()) return below_hundred(w, 0, w.size());
  int thousands = 1;
  if (mil == 1) {
    const auto t = small_word(w[0]);
    if (!t || *t != 2) return std::nullopt;  // years 2000..2099 only
    thousands = 2;
  } else if (mil != 0) {
    return std::nullopt;
  }
  if (thousands != 2) return std::nullopt;
  if (mil + 1 == w.size()) return 2000;
  const auto rest = below_hundred(w, mil + 1, w.size());
  if (!rest || *rest > 99 || *rest < 1) return std::nullopt;
  return 2000 + *rest;
}

std::optional<std::string> parse_spanish_date(std::string_view text) {
  if (text.empty() || text.size() > 4096) return std::nullopt;
  const auto& p = patterns();
  // Folding makes "14 DE MAYO", "días" and "1º" (a compatibility form of
  // "1o") the same as "14 de mayo", "dias" and "1o"; it also makes invalid
  // UTF-8 harmless (U+FFFD).
  const std::string folded = sdk::identity::fold_text(text);
  if (auto g = p.iso.search_groups(folded))
    return iso(digits((*g)["y"]), digits((*g)["m"]), digits((*g)["d"]));
  if (auto g = p.dmy.search_groups(folded))
    return iso(digits((*g)["y"]), digits((*g)["m"]), digits((*g)["d"]));
  for (auto& g : p.words.search_all_groups(folded, 8)) {
    const int d = day_of(g["d"]);
    const int m = month_number(g["m"]);
    const int y = year_of(g["y"]);
    if (d < 0 || m == 0 || y < 0) continue;
    return iso(y, m, d);  // the first date that reads as one decides, even when impossible
  }
  return std::nullopt;
}

}  // namespace sseccoe::core::extract
