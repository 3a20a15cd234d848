// Classification rules: [[rule]] tables in file order, first match wins.
// A rule matches on the source, a glob over the natural key and regexes over
// metadata fields (RE2, sdk/regex.hpp: UTF-8 aware, case-insensitive,
// linear in the value). What no rule matches stays local as unclassified: the
// agent never sends evidence on a guess.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "sseccoe/sdk/glob.hpp"
#include "sseccoe/sdk/regex.hpp"

namespace sseccoe::core {

struct Decision {
  const RuleSection* rule = nullptr;
  std::string kind, activity, title;
  nlohmann::json attributes = nlohmann::json::object();
};

// The content roles a record of `kind` cites when its rule does not say
// (`files`): a plain file and attachments; for an email_dispatch also the raw
// message and its acuse, "the digitized image" the program asks for. A mail's
// body (inside the raw message) is thus sent only when a rule asks for it.
std::vector<std::string> default_file_roles(const std::string& kind);

// The rule language names the empty role (a folder's file) "file".
inline std::string role_name(const std::string& content_role) {
  return content_role.empty() ? "file" : content_role;
}

// One line of `explain`: what a rule said about an item.
struct RuleVerdict {
  int index = 0;
  std::string location;  // "agent.toml:31"
  bool matched = false;
  std::string why;       // "glob '**/*.pdf' does not match", "subject does not match /Constancia/"
};

class RuleSet {
 public:
  explicit RuleSet(const std::vector<RuleSection>& rules);

  // Whether any rule matches on metadata field `field` (e.g. media_type,
  // which is known only once the content has been read).
  bool uses_field(const std::string& field) const;

  // Evaluates rules in order; fills `trace` (if given) up to the first match.
  std::optional<Decision> classify(const std::string& source, const std::string& natural_key,
                                   const std::map<std::string, std::string>& metadata,
                                   std::vector<RuleVerdict>* trace = nullptr) const;

 private:
  struct Compiled {
    const RuleSection* rule;
    std::optional<sdk::Glob> glob;
    std::optional<sdk::Glob> attachment;
    std::vector<std::pair<std::string, sdk::Regex>> regex;
  };
  std::vector<Compiled> rules_;
};

// Expands "{stem}", "{meta.subject}" or "{subject}" from metadata; unknown
// names expand to nothing. "{{" and "}}" are literal braces.
std::string render_template(const std::string& tmpl, const std::map<std::string, std::string>& metadata);

nlohmann::json to_json(const std::vector<RuleVerdict>& trace);

}  // namespace sseccoe::core
