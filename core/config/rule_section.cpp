// [[rule]]: which items are which evidence. Everything a rule is matched with
// (globs, regular expressions, templates) is compiled or checked here, so that
// a rule that could never work is reported with its line at load time.
#include <algorithm>

#include "config/sections.hpp"
#include "config/values.hpp"
#include "sseccoe/sdk/regex.hpp"

namespace sseccoe::core::config_detail {

namespace {

const std::vector<std::string> kRuleKeys = {"source", "match", "kind", "activity", "title", "attributes", "files", "group_by"};
// The content roles sources give their streams (sdk::Content::role; "file"
// stands for the empty role of a plain file).
const std::vector<std::string> kContentRoles = {"file", "message", "attachment", "acuse"};
constexpr std::size_t kMaxRegexLength = 1024;

bool in(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A required or optional string key of the rule; reports a wrong type.
const std::string* string_value(const Entries& entries, const std::string& key, const std::string& option,
                                Diagnostics& diag) {
  const Entry* e = find_entry(entries, key);
  if (e == nullptr) return nullptr;
  if (const auto* s = e->node->as_string()) return &s->get();
  diag.error(location_of(*e->node), option,
             "expected a string (in quotes), got " + describe_node_type(*e->node));
  return nullptr;
}

void check_membership(const std::string& value, const std::vector<std::string>& known, const std::string& what,
                      const Location& where, const std::string& option, Diagnostics& diag) {
  if (known.empty() || in(known, value)) return;
  std::string message = "unknown " + what + " " + quoted(value);
  const std::string close = suggest(value, known);
  if (!close.empty()) message += ": did you mean '" + close + "'?";
  diag.error(where, option, message);
}

void validate_match(const toml::node& node, const std::string& prefix, RuleSection& rule, Diagnostics& diag) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    diag.error(location_of(node), prefix + ".match",
               "expected a table, e.g. match = { glob = \"**/*.pdf\", subject = \"[Cc]onstancia\" }");
    return;
  }
  for (auto&& [key, value] : *table) {
    const std::string field(key.str());
    const std::string option = prefix + ".match." + field;
    const Location where = location_of(value);
    const auto* s = value.as_string();
    if (s == nullptr) {
      diag.error(where, option,
                 "expected a string (in quotes), got " + describe_node_type(value) +
                     (field == "glob" ? "" : ": a regular expression on the item's '" + field + "' metadata"));
      continue;
    }
    if (field == "glob" || field == "attachment") {
      const std::string problem = check_glob(s->get());
      if (!problem.empty()) diag.error(where, option, problem);
      (field == "glob" ? rule.glob : rule.attachment) = s->get();
      continue;
    }
    const bool near_glob = suggest(field, {"glob"}) == "glob";
    const std::string& pattern = s->get();
    if (pattern.empty()) {
      diag.error(where, option, "is an empty regular expression: remove it to match any value");
      continue;
    }
    if (pattern.size() > kMaxRegexLength) {
      diag.error(where, option,
                 "is longer than " + std::to_string(kMaxRegexLength) + " characters: simplify the expression");
      continue;
    }
    const std::string problem = sdk::Regex::problem(pattern);
    if (problem.empty()) {
      rule.regex[field] = pattern;
      if (near_glob)
        diag.warning(location_of(key), option,
                     "is read as a regular expression on metadata field '" + field + "': did you mean 'glob'?");
      continue;
    }
    if (near_glob) {
      diag.error(location_of(key), option, "unknown match key: did you mean 'glob'?");
      continue;
    }
    diag.error(where, option,
               "invalid regular expression " + quoted(pattern) + " (" + problem +
                   "): rules use RE2 syntax (like ECMAScript, without back-references or look-around); escape a "
                   "special character such as . ( [ with a backslash, doubled inside \"...\" (\"\\\\.pdf\") or "
                   "single inside '...' ('\\.pdf')");
  }
}

void validate_attributes(const toml::node& node, const std::string& prefix, RuleSection& rule,
                         Diagnostics& diag) {
  const auto* table = node.as_table();
  if (table == nullptr) {
    diag.error(location_of(node), prefix + ".attributes",
               "expected a table of strings, e.g. attributes = { curso = \"{meta.subject}\" }");
    return;
  }
  static const sdk::Regex name_shape = sdk::Regex::compile("[a-z][a-z0-9_]{0,63}", false);
  for (auto&& [key, value] : *table) {
    const std::string name(key.str());
    const std::string option = prefix + ".attributes." + name;
    if (!name_shape.full_match(name))
      diag.error(location_of(key), option, "attribute names are lower-case letters, digits and '_', e.g. curso");
    const auto* s = value.as_string();
    if (s == nullptr) {
      diag.error(location_of(value), option, "expected a string template, got " + describe_node_type(value));
      continue;
    }
    const std::string problem = check_template(s->get());
    if (!problem.empty()) diag.error(location_of(value), option, problem);
    rule.attributes[name] = s->get();
  }
}

void validate_files(const toml::node& node, const std::string& prefix, RuleSection& rule, Diagnostics& diag) {
  const auto* array = node.as_array();
  if (array == nullptr || array->empty()) {
    diag.error(location_of(node), prefix + ".files",
               "expected a non-empty list of content roles, e.g. files = [\"message\", \"acuse\"]");
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    const auto* s = element.as_string();
    if (s == nullptr) {
      diag.error(location_of(element), prefix + ".files",
                 "element " + std::to_string(i + 1) + " is " + describe_node_type(element) + ": expected a string");
      continue;
    }
    check_membership(s->get(), kContentRoles, "content role", location_of(element), prefix + ".files", diag);
    rule.files.push_back(s->get());
  }
}

}  // namespace

void validate_rules(const TopLevel& top, const std::vector<SourceSection>& sources, const LoadOptions& options,
                    std::vector<RuleSection>& out, Diagnostics& diag) {
  std::vector<std::string> source_names;
  for (const auto& s : sources)
    if (!s.name.empty()) source_names.push_back(s.name);
  static const sdk::Regex kind_shape = sdk::Regex::compile("[a-z][a-z0-9_]{0,63}", false);
  static const sdk::Regex activity_shape = sdk::Regex::compile("[0-9]{1,3}(\\.[0-9]{1,3}){0,5}", false);

  int index = 0;
  for (const toml::table* table : top.rules) {
    ++index;
    const std::string prefix = "rule[" + std::to_string(index) + "]";
    const Entries entries = entries_of(*table);
    RuleSection rule;
    rule.index = index;
    rule.where = location_of(*table);
    report_unknown_keys(entries, kRuleKeys, prefix, diag);

    if (const std::string* source = string_value(entries, "source", prefix + ".source", diag)) {
      const Location where = location_of(*find_entry(entries, "source")->node);
      rule.source = *source;
      if (source->empty()) {
        diag.error(where, prefix + ".source", "is empty: name a [[source]], or remove the key to match any source");
      } else if (!in(source_names, *source)) {
        std::string message = "names no configured source: " + quoted(*source);
        const std::string close = suggest(*source, source_names);
        message += close.empty() ? "; add a [[source]] with that name or correct it"
                                 : ": did you mean '" + close + "'?";
        diag.error(where, prefix + ".source", message);
      }
    }
    if (const Entry* match = find_entry(entries, "match")) validate_match(*match->node, prefix, rule, diag);

    if (const std::string* kind = string_value(entries, "kind", prefix + ".kind", diag)) {
      const Location where = location_of(*find_entry(entries, "kind")->node);
      rule.kind = *kind;
      if (!kind_shape.full_match(*kind))
        diag.error(where, prefix + ".kind", "must be an evidence kind in lower case, e.g. \"course_certificate\"");
      else
        check_membership(*kind, options.known_kinds, "evidence kind", where, prefix + ".kind", diag);
    } else if (!find_entry(entries, "kind")) {
      diag.error(rule.where, prefix + ".kind",
                 "required option is missing: add kind = \"...\", the evidence kind, e.g. \"course_certificate\"");
    }

    if (const std::string* activity = string_value(entries, "activity", prefix + ".activity", diag)) {
      const Location where = location_of(*find_entry(entries, "activity")->node);
      rule.activity = *activity;
      if (!activity_shape.full_match(*activity))
        diag.error(where, prefix + ".activity", "must be an activity key of the program, e.g. \"1.1.1\"");
      else
        check_membership(*activity, options.known_activities, "activity", where, prefix + ".activity", diag);
    } else if (const Entry* e = find_entry(entries, "activity"); e == nullptr) {
      diag.error(rule.where, prefix + ".activity",
                 "required option is missing: add activity = \"...\", the program's activity, e.g. \"1.1.1\"");
    }

    if (const std::string* title = string_value(entries, "title", prefix + ".title", diag)) {
      rule.title = *title;
      const std::string problem = check_template(*title);
      if (!problem.empty())
        diag.error(location_of(*find_entry(entries, "title")->node), prefix + ".title", problem);
    }
    if (const Entry* attributes = find_entry(entries, "attributes"))
      validate_attributes(*attributes->node, prefix, rule, diag);
    if (const Entry* files = find_entry(entries, "files")) validate_files(*files->node, prefix, rule, diag);
    if (const std::string* group = string_value(entries, "group_by", prefix + ".group_by", diag)) {
      static const sdk::Regex field_shape = sdk::Regex::compile("[a-z][a-z0-9_]{0,63}", false);
      if (!field_shape.full_match(*group))
        diag.error(location_of(*find_entry(entries, "group_by")->node), prefix + ".group_by",
                   "must name a metadata field in lower case, e.g. \"thread\"");
      else
        rule.group_by = *group;
    }
    out.push_back(std::move(rule));
  }
}

}  // namespace sseccoe::core::config_detail
