#include "sseccoe/sdk/glob.hpp"

#include <cstdint>
#include <functional>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk {

struct Glob::Text {
  std::vector<char32_t> cps;
  std::vector<std::pair<std::size_t, std::size_t>> segments;  // [begin, end) into cps

  explicit Text(std::string_view key) : cps(utf8::code_points(key)) {
    if (cps.empty()) return;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= cps.size(); ++i) {
      if (i == cps.size() || cps[i] == U'/') {
        segments.emplace_back(begin, i);
        begin = i + 1;
      }
    }
  }
  const char32_t* data(std::size_t seg) const { return cps.data() + segments[seg].first; }
  std::size_t size(std::size_t seg) const { return segments[seg].second - segments[seg].first; }
};

namespace {

std::string quoted(std::string_view pattern) { return "glob '" + std::string(pattern) + "'"; }

}  // namespace

Glob Glob::compile(std::string_view pattern, bool case_insensitive) {
  if (!utf8::is_valid(pattern)) throw GlobError(quoted(pattern) + " is not valid UTF-8");
  Glob g;
  g.pattern_ = std::string(pattern);
  g.case_insensitive_ = case_insensitive;
  const std::vector<char32_t> p = utf8::code_points(utf8::nfc(pattern));
  const std::size_t n = p.size();
  const auto fold = [&](char32_t c) { return case_insensitive ? utf8::to_lower(c) : c; };

  Segment seg;
  bool seg_started = false;  // distinguishes an empty segment ("a//b") from a real one
  const auto finish_segment = [&] {
    if (seg_started) g.segments_.push_back(std::move(seg));
    seg = Segment{};
    seg_started = false;
  };

  for (std::size_t i = 0; i < n;) {
    const char32_t c = p[i];
    if (c == U'/') {
      finish_segment();
      ++i;
      continue;
    }
    seg_started = true;
    if (c == U'*') {
      std::size_t stars = 0;
      while (i < n && p[i] == U'*') {
        ++stars;
        ++i;
      }
      const bool whole_segment = seg.tokens.empty() && (i == n || p[i] == U'/');
      if (stars >= 2 && whole_segment) {
        seg.globstar = true;
      } else if (seg.tokens.empty() || seg.tokens.back().kind != Token::Kind::Star) {
        seg.tokens.push_back({Token::Kind::Star});
      }
      continue;
    }
    if (c == U'?') {
      seg.tokens.push_back({Token::Kind::Any});
      ++i;
      continue;
    }
    if (c == U'\\') {
      if (i + 1 >= n) throw GlobError(quoted(pattern) + " ends with a lone '\\' (write '\\\\' for a backslash)");
      seg.tokens.push_back({Token::Kind::Literal, fold(p[i + 1])});
      i += 2;
      continue;
    }
    if (c == U'[') {
      CharClass cls;
      std::size_t j = i + 1;
      if (j < n && (p[j] == U'!' || p[j] == U'^')) {
        cls.negated = true;
        ++j;
      }
      bool first = true;
      bool closed = false;
      while (j < n) {
        char32_t lo = p[j];
        if (lo == U']' && !first) {
          closed = true;
          ++j;
          break;
        }
        if (lo == U'/') throw GlobError(quoted(pattern) + ": a '/' cannot stand inside [...]");
        if (lo == U'\\') {
          if (++j >= n) break;
          lo = p[j];
        }
        ++j;
        char32_t hi = lo;
        if (j + 1 < n && p[j] == U'-' && p[j + 1] != U']') {
          std::size_t k = j + 1;
          if (p[k] == U'\\' && k + 1 < n) ++k;
          hi = p[k];
          if (hi == U'/') throw GlobError(quoted(pattern) + ": a '/' cannot stand inside [...]");
          if (hi < lo) throw GlobError(quoted(pattern) + ": the range in [...] runs backwards");
          j = k + 1;
        }
        cls.ranges.emplace_back(lo, hi);
        first = false;
      }
      if (!closed) throw GlobError(quoted(pattern) + ": '[' is never closed by ']' (write '\\[' for a literal '[')");
      g.classes_.push_back(std::move(cls));
      seg.tokens.push_back({Token::Kind::Class, 0, g.classes_.size() - 1});
      i = j;
      continue;
    }
    seg.tokens.push_back({Token::Kind::Literal, fold(c)});
    ++i;
  }
  const bool trailing_slash = n > 0 && p[n - 1] == U'/';
  finish_segment();
  if (g.segments_.empty()) throw GlobError(quoted(pattern) + " is empty");
  if (trailing_slash) g.segments_.push_back(Segment{true, {}});
  return g;
}

bool Glob::CharClass::in_ranges(char32_t c) const {
  for (const auto& [lo, hi] : ranges)
    if (c >= lo && c <= hi) return true;
  return false;
}

bool Glob::token_matches(const Token& t, char32_t c) const {
  switch (t.kind) {
    case Token::Kind::Any: return true;
    case Token::Kind::Literal: return t.cp == (case_insensitive_ ? utf8::to_lower(c) : c);
    case Token::Kind::Class: {
      const CharClass& cls = classes_[t.klass];
      // Case-insensitively, [a-z] accepts 'Q' and [!a-z] rejects it: the
      // negation applies after every case form has been tried.
      bool in = cls.in_ranges(c);
      if (case_insensitive_ && !in) in = cls.in_ranges(utf8::to_lower(c)) || cls.in_ranges(utf8::to_upper(c));
      return in != cls.negated;
    }
    case Token::Kind::Star: return false;
  }
  return false;
}

// Classic greedy wildcard matching with a single backtrack point: correct
// because '*' matches any run and every other token exactly one character.
bool Glob::segment_matches(const Segment& seg, const char32_t* text, std::size_t n) const {
  const auto& tok = seg.tokens;
  const std::size_t m = tok.size();
  std::size_t p = 0, t = 0;
  std::size_t star = SIZE_MAX, star_t = 0;
  while (t < n) {
    if (p < m && tok[p].kind != Token::Kind::Star && token_matches(tok[p], text[t])) {
      ++p;
      ++t;
    } else if (p < m && tok[p].kind == Token::Kind::Star) {
      star = p++;
      star_t = t;
    } else if (star != SIZE_MAX) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < m && tok[p].kind == Token::Kind::Star) ++p;
  return p == m;
}

// The same greedy scheme one level up: '**' matches any run of segments and
// every other segment pattern exactly one segment.
bool Glob::match_segments(std::size_t pat_end, const Text& text) const {
  const std::size_t n = text.segments.size();
  std::size_t p = 0, t = 0;
  std::size_t star = SIZE_MAX, star_t = 0;
  while (t < n) {
    if (p < pat_end && !segments_[p].globstar && segment_matches(segments_[p], text.data(t), text.size(t))) {
      ++p;
      ++t;
    } else if (p < pat_end && segments_[p].globstar) {
      star = p++;
      star_t = t;
    } else if (star != SIZE_MAX) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pat_end && segments_[p].globstar) ++p;
  return p == pat_end;
}

bool Glob::matches(std::string_view key) const { return match_segments(segments_.size(), Text(key)); }

bool Glob::could_match_below(std::string_view dir_key) const {
  const Text text(dir_key);
  const std::size_t m = segments_.size();
  const std::size_t n = text.segments.size();
  // memo[p * (n + 1) + t]: -1 unknown, 0 no, 1 yes. Sizes are tiny (segments
  // of one pattern times depth of one directory).
  std::vector<std::int8_t> memo((m + 1) * (n + 1), -1);
  std::function<bool(std::size_t, std::size_t)> f = [&](std::size_t p, std::size_t t) -> bool {
    std::int8_t& slot = memo[p * (n + 1) + t];
    if (slot >= 0) return slot == 1;
    bool r;
    if (t == n) {
      r = p < m;  // what is left of the pattern must match at least one more segment
    } else if (p == m) {
      r = false;
    } else if (segments_[p].globstar) {
      r = f(p + 1, t) || f(p, t + 1);
    } else {
      r = segment_matches(segments_[p], text.data(t), text.size(t)) && f(p + 1, t + 1);
    }
    slot = r ? 1 : 0;
    return r;
  };
  return f(0, 0);
}

bool Glob::matches_everything_below(std::string_view dir_key) const {
  if (segments_.empty() || !segments_.back().globstar) return false;
  return match_segments(segments_.size() - 1, Text(dir_key));
}

GlobSet GlobSet::compile(const std::vector<std::string>& patterns, bool case_insensitive) {
  GlobSet set;
  set.globs_.reserve(patterns.size());
  for (const auto& p : patterns) set.globs_.push_back(Glob::compile(p, case_insensitive));
  return set;
}

bool GlobSet::matches(std::string_view key) const {
  for (const auto& g : globs_)
    if (g.matches(key)) return true;
  return false;
}

bool GlobSet::could_match_below(std::string_view dir_key) const {
  for (const auto& g : globs_)
    if (g.could_match_below(dir_key)) return true;
  return false;
}

bool GlobSet::matches_everything_below(std::string_view dir_key) const {
  for (const auto& g : globs_)
    if (g.matches_everything_below(dir_key)) return true;
  return false;
}

}  // namespace sseccoe::sdk
