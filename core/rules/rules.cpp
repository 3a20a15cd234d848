#include "rules/rules.hpp"

#include "sseccoe/sdk/glob.hpp"
#include "util/mask.hpp"

namespace sseccoe::core {

namespace {

// What `explain` shows of the value a pattern was tried on, so that IT sees
// why "pr[aá]ctica" missed: personal data masked (a subject may carry a
// CURP or an address), long values shortened at a character boundary.
std::string quote_for_trace(const std::string& value) {
  constexpr std::size_t kShown = 120;
  std::string shown = util::mask_personal(value);
  if (shown.size() > kShown) {
    std::size_t n = kShown;
    while (n > 0 && (static_cast<unsigned char>(shown[n]) & 0xC0) == 0x80) --n;
    shown = shown.substr(0, n) + "... (" + std::to_string(value.size()) + " bytes)";
  }
  return "\"" + shown + "\"";
}

// Mail sources list attachment names one per line.
bool any_line_matches(const std::map<std::string, std::string>& metadata, const std::string& field,
                      const sdk::Glob& glob) {
  auto it = metadata.find(field);
  if (it == metadata.end()) return false;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    if (glob.matches(rest.substr(0, nl))) return true;
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return false;
}

}  // namespace

std::vector<std::string> default_file_roles(const std::string& kind) {
  if (kind == "email_dispatch") return {"message", "acuse", "attachment"};
  return {"file", "attachment"};
}

RuleSet::RuleSet(const std::vector<RuleSection>& rules) {
  for (const auto& r : rules) {
    // Globs are case-insensitive: committees' shares live on Windows servers,
    // where "Constancias" and "CONSTANCIAS" are the same folder. The
    // configuration was validated, so compile() does not throw here.
    Compiled c{&r, std::nullopt, std::nullopt, {}};
    if (!r.glob.empty()) c.glob = sdk::Glob::compile(r.glob, true);
    if (!r.attachment.empty()) c.attachment = sdk::Glob::compile(r.attachment, true);
    // Case-insensitive, as globs are: IT writes "constancia" for
    // "CONSTANCIA DE ACREDITACIÓN"; "(?-i)" asks for exact case.
    for (const auto& [field, pattern] : r.regex) c.regex.emplace_back(field, sdk::Regex::compile(pattern, true));
    rules_.push_back(std::move(c));
  }
}

bool RuleSet::uses_field(const std::string& field) const {
  for (const auto& c : rules_)
    for (const auto& [f, re] : c.regex)
      if (f == field) return true;
  return false;
}

std::optional<Decision> RuleSet::classify(const std::string& source, const std::string& natural_key,
                                          const std::map<std::string, std::string>& metadata,
                                          std::vector<RuleVerdict>* trace) const {
  for (const auto& c : rules_) {
    const RuleSection& r = *c.rule;
    RuleVerdict v{r.index, r.where.str(), false, {}};
    if (!r.source.empty() && r.source != source) {
      v.why = "source is '" + source + "', the rule is for '" + r.source + "'";
    } else if (c.glob && !c.glob->matches(natural_key)) {
      v.why = "glob '" + r.glob + "' does not match the key";
    } else if (c.attachment && !any_line_matches(metadata, "attachment", *c.attachment)) {
      v.why = "no attachment name matches '" + r.attachment + "'";
    } else {
      for (const auto& [field, re] : c.regex) {
        auto it = metadata.find(field);
        if (it == metadata.end()) {
          v.why = "the item has no '" + field + "'";
          break;
        }
        if (!re.search(it->second)) {
          v.why = "'" + field + "' does not match /" + r.regex.at(field) + "/ (ignoring case): it is " +
                  quote_for_trace(it->second);
          break;
        }
      }
      if (v.why.empty()) {
        v.matched = true;
        v.why = "matched";
      }
    }
    if (trace) trace->push_back(v);
    if (v.matched) {
      Decision d{&r, r.kind, r.activity, {}, nlohmann::json::object()};
      d.title = render_template(r.title.empty() ? "{name}" : r.title, metadata);
      for (const auto& [k, t] : r.attributes) d.attributes[k] = render_template(t, metadata);
      return d;
    }
  }
  return std::nullopt;
}

std::string render_template(const std::string& tmpl, const std::map<std::string, std::string>& metadata) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    char c = tmpl[i];
    if ((c == '{' || c == '}') && i + 1 < tmpl.size() && tmpl[i + 1] == c) {
      out += c;
      ++i;
    } else if (c == '{') {
      auto end = tmpl.find('}', i);
      if (end == std::string::npos) {
        out.append(tmpl, i, std::string::npos);
        break;
      }
      std::string name = tmpl.substr(i + 1, end - i - 1);
      if (name.rfind("meta.", 0) == 0) name = name.substr(5);
      if (auto it = metadata.find(name); it != metadata.end()) out += it->second;
      i = end;
    } else {
      out += c;
    }
  }
  return out;
}

nlohmann::json to_json(const std::vector<RuleVerdict>& trace) {
  auto a = nlohmann::json::array();
  for (const auto& v : trace)
    a.push_back({{"rule", v.index}, {"at", v.location}, {"matched", v.matched}, {"why", v.why}});
  return a;
}

}  // namespace sseccoe::core
