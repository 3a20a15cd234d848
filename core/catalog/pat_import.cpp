#include "catalog/pat_import.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <optional>

#include "catalog/dates.hpp"
#include "catalog/document_facts.hpp"
#include "catalog/evidence_map.hpp"
#include "catalog/goal_parser.hpp"
#include "catalog/line_reader.hpp"
#include "catalog/text.hpp"

namespace sseccoe::catalog {

namespace {
std::string locate(std::size_t line, const std::string& detail, const std::string& file) {
  if (!file.empty()) return file + ":" + (line > 0 ? std::to_string(line) + ":" : std::string()) + " " + detail;
  return line > 0 ? "line " + std::to_string(line) + ": " + detail : detail;
}
}  // namespace

ImportError::ImportError(std::size_t line_no, const std::string& detail_, const std::string& file_)
    : std::runtime_error(locate(line_no, detail_, file_)), line(line_no), detail(detail_), file(file_) {}

namespace {

constexpr std::size_t kMaxWarnings = 100;
constexpr std::size_t kMaxActivities = 10000;
constexpr std::size_t kMaxCoverLines = 60;
constexpr std::size_t kMaxCoverLineChars = 120;
constexpr std::size_t kMaxHeadingChars = 100;

// Words a sentence cut in the middle typically ends with ("... dirigido a la").
constexpr std::array<std::string_view, 26> kDanglingWords = {
    "a",  "al",  "de",  "del", "la",  "las", "el",    "los",   "y",     "o",     "e",     "u",     "en",
    "con", "por", "para", "que", "un", "una", "su",   "sus",   "se",    "sobre", "entre", "hacia", "desde"};

std::string shorten(std::string_view s, std::size_t max_chars = 60) {
  if (text::code_points(s) <= max_chars) return std::string(s);
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++n > max_chars) break;
    out += s[i];
  }
  return out + "...";
}

std::optional<int> roman_to_int(std::string_view r) {
  if (r.empty() || r.size() > 8) return std::nullopt;
  auto value = [](char c) {
    switch (c) {
      case 'I': return 1;
      case 'V': return 5;
      case 'X': return 10;
      case 'L': return 50;
      case 'C': return 100;
      default: return 0;
    }
  };
  int total = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const int v = value(r[i]);
    if (v == 0) return std::nullopt;
    const int next = i + 1 < r.size() ? value(r[i + 1]) : 0;
    total += next > v ? -v : v;
  }
  return total > 0 ? std::optional<int>(total) : std::nullopt;
}

struct Heading {
  std::string numeral, title;
};

// "II. Difusión", "IV.- GESTIÓN", "V) Mejora de procesos."
std::optional<Heading> parse_heading(const std::string& line) {
  const std::string_view s = text::trim(line);
  std::size_t i = 0;
  while (i < s.size() && std::string_view("IVXLC").find(s[i]) != std::string_view::npos) ++i;
  if (i == 0 || i >= s.size() || !roman_to_int(s.substr(0, i))) return std::nullopt;
  std::size_t j = i;
  while (j < s.size() && (s[j] == ' ')) ++j;
  if (j >= s.size() || std::string_view(".)-").find(s[j]) == std::string_view::npos) return std::nullopt;
  while (j < s.size() && std::string_view(".)- ").find(s[j]) != std::string_view::npos) ++j;
  std::string title = text::squeeze_spaces(text::strip_markdown(s.substr(j)));
  while (!title.empty() && (title.back() == '.' || title.back() == ' ')) title.pop_back();
  if (title.empty() || text::code_points(title) > kMaxHeadingChars) return std::nullopt;
  const unsigned char first = static_cast<unsigned char>(title[0]);
  if (!((first >= 'A' && first <= 'Z') || first >= 0x80)) return std::nullopt;  // a heading starts capitalised
  return Heading{std::string(s.substr(0, i)), title};
}

// "1.1.1.", "3. 2. 1." -> {1,1,1}; nullopt unless the cell is only numbers
// separated by dots (at least two numbers).
std::optional<std::vector<int>> parse_key(std::string_view cell) {
  std::vector<int> parts;
  std::string digits;
  bool closed = false;  // a blank after digits: "1 2.1" is not a key
  for (char c : cell) {
    if (c >= '0' && c <= '9') {
      if (digits.size() >= 4 || closed) return std::nullopt;
      digits += c;
    } else if (c == '.') {
      if (digits.empty()) return std::nullopt;
      parts.push_back(std::stoi(digits));
      digits.clear();
      closed = false;
    } else if (c == ' ') {
      closed = !digits.empty();
    } else {
      return std::nullopt;
    }
  }
  if (!digits.empty()) parts.push_back(std::stoi(digits));
  if (parts.size() < 2) return std::nullopt;
  return parts;
}

std::string join_key(const std::vector<int>& parts, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n && i < parts.size(); ++i) {
    if (i) out += '.';
    out += std::to_string(parts[i]);
  }
  return out;
}

std::string join_nonempty(const std::vector<std::string>& cells, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < cells.size(); ++i) {
    if (cells[i].empty()) continue;
    if (!out.empty()) out += ' ';
    out += cells[i];
  }
  return out;
}

// A cell cut in the middle (a page break, a lost line) ends in an article or
// a preposition; complete sentences in a PAT never do.
bool looks_truncated(const std::vector<std::string>& words) {
  if (words.empty()) return false;
  const std::string f = text::fold(words.back());
  return std::find(kDanglingWords.begin(), kDanglingWords.end(), f) != kDanglingWords.end();
}

std::string label_of(const std::string& cell) {
  std::string f = text::fold(cell);
  while (!f.empty() && (f.back() == ':' || f.back() == '.')) f.pop_back();
  return f;
}

class Importer {
 public:
  explicit Importer(const ImportOptions& options) : options_(options) {}

  void line(std::size_t no, const std::string& raw, bool overlong);
  ImportResult finish(const LineReader& reader);

 private:
  struct Pending {
    model::Indicator ind;
    std::size_t line = 0;
    bool header_seen = false;
  };

  void warn(std::string message);
  void start_indicator(std::size_t no, const std::string& text);
  void set_field(std::size_t no, std::string& field, const std::string& value, const char* label);
  void activity_row(std::size_t no, const std::vector<int>& parts, const std::vector<std::string>& cells);
  void finalize_pending();
  void check_truncated(const std::string& what, const std::string& value, const std::string& subject);
  bool ends_cover(const std::string& clean) const;

  const ImportOptions& options_;
  DocumentFacts facts_;
  std::vector<std::string> warnings_;
  std::size_t dropped_warnings_ = 0;

  bool in_cover_ = true;
  std::optional<Heading> section_;
  std::optional<Pending> pending_;
  std::vector<model::Indicator> indicators_;
  std::map<std::string, std::size_t> indicator_lines_;  // key -> line of its "Indicador" row
  std::vector<model::Activity> activities_;
  std::map<std::string, std::size_t> activity_lines_;  // key -> line
};

void Importer::warn(std::string message) {
  if (warnings_.size() < kMaxWarnings)
    warnings_.push_back(std::move(message));
  else
    ++dropped_warnings_;
}

bool Importer::ends_cover(const std::string& clean) const {
  const std::string f = text::fold(clean);
  for (std::string_view w : {"presentacion", "introduccion", "antecedentes", "indice", "contenido"})
    if (f.rfind(w, 0) == 0) return true;
  return text::code_points(clean) > kMaxCoverLineChars;
}

void Importer::line(std::size_t no, const std::string& raw, bool overlong) {
  if (overlong) {
    warn("line " + std::to_string(no) + ": longer than 64 KiB, not a line of a PAT document; skipped");
    return;
  }
  const bool has_tab = raw.find('\t') != std::string::npos;
  const std::vector<std::string> cells = text::split_cells(raw);
  const std::string joined = join_nonempty(cells, 0);
  if (joined.empty()) {
    if (in_cover_) facts_.cover_line(no, "");
    return;
  }
  if (in_cover_ && no > kMaxCoverLines) in_cover_ = false;

  if (!has_tab) {
    if (auto heading = parse_heading(joined)) {
      in_cover_ = false;
      section_ = std::move(heading);  // repeated headings simply set the same section again
      return;
    }
    if (pending_ && pending_->header_seen) {
      // A row whose cells lost their tabs: "1.1.1. Asegurar que ..." would
      // otherwise vanish as prose.
      std::size_t end = 0;
      while (end < joined.size() && std::string_view("0123456789. ").find(joined[end]) != std::string_view::npos)
        ++end;
      const auto parts = parse_key(joined.substr(0, end));
      if (parts && parts->size() >= 3 && end < joined.size() && joined[end - 1] == ' ')
        throw ImportError(no, "activity " + join_key(*parts, parts->size()) +
                                  ": the row has no tab-separated cells; an activity row needs key, activity, "
                                  "start date, end date, verification mechanism and risks separated by tabs");
    }
    if (in_cover_ && !ends_cover(joined)) {
      facts_.cover_line(no, joined);
    } else {
      in_cover_ = false;
      facts_.body_line(no, joined);
    }
    return;
  }

  in_cover_ = false;
  facts_.body_line(no, joined);
  const std::string label = label_of(cells[0]);
  if (label == "indicador") return start_indicator(no, join_nonempty(cells, 1));
  if (label == "objetivo") {
    if (!pending_) return warn("line " + std::to_string(no) + ": 'Objetivo' row outside an indicator table; ignored");
    return set_field(no, pending_->ind.objective, join_nonempty(cells, 1), "Objetivo");
  }
  if (label == "meta") {
    if (!pending_) return warn("line " + std::to_string(no) + ": 'Meta' row outside an indicator table; ignored");
    return set_field(no, pending_->ind.goal_text, join_nonempty(cells, 1), "Meta");
  }
  if (label.rfind("clave", 0) == 0) {
    if (pending_) pending_->header_seen = true;
    return;
  }
  if (auto parts = parse_key(cells[0])) {
    // "1.1<TAB>..." outside an activity table is a table of contents or a
    // numbered list, not a malformed activity.
    if (parts->size() < 3 && !(pending_ && pending_->header_seen))
      return warn("line " + std::to_string(no) + ": row '" + shorten(joined) + "' is outside an activity table; ignored");
    return activity_row(no, *parts, cells);
  }
  if (cells[0].empty()) {
    const std::string f = text::fold(joined);
    if (f == "inicio fin" || f == "inicio" || f == "fin") return;  // the second header row
    warn("line " + std::to_string(no) + ": table row without an activity key ('" + shorten(joined) + "'); ignored");
  }
}

void Importer::start_indicator(std::size_t no, const std::string& text) {
  if (text.empty()) return warn("line " + std::to_string(no) + ": 'Indicador' row without text; ignored");
  if (pending_ && pending_->ind.activities.empty() && text::fold(pending_->ind.text) == text::fold(text))
    return;  // the same table header repeated (page break): keep going
  finalize_pending();
  Pending p;
  p.ind.text = text;
  p.line = no;
  if (section_) {
    p.ind.section = section_->numeral;
    p.ind.section_title = section_->title;
  }
  pending_ = std::move(p);
}

void Importer::set_field(std::size_t no, std::string& field, const std::string& value, const char* label) {
  if (value.empty()) return warn("line " + std::to_string(no) + ": '" + label + "' row without text; ignored");
  if (field.empty()) {
    field = value;
  } else if (text::fold(field) != text::fold(value)) {
    warn("line " + std::to_string(no) + ": a second, different '" + label +
         "' row for the same indicator; kept the first one");
  }
}

void Importer::check_truncated(const std::string& what, const std::string& value, const std::string& subject) {
  const auto ws = text::words(value);
  if (!looks_truncated(ws)) return;
  std::string tail;
  for (std::size_t i = ws.size() > 3 ? ws.size() - 3 : 0; i < ws.size(); ++i) tail += (tail.empty() ? "" : " ") + ws[i];
  warn(subject + ": its " + what + " looks truncated: it ends with '..." + tail + "'; kept as written, complete it in the source document");
}

void Importer::activity_row(std::size_t no, const std::vector<int>& parts, const std::vector<std::string>& cells) {
  const std::string key = join_key(parts, parts.size());
  if (parts.size() < 3)
    throw ImportError(no, "activity key '" + cells[0] + "' has " + std::to_string(parts.size()) +
                              " numbers; an activity key has three (section.indicator.activity), e.g. 1.1.1");
  if (!pending_)
    throw ImportError(no, "activity " + key + " comes before any 'Indicador' row, so it fits no indicator");
  if (auto seen = activity_lines_.find(key); seen != activity_lines_.end())
    throw ImportError(no, "activity " + key + " appears twice (first on line " + std::to_string(seen->second) + ")");
  if (activities_.size() >= kMaxActivities)
    throw ImportError(no, "more than " + std::to_string(kMaxActivities) + " activities: this is not a PAT document");

  std::vector<std::string> rest;
  for (std::size_t i = 1; i < cells.size(); ++i)
    if (!cells[i].empty()) rest.push_back(cells[i]);
  if (rest.size() < 4)
    throw ImportError(no, "activity " + key + ": the row has " + std::to_string(rest.size() + 1) +
                              " non-empty cells, but an activity row needs at least 5: key, activity, start date "
                              "(dd/mm/yyyy), end date and verification mechanism, then the risks");
  if (dmy_to_iso(rest[0]))
    throw ImportError(no, "activity " + key + ": the cell after the key is a date ('" + rest[0] +
                              "'); the activity's text is missing");
  const auto start = dmy_to_iso(rest[1]);
  if (!start)
    throw ImportError(no, "activity " + key + ": start date '" + shorten(rest[1], 30) +
                              "' is not a date (expected dd/mm/yyyy)");
  const auto end = dmy_to_iso(rest[2]);
  if (!end)
    throw ImportError(no, "activity " + key + ": end date '" + shorten(rest[2], 30) +
                              "' is not a date (expected dd/mm/yyyy)");
  if (*end < *start)
    throw ImportError(no, "activity " + key + ": it ends (" + *end + ") before it starts (" + *start + ")");

  const std::string indicator_key = join_key(parts, 2);
  if (pending_->ind.key.empty()) {
    pending_->ind.key = indicator_key;
  } else if (pending_->ind.key != indicator_key) {
    throw ImportError(no, "activity " + key + " does not fit indicator " + pending_->ind.key +
                              " (the 'Indicador' table on line " + std::to_string(pending_->line) +
                              "): an indicator's activities share its first two numbers; add the missing "
                              "'Indicador' table or fix the key");
  }

  model::Activity a;
  a.key = key;
  a.indicator = indicator_key;
  a.text = rest[0];
  a.window = {*start, *end};
  a.verification = rest[3];
  const std::string subject = "activity " + key + " (line " + std::to_string(no) + ")";
  if (rest.size() == 4) warn(subject + ": no risks cell");
  if (rest.size() > 5)
    warn(subject + ": " + std::to_string(rest.size() - 5) + " extra cell(s) after the risks, appended to them");
  a.risks = join_nonempty(rest, 4);
  check_truncated("text", a.text, subject);
  check_truncated("verification mechanism", a.verification, subject);
  check_truncated("risks", a.risks, subject);
  a.evidence_kinds = evidence_kinds_for(a.verification, a.text);
  if (a.evidence_kinds.empty())
    warn(subject + ": no evidence-kind rule matches its verification mechanism ('" + shorten(a.verification) +
         "'); it gets no evidence kinds, so no evidence can be registered for it until the catalog is edited");

  facts_.activity_year(std::stoi(a.window.start.substr(0, 4)));
  pending_->ind.activities.push_back(key);
  activity_lines_.emplace(key, no);
  activities_.push_back(std::move(a));
}

void Importer::finalize_pending() {
  if (!pending_) return;
  Pending p = std::move(*pending_);
  pending_.reset();
  model::Indicator& ind = p.ind;
  const std::string where = "line " + std::to_string(p.line);
  if (ind.activities.empty())
    return warn(where + ": indicator '" + shorten(ind.text) + "' has no activity rows; skipped");

  const std::string subject = "indicator " + ind.key + " (" + where + ")";
  auto existing = std::find_if(indicators_.begin(), indicators_.end(),
                               [&](const model::Indicator& i) { return i.key == ind.key; });
  if (existing != indicators_.end()) {
    // The same indicator table repeated after a page break: one indicator.
    if (text::fold(existing->text) != text::fold(ind.text))
      throw ImportError(p.line, "indicator " + ind.key + " appears twice with different texts (lines " +
                                    std::to_string(indicator_lines_[ind.key]) + " and " + std::to_string(p.line) +
                                    "); fix the activity keys");
    existing->activities.insert(existing->activities.end(), ind.activities.begin(), ind.activities.end());
    if (existing->objective.empty()) existing->objective = ind.objective;
    if (existing->goal_text.empty() && !ind.goal_text.empty()) {
      existing->goal_text = ind.goal_text;
      if (auto goal = parse_goal(ind.goal_text)) existing->goal = std::move(*goal);
    }
    return;
  }

  if (ind.section.empty()) {
    warn(subject + ": no section heading (\"I. ...\") above it");
  } else if (auto n = roman_to_int(ind.section); n && std::to_string(*n) != ind.key.substr(0, ind.key.find('.'))) {
    warn(subject + ": it stands under section " + ind.section + " but its activities are numbered " + ind.key +
         ".x; check the keys");
  }
  if (ind.objective.empty()) warn(subject + ": no 'Objetivo' row");
  if (ind.goal_text.empty()) warn(subject + ": no 'Meta' row");
  check_truncated("text", ind.text, subject);
  check_truncated("objective", ind.objective, subject);
  check_truncated("goal", ind.goal_text, subject);
  if (auto goal = parse_goal(ind.goal_text)) {
    ind.goal = std::move(*goal);
  } else if (!ind.goal_text.empty()) {
    warn(subject + ": no number in its goal ('" + shorten(ind.goal_text) +
         "'); the goal stays text only and progress can never mark it met");
  }
  indicator_lines_[ind.key] = p.line;
  indicators_.push_back(std::move(ind));
}

ImportResult Importer::finish(const LineReader& reader) {
  finalize_pending();
  if (activities_.empty())
    throw ImportError(0,
                      "no activity rows found: a PAT document has 'Indicador', 'Objetivo' and 'Meta' rows, then "
                      "rows like '1.1.1.<TAB>activity<TAB>dd/mm/yyyy<TAB>dd/mm/yyyy<TAB>verification<TAB>risks'; "
                      "save the document as plain text with tabs between cells");

  ImportResult result;
  std::vector<std::string> late;  // warnings about the document as a whole, listed first
  if (reader.cp1252_lines() > 0)
    late.push_back(std::to_string(reader.cp1252_lines()) + " line(s), the first being line " +
                   std::to_string(reader.first_cp1252_line()) +
                   ", were not valid UTF-8 and were read as Windows-1252");

  model::Catalog& c = result.catalog;
  const std::optional<int> year = facts_.year(late);
  c.year = year.value_or(0);
  c.program = options_.program.empty() ? "PAT-" + std::to_string(c.year) : options_.program;
  if (!options_.program.empty() && options_.program.find(std::to_string(c.year)) == std::string::npos)
    late.push_back("program '" + options_.program + "' does not mention the document's year " +
                   std::to_string(c.year));
  if (!options_.institution.empty()) {
    c.institution = options_.institution;
  } else if (auto inst = facts_.institution(late)) {
    c.institution = *inst;
  } else {
    throw ImportError(0, "cannot tell the institution from the document (no name on its cover, no acronym in its "
                         "text); give it with --institution");
  }
  c.institution_name = facts_.institution_name();
  if (c.institution_name.empty()) late.push_back("no institution name on the document's cover");
  c.title = facts_.title();
  if (c.title.empty()) late.push_back("no title on the document's cover");
  if (auto announced = facts_.announced_activities(); announced && *announced != activities_.size())
    late.push_back("the document announces " + std::to_string(*announced) + " activities but has " +
                   std::to_string(activities_.size()) + " activity rows; check for missing or cut rows");
  for (const auto& a : activities_)
    if (a.window.start.substr(0, 4) != std::to_string(c.year) && a.window.end.substr(0, 4) != std::to_string(c.year))
      late.push_back("activity " + a.key + ": its window " + a.window.start + ".." + a.window.end +
                     " lies outside the program year " + std::to_string(c.year));

  c.indicators = std::move(indicators_);
  c.activities = std::move(activities_);
  // The catalog must be one the validator accepts (what the registry and
  // `catalog show` will load); a failure here is a bug of the importer.
  model::catalog_from_json(model::to_json(c));

  result.warnings = std::move(late);
  result.warnings.insert(result.warnings.end(), warnings_.begin(), warnings_.end());
  if (dropped_warnings_ > 0)
    result.warnings.push_back(std::to_string(dropped_warnings_) + " more warning(s) not shown");
  return result;
}

}  // namespace

ImportResult import_pat_text(std::istream& in, const ImportOptions& options) {
  LineReader reader(in);
  Importer importer(options);
  std::string line;
  while (true) {
    try {
      if (!reader.next(line)) break;
    } catch (const std::runtime_error& e) {
      throw ImportError(reader.line_number(), e.what());
    }
    importer.line(reader.line_number(), line, reader.last_was_overlong());
  }
  return importer.finish(reader);
}

ImportResult import_pat_file(const std::string& path, const ImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ImportError(0, "cannot open the PAT document for reading", path);
  try {
    return import_pat_text(in, options);
  } catch (const ImportError& e) {
    throw ImportError(e.line, e.detail, path);
  } catch (const std::runtime_error& e) {  // a read error of the line reader
    throw ImportError(0, e.what(), path);
  }
}

}  // namespace sseccoe::catalog
