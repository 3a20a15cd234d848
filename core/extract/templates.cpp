// Extraction templates: parsing and checking a template file, and the text
// handling that reading a certificate needs (certificate.cpp uses both).
#include "extract/templates.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include <toml++/toml.h>

#include "extract/spanish.hpp"
#include "sseccoe/sdk/identity.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::core::extract::template_detail {

namespace {

namespace utf8 = sdk::utf8;

const std::vector<std::string> kTopKeys = {"id", "issuer", "description", "detect", "reject", "fields"};

// Damerau-Levenshtein (optimal string alignment) for "did you mean": the
// same rule as core/config's suggest(), which this library does not link.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.empty() || word.size() > 64) return {};
  const std::size_t threshold = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  std::string best;
  std::size_t best_distance = threshold + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(sdk::utf8::lower(word), c);
    if (d < best_distance && d < word.size()) {
      best = c;
      best_distance = d;
    }
  }
  return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

std::string list(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

[[noreturn]] void fail(const std::string& file, int line, const std::string& what) {
  throw TemplateError(file + ":" + std::to_string(line < 1 ? 1 : line) + ": " + what);
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::string printable(std::string_view s) {
  std::string out = cut_utf8(s, 60);
  if (out.size() < s.size()) out += "...";
  return out;
}

sdk::Regex compile(const std::string& file, int line, const std::string& what, const std::string& pattern) {
  if (pattern.empty()) fail(file, line, what + ": the pattern is empty");
  try {
    return sdk::Regex::compile(pattern, false);
  } catch (const sdk::RegexError& e) {
    fail(file, line, what + ": the pattern does not compile (RE2 syntax): " + e.what());
  }
}

const std::string& required_string(const toml::table& t, const std::string& file, const char* key) {
  const toml::node* n = t.get(key);
  if (!n) fail(file, 1, std::string("'") + key + "' is missing: every template has id, issuer, detect and [fields]");
  if (!n->is_string()) fail(file, line_of(*n), std::string("'") + key + "' must be a string");
  const std::string& s = n->as_string()->get();
  if (s.empty()) fail(file, line_of(*n), std::string("'") + key + "' is empty");
  return s;
}

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
  return std::isalnum(static_cast<unsigned char>(id[0])) != 0;
}

// --- text -----------------------------------------------------------------

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0;
}
bool is_line_break(char32_t c) {
  return c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 || c == 0x2028 || c == 0x2029;
}
bool is_invisible(char32_t c) { return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF; }
bool is_upper(char32_t c) { return utf8::to_lower(c) != c; }
bool is_lower(char32_t c) { return utf8::to_upper(c) != c; }
bool is_letter(char32_t c) { return is_upper(c) || is_lower(c); }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8::sequence_length(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  return out;
}

std::u32string to_cps(std::string_view s) {  // s well-formed
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8::sequence_length(s, i);
    out += utf8::decode_at(s, i, len);
    i += len;
  }
  return out;
}

std::string to_utf8(const std::u32string& cps) {
  std::string out;
  for (char32_t c : cps) utf8::append(out, c);
  return out;
}

void normalise_page(std::string_view raw, std::string& out) {
  const std::string text = utf8::nfc(valid_utf8(raw));
  const std::u32string c = to_cps(text);
  bool space = false;
  auto emit = [&](char32_t cp) {
    if (space && !out.empty()) out += ' ';
    space = false;
    utf8::append(out, cp);
  };
  for (std::size_t i = 0; i < c.size() && out.size() < kMaxTextBytes; ++i) {
    const char32_t cp = c[i];
    const bool hyphen = cp == '-' || cp == 0x2010 || cp == 0xAD;
    if (hyphen && i > 0 && (is_letter(c[i - 1]) || is_digit(c[i - 1]))) {
      std::size_t j = i + 1;
      bool broken = false;
      while (j < c.size() && is_space(c[j])) broken = broken || is_line_break(c[j++]);
      if (broken && j < c.size()) {
        // "capaci-\ntación": one word; "PÉREZ-\nLÓPEZ", "SFP-2021-\n0001":
        // the hyphen belongs to the text, the line break does not.
        if (!is_lower(c[j]) && cp != 0xAD) emit(cp);
        i = j - 1;
        continue;
      }
    }
    if (cp == 0xAD || is_invisible(cp)) continue;
    if (is_space(cp)) {
      space = true;
      continue;
    }
    switch (cp) {
      case 0xFB00: emit('f'), emit('f'); break;
      case 0xFB01: emit('f'), emit('i'); break;
      case 0xFB02: emit('f'), emit('l'); break;
      case 0xFB03: emit('f'), emit('f'), emit('i'); break;
      case 0xFB04: emit('f'), emit('f'), emit('l'); break;
      default: emit(cp);
    }
  }
}

bool strip_char(char32_t c) {
  switch (c) {
    case ',': case '.': case ';': case ':': case '"': case '\'': case '(': case ')': case '-': case '_':
    case 0xAB: case 0xBB: case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x201E: case 0x2013:
    case 0x2014: case '*': case '/':
      return true;
    default:
      return is_space(c);
  }
}

// `s` without surrounding white space, quotes and punctuation, inner white
// space collapsed.
std::u32string trimmed(std::string_view s) {
  std::u32string c = to_cps(valid_utf8(s));
  std::size_t b = 0, e = c.size();
  while (b < e && strip_char(c[b])) ++b;
  while (e > b && strip_char(c[e - 1])) --e;
  // A closing parenthesis or period that belongs to the text ("(SFP)") is
  // stripped too: values end at a word.
  std::u32string out;
  bool space = false;
  for (std::size_t i = b; i < e; ++i) {
    if (is_space(c[i])) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += U' ';
    space = false;
    out += c[i];
  }
  return out;
}

bool is_particle(const std::u32string& lower_word) {
  static const std::set<std::u32string> kParticles = {U"de", U"del", U"la", U"las", U"los", U"y", U"e",
                                                      U"van", U"von", U"der", U"da", U"di"};
  return kParticles.count(lower_word) > 0;
}

}  // namespace

std::string cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t end = max;
  // Back off continuation bytes so that the cut falls between sequences.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

std::string normalise_text(const std::vector<std::string>& pages) {
  std::string out;
  for (const auto& page : pages) {
    if (out.size() >= kMaxTextBytes) break;
    std::string one;
    // A page far larger than what is read is cut first (whole sequences
    // only, so the cut cannot invent a U+FFFD).
    normalise_page(page.size() > 4 * kMaxTextBytes ? cut_utf8(page, 4 * kMaxTextBytes) : page, one);
    if (one.empty()) continue;
    if (!out.empty()) out += ' ';
    out += one;
  }
  return cut_utf8(out, kMaxTextBytes);
}

std::string tidy_name(std::string_view name) {
  std::u32string c = trimmed(name);
  // "C. MARÍA LÓPEZ": the "ciudadano/ciudadana" courtesy is not the name.
  if (c.size() > 3 && (c[0] == 'C' || c[0] == 'c') && c[1] == '.') {
    c.erase(0, 2);
    while (!c.empty() && is_space(c[0])) c.erase(0, 1);
  }
  bool has_upper = false, has_lower = false;
  for (char32_t cp : c) {
    has_upper = has_upper || is_upper(cp);
    has_lower = has_lower || is_lower(cp);
  }
  if (!has_upper || has_lower) return to_utf8(c);
  // All capitals: title case, word by word.
  std::u32string out;
  std::size_t i = 0;
  bool first_word = true;
  while (i < c.size()) {
    std::size_t j = i;
    while (j < c.size() && c[j] != ' ') ++j;
    std::u32string word;
    for (std::size_t k = i; k < j; ++k) word += utf8::to_lower(c[k]);
    if (!(is_particle(word) && !first_word)) {
      bool start = true;
      for (auto& cp : word) {
        if (start && is_letter(cp)) {
          cp = utf8::to_upper(cp);
          start = false;
        } else if (cp == '-' || cp == '\'' || cp == 0x2019) {
          start = true;  // "Pérez-López", "O'Brien"
        }
      }
    }
    if (!out.empty()) out += U' ';
    out += word;
    first_word = false;
    i = j;
    while (i < c.size() && c[i] == ' ') ++i;
  }
  return to_utf8(out);
}

std::optional<std::string> field_value(const std::string& field, std::string_view raw) {
  if (field == "name") {
    const std::string name = tidy_name(raw);
    std::size_t words = name.empty() ? 0 : 1, letters = 0;
    for (char32_t cp : to_cps(name)) {
      if (is_digit(cp) || cp == '@' || cp == ':' || cp == 0xFFFD) return std::nullopt;  // no name has these
      if (cp == ' ') ++words;
      if (is_letter(cp)) ++letters;
    }
    if (letters < 2 || words > 12 || name.size() > 150) return std::nullopt;
    return name;
  }
  if (field == "course") {
    const std::string course = to_utf8(trimmed(raw));
    bool letter = false;
    for (char32_t cp : to_cps(course)) letter = letter || is_letter(cp);
    if (!letter || course.size() > 300) return std::nullopt;
    return course;
  }
  if (field == "hours") {
    std::size_t i = 0;
    while (i < raw.size() && !(raw[i] >= '0' && raw[i] <= '9')) ++i;
    int v = -1;
    if (i < raw.size()) {
      v = 0;
      for (; i < raw.size() && raw[i] >= '0' && raw[i] <= '9'; ++i) {
        v = v * 10 + (raw[i] - '0');
        if (v > 999) return std::nullopt;
      }
    } else if (auto w = spanish_number(sdk::identity::fold_text(raw))) {
      v = *w;
    }
    if (v < 1 || v > 999) return std::nullopt;
    return std::to_string(v);
  }
  if (field == "occurred_on") return parse_spanish_date(raw);
  if (field == "curp") {
    const std::string curp = sdk::identity::canonical_curp(raw);
    if (!sdk::identity::curp_error(curp).empty()) return std::nullopt;
    return curp;
  }
  if (field == "certificate_folio") {
    const std::string folio = to_utf8(trimmed(raw));
    bool digit = false;
    for (char c : folio) digit = digit || (c >= '0' && c <= '9');
    if (!digit || folio.size() > 64) return std::nullopt;
    return folio;
  }
  return std::nullopt;
}

Template parse_template(const std::string& file, std::string_view text) {
  toml::table t;
  try {
    t = toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& e) {
    fail(file, static_cast<int>(e.source().begin.line), "invalid TOML: " + std::string(e.description()));
  }
  for (auto&& [key, node] : t) {
    const std::string k(key.str());
    if (std::find(kTopKeys.begin(), kTopKeys.end(), k) == kTopKeys.end())
      fail(file, static_cast<int>(key.source().begin.line),
           "unknown key '" + printable(k) + "'" + did_you_mean(k, kTopKeys) + ": a template has " + list(kTopKeys));
  }
  Template out;
  out.file = file;
  out.id = required_string(t, file, "id");
  out.line = line_of(*t.get("id"));
  if (!valid_id(out.id))
    fail(file, out.line, "id '" + printable(out.id) +
                             "' must be 1 to 64 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit");
  out.issuer = required_string(t, file, "issuer");
  if (const toml::node* d = t.get("description")) {
    if (!d->is_string()) fail(file, line_of(*d), "'description' must be a string");
    out.description = d->as_string()->get();
  }
  const std::string& detect = required_string(t, file, "detect");
  out.detect = compile(file, line_of(*t.get("detect")), "detect", detect);
  if (const toml::node* r = t.get("reject")) {
    if (!r->is_string()) fail(file, line_of(*r), "'reject' must be a string");
    out.reject = compile(file, line_of(*r), "reject", r->as_string()->get());
  }
  const toml::node* f = t.get("fields");
  if (!f) fail(file, 1, "[fields] is missing: a template reads at least one of " + list(kCertificateFields));
  if (!f->is_table()) fail(file, line_of(*f), "'fields' must be a table: [fields]");
  const toml::table& fields = *f->as_table();
  if (fields.empty()) fail(file, line_of(*f), "[fields] is empty: a template reads at least one of " + list(kCertificateFields));
  std::map<std::string, std::vector<sdk::Regex>> by_name;
  for (auto&& [key, node] : fields) {
    const std::string name(key.str());
    const int line = static_cast<int>(key.source().begin.line);
    if (std::find(kCertificateFields.begin(), kCertificateFields.end(), name) == kCertificateFields.end())
      fail(file, line, "unknown field '" + printable(name) + "'" + did_you_mean(name, kCertificateFields) +
                           ": the fields are " + list(kCertificateFields));
    std::vector<std::pair<int, std::string>> patterns;
    if (node.is_string()) {
      patterns.emplace_back(line_of(node), node.as_string()->get());
    } else if (node.is_array()) {
      const toml::array& a = *node.as_array();
      if (a.empty()) fail(file, line_of(node), "field '" + name + "': the list of patterns is empty");
      for (const auto& p : a) {
        if (!p.is_string()) fail(file, line_of(p), "field '" + name + "': every pattern must be a string");
        patterns.emplace_back(line_of(p), p.as_string()->get());
      }
    } else {
      fail(file, line_of(node), "field '" + name + "' must be a pattern (a string) or a list of patterns");
    }
    auto& compiled = by_name[name];
    for (const auto& [pline, pattern] : patterns) {
      sdk::Regex re = compile(file, pline, "field '" + name + "'", pattern);
      const auto groups = re.group_names();
      if (std::find(groups.begin(), groups.end(), "value") == groups.end())
        fail(file, pline, "field '" + name + "': the pattern has no group named 'value': write (?P<value>...) around the part to read");
      compiled.push_back(std::move(re));
    }
  }
  for (const auto& name : kCertificateFields) {
    auto it = by_name.find(name);
    if (it != by_name.end()) out.fields.emplace_back(name, std::move(it->second));
  }
  return out;
}

}  // namespace sseccoe::core::extract::template_detail
