// Path globs, shared by plugins (include/exclude) and the core (rule
// matches), so that a pattern means the same wherever it is written. Matched
// against a natural key (the relative
// path with '/' separators, see natural_key.hpp). The whole key must match:
//   **      as a whole segment: zero or more directories ("**/x", "a/**/b", "a/**")
//   *       any run of characters within one segment (never '/')
//   ?       exactly one character (a code point, not a byte), never '/'
//   [abc]   one character of a class; ranges [a-z]; negation [!a] or [^a];
//           a ']' right after '[' (or '[!') is literal
//   \c      the character c itself (to match a literal *, ?, [ or \)
// A leading '/' is ignored (globs are always relative to the root) and a
// trailing '/' means "everything below" ("docs/" == "docs/**"). Patterns are
// NFC-normalised like keys, so they match however the config file spelled
// an accented letter. Case-insensitive matching compares simple lower-case
// mappings (Unicode, not just ASCII). Matching is linear in the key for one
// '**' and never exponential (greedy matching with one backtrack point).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::sdk {

struct GlobError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

class Glob {
 public:
  // Throws GlobError saying what is wrong with `pattern`.
  static Glob compile(std::string_view pattern, bool case_insensitive);

  const std::string& pattern() const { return pattern_; }

  bool matches(std::string_view key) const;

  // False only when no key below directory `dir_key` can match, so that the
  // walk may skip the directory ("" is the root).
  bool could_match_below(std::string_view dir_key) const;

  // True when every key below `dir_key` matches (the pattern is "P/**" and P
  // matches `dir_key`), so that an exclude glob may prune the directory.
  bool matches_everything_below(std::string_view dir_key) const;

 private:
  struct Token {
    enum class Kind { Literal, Any, Star, Class } kind;
    char32_t cp = 0;        // Literal (lower-cased when case-insensitive)
    std::size_t klass = 0;  // Class: index into classes_
  };
  struct CharClass {
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;
    bool in_ranges(char32_t c) const;  // ignores `negated`
  };
  struct Segment {
    bool globstar = false;
    std::vector<Token> tokens;
  };
  struct Text;  // a key decoded into code points, split at '/'

  Glob() = default;
  bool token_matches(const Token& t, char32_t c) const;
  bool segment_matches(const Segment& seg, const char32_t* text, std::size_t n) const;
  bool match_segments(std::size_t pat_end, const Text& text) const;

  std::string pattern_;
  bool case_insensitive_ = false;
  std::vector<Segment> segments_;
  std::vector<CharClass> classes_;
};

// An ordered list of globs; the union of what they match.
class GlobSet {
 public:
  GlobSet() = default;
  // Throws GlobError naming the offending pattern.
  static GlobSet compile(const std::vector<std::string>& patterns, bool case_insensitive);

  bool empty() const { return globs_.empty(); }
  bool matches(std::string_view key) const;
  bool could_match_below(std::string_view dir_key) const;
  bool matches_everything_below(std::string_view dir_key) const;

 private:
  std::vector<Glob> globs_;
};

// Convenience for one-off matches; a malformed pattern matches nothing.
inline bool glob_match(std::string_view pattern, std::string_view key, bool case_insensitive = true) {
  try {
    return Glob::compile(pattern, case_insensitive).matches(key);
  } catch (const GlobError&) {
    return false;
  }
}

// A syntax check for configuration: empty when fine, else what is wrong.
inline std::string glob_error(std::string_view pattern) {
  try {
    Glob::compile(pattern, true);
    return {};
  } catch (const GlobError& e) {
    return e.what();
  }
}

}  // namespace sseccoe::sdk
