// Regular expressions that users write (rule matches, plugin options),
// shared by the core and plugins so that a pattern means the same wherever
// it is written. Backed by RE2 rather than std::regex: libstdc++'s
// std::regex matches bytes ("[aá]" never matches "á" in UTF-8), folds case
// for ASCII only, refuses "(?i)", and recurses once per character, so a long
// mail subject overflows the stack. RE2 works on code points, folds case
// with Unicode's tables (Á/á, Ñ/ñ), accepts inline flags, and runs in time
// linear in the text with bounded memory, whatever the pattern: a 1 MiB
// subject is searched whole, never cut.
//
// Syntax: RE2's (https://github.com/google/re2/wiki/Syntax), close to
// ECMAScript and PCRE without back-references and look-around. Patterns and
// texts are compared in Unicode NFC, so "á" written precomposed in the
// configuration matches "a" + combining accent in a file name from a Mac.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::sdk {

struct RegexError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

class Regex {
 public:
  // Compiles `pattern` (UTF-8). With `ignore_case` the whole pattern is
  // case-insensitive unless it says "(?-i)". Throws RegexError with RE2's
  // description of the problem and the offending fragment.
  static Regex compile(std::string_view pattern, bool ignore_case);

  // Why `pattern` does not compile, or "" when it does.
  static std::string problem(std::string_view pattern);

  // True when the pattern matches somewhere in `text` (unanchored; "^" and
  // "$" anchor at the text's ends). Text that is not well-formed UTF-8 (a
  // Windows-1252 subject) is searched as it is: its bytes match no letter
  // class, but ASCII parts still match.
  bool search(std::string_view text) const;

  // True when the pattern matches the whole of `text`.
  bool full_match(std::string_view text) const;

  // The named groups ("(?P<value>...)") of a match: name -> matched text,
  // with the whole match under "". A named group that took no part in the
  // match (an alternative not taken) is absent; one that matched nothing is
  // "". Texts are NFC-normalised as for search(), so the strings are parts
  // of the normalised text.
  using Groups = std::map<std::string, std::string>;

  // The named groups of the first (leftmost) match in `text`, or nullopt
  // when the pattern matches nowhere.
  std::optional<Groups> search_groups(std::string_view text) const;

  // The named groups of successive non-overlapping matches, left to right,
  // at most `limit` of them (a caller that wants the first match whose
  // value passes a check, e.g. a CURP's check digit). An empty match is
  // followed by a search one character further on.
  std::vector<Groups> search_all_groups(std::string_view text, std::size_t limit) const;

  // The names of the pattern's named groups, sorted.
  std::vector<std::string> group_names() const;

  const std::string& pattern() const { return pattern_; }

  // RE2's memory budget for one compiled pattern: enough for any pattern
  // of the 1,024 characters a rule may have; larger programs are refused
  // at compile time rather than slowing every match.
  static constexpr long long kMaxMemory = 8 << 20;

 private:
  struct Impl;
  std::string pattern_;
  std::shared_ptr<const Impl> impl_;  // shared: a compiled pattern is immutable and thread-safe
};

}  // namespace sseccoe::sdk
