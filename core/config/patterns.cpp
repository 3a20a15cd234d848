// Syntax checks for the two small languages a rule is written in: globs over
// natural keys (sdk/glob.hpp) and templates for titles and attributes. They run at load
// time so that a typo is reported with its line, not discovered as a rule
// that silently never matches.
#include <string>

#include "config/config.hpp"
#include "sseccoe/sdk/glob.hpp"

namespace sseccoe::core {

std::string check_glob(const std::string& glob) {
  // The matcher is sdk::Glob (shared with the plugins, which compile include
  // and exclude lists with it); its own check comes first, then the mistakes
  // it would accept but that never do what the writer meant.
  if (glob.empty()) return "is empty: remove 'glob' to match every item";
  const std::string syntax = sdk::glob_error(glob);
  if (!syntax.empty())
    return "has an error: " + syntax;
  if (glob.find("***") != std::string::npos)
    return "has '***', which is not a pattern: write '**/' for any number of folders and '*' within a name";
  if (glob.front() == '/')
    return "starts with '/': a glob matches the item's relative path (its natural key), e.g. \"**/*.pdf\"";
  if (const auto open = glob.find('{'); open != std::string::npos) {
    const auto close = glob.find('}', open);
    if (close != std::string::npos && glob.find(',', open) < close)
      return "has '{...,...}' at position " + std::to_string(open + 1) +
             ": alternatives are not supported; write one rule per pattern, or match the path with a regular "
             "expression (match.path = \"\\\\.(pdf|jpg)$\")";
  }
  return {};
}

std::string check_template(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const std::string at = " at position " + std::to_string(i + 1);
    if (c == '{') {
      if (i + 1 < text.size() && text[i + 1] == '{') {
        ++i;
        continue;
      }
      const auto close = text.find('}', i + 1);
      if (close == std::string::npos)
        return "has an unclosed '{'" + at + ": close the placeholder with '}' or write '{{' for a brace";
      const std::string name = text.substr(i + 1, close - i - 1);
      if (name.empty()) return "has an empty placeholder '{}'" + at + ": e.g. \"{stem}\" or \"{meta.subject}\"";
      for (char n : name) {
        const bool ok = (n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') || n == '_' ||
                        n == '.' || n == '-';
        if (!ok)
          return "has an invalid placeholder '{" + name + "}'" + at +
                 ": names are letters, digits, '_', '-' and '.', e.g. \"{meta.subject}\"";
      }
      i = close;
    } else if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        ++i;
        continue;
      }
      return "has a '}' without '{'" + at + ": write '}}' for a brace";
    }
  }
  return {};
}

}  // namespace sseccoe::core
