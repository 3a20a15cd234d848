#include "header_binding.hpp"

#include <algorithm>
#include <utility>

#include "cells.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk::table::detail {

namespace {

// Edit distance by code points: how a person would count the difference
// between "Nombre" and "Nombres".
std::size_t distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// A folded header with only its letters and digits: "c.u.r.p." -> "curp".
// Cut at 256 characters: a header is a few words, and a runaway cell in the
// header row must not make the suggestion quadratic in its size.
std::u32string compact(const std::string& folded) {
  std::u32string out;
  for (char32_t cp : utf8::code_points(folded.substr(0, 1024))) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp >= 0x80) out += cp;
    if (out.size() == 256) break;
  }
  return out;
}

// How far a present header is from the one wanted, for the suggestion in a
// missing-column error: the same letters with other punctuation first
// ("C.U.R.P." for "CURP"), then one containing the other ("Nombre completo"
// for "Nombre", "Fecha" for "Fecha de conclusión"), then the edit distance.
std::pair<int, std::size_t> closeness(const std::u32string& want, const std::u32string& have) {
  if (want == have) return {0, 0};
  const std::size_t gap = want.size() > have.size() ? want.size() - have.size() : have.size() - want.size();
  if (!want.empty() && !have.empty() &&
      (want.find(have) != std::u32string::npos || have.find(want) != std::u32string::npos))
    return {1, gap};
  return {2, distance(want, have)};
}

std::string quoted(std::string_view s) { return "\"" + for_message(s, 60) + "\""; }

// When the row taken as the header holds a single non-empty cell while
// several columns are mapped, it is most likely a title above the column
// names (a merged "Directorio del Comité de Ética 2021" in A1): the advice
// is then what the reader lets a person do about it, or "" when the row
// does not look like a title.
std::string title_advice(const Settings& settings, const std::vector<std::string>& cells,
                         const std::vector<std::string>& folded, std::uint64_t line) {
  if (settings.title_rows == TitleRows::Impossible || settings.columns.size() < 2) return {};
  std::size_t filled = 0, at = 0;
  for (std::size_t i = 0; i < folded.size(); ++i)
    if (!folded[i].empty()) ++filled, at = i;
  if (filled != 1) return {};
  for (const auto& [field, header] : settings.columns)
    if (fold_header(header) == folded[at]) return {};  // one real column, the others missing
  const std::string row = std::to_string(line), next = std::to_string(line + 1);
  std::string msg = "row " + row + " looks like a title (one non-empty cell, " + quoted(trim(cells[at])) +
                    "), not the column names: ";
  if (settings.title_rows == TitleRows::HeaderRowOption)
    msg += "set header_row = " + next + " if the column names are on row " + next;
  else
    msg += "this plugin reads the column names from the first line (it has no header_row option), so remove "
           "the title line(s) from the export";
  return msg;
}

}  // namespace

FieldRole role_of(std::string_view field) {
  if (field == "name") return FieldRole::Name;
  if (field == "curp") return FieldRole::Curp;
  if (field == "rfc") return FieldRole::Rfc;
  if (field == "employee_id") return FieldRole::EmployeeId;
  if (field == "occurred_on") return FieldRole::OccurredOn;
  return FieldRole::Other;
}

Binding bind_header(const Settings& settings, const std::vector<std::string>& cells, std::uint64_t line,
                    const std::string& where) {
  const std::string at = where + " (header at line " + std::to_string(line) + "): ";
  std::vector<std::string> folded;
  folded.reserve(cells.size());
  for (const auto& c : cells) folded.push_back(fold_header(c));
  if (std::all_of(folded.begin(), folded.end(), [](const std::string& f) { return f.empty(); }))
    throw TableError(at + "the header row is empty: the first row must name the columns");

  Binding b;
  b.width = cells.size();
  std::vector<std::string> missing, missing_headers;
  for (const auto& [field, header] : settings.columns) {
    const std::string want = fold_header(header);
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < folded.size(); ++i)
      if (folded[i] == want) hits.push_back(i);
    if (hits.size() > 1)
      throw TableError(at + "the header " + quoted(header) + " (field '" + field + "') appears in columns " +
                       std::to_string(hits[0] + 1) + " and " + std::to_string(hits[1] + 1) +
                       ", so it is ambiguous: rename one of them in the export");
    if (hits.empty()) {
      missing_headers.push_back(quoted(header));
      // The closest header present, to make a rename or a typo obvious.
      const std::u32string w = compact(want);
      std::pair<int, std::size_t> best{3, 0};
      std::size_t best_i = 0;
      for (std::size_t i = 0; i < folded.size(); ++i) {
        if (folded[i].empty()) continue;
        const auto c = closeness(w, compact(folded[i]));
        if (c < best) best = c, best_i = i;
      }
      missing.push_back("no column " + quoted(header) + " (field '" + field + "'; the closest header is " +
                        quoted(trim(cells[best_i])) + ", column " + std::to_string(best_i + 1) + ")");
      continue;
    }
    b.fields.push_back({field, for_message(trim(cells[hits[0]]), 200), hits[0], role_of(field)});
  }
  if (!missing.empty()) {
    // A title has no closest header worth naming: every suggestion would be
    // the title itself.
    if (const std::string title = title_advice(settings, cells, folded, line); !title.empty()) {
      std::string msg = at + "no column ";
      for (std::size_t i = 0; i < missing_headers.size(); ++i) msg += (i == 0 ? "" : ", ") + missing_headers[i];
      throw TableError(msg + ": " + title + ". Nothing of this table is harvested");
    }
    std::string msg = at;
    for (std::size_t i = 0; i < missing.size(); ++i) msg += (i == 0 ? "" : "; ") + missing[i];
    msg += ". Nothing of this table is harvested: map the fields to the export's headers in the source's "
           "'columns' option, or restore the columns in the export";
    throw TableError(msg);
  }
  for (const auto& k : settings.key) {
    for (std::size_t i = 0; i < b.fields.size(); ++i)
      if (b.fields[i].field == k) b.key.push_back(i);
  }
  return b;
}

}  // namespace sseccoe::sdk::table::detail
