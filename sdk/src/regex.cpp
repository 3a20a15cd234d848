#include "sseccoe/sdk/regex.hpp"

#include <re2/re2.h>

#include <vector>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk {

struct Regex::Impl {
  explicit Impl(const std::string& pattern, const RE2::Options& options) : re(pattern, options) {}
  RE2 re;
};

namespace {

RE2::Options options_for(bool ignore_case) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_case_sensitive(!ignore_case);
  o.set_log_errors(false);  // errors go to the caller, with the rule's line, not to stderr
  o.set_max_mem(Regex::kMaxMemory);
  return o;
}

bool ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// NFC for well-formed text; other bytes are left as they are (see search()).
std::string normalized(std::string_view s) {
  if (ascii(s) || !utf8::is_valid(s)) return std::string(s);
  return utf8::nfc(s);
}

}  // namespace

Regex Regex::compile(std::string_view pattern, bool ignore_case) {
  if (!utf8::is_valid(pattern)) throw RegexError("is not valid UTF-8: save the configuration file as UTF-8");
  Regex r;
  r.pattern_ = std::string(pattern);
  auto impl = std::make_shared<Impl>(normalized(pattern), options_for(ignore_case));
  if (!impl->re.ok()) {
    std::string what = impl->re.error();
    if (impl->re.error_code() == RE2::ErrorPatternTooLarge)
      what = "the expression is too large to match in bounded memory: simplify it (fewer repetitions such as {1000})";
    throw RegexError(what);
  }
  r.impl_ = std::move(impl);
  return r;
}

std::string Regex::problem(std::string_view pattern) {
  try {
    (void)compile(pattern, true);
    return {};
  } catch (const RegexError& e) {
    return e.what();
  }
}

bool Regex::search(std::string_view text) const {
  if (ascii(text)) return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), impl_->re);
  const std::string n = normalized(text);
  return RE2::PartialMatch(n, impl_->re);
}

}  // namespace sseccoe::sdk

namespace sseccoe::sdk {

bool Regex::full_match(std::string_view text) const {
  if (ascii(text)) return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), impl_->re);
  const std::string n = normalized(text);
  return RE2::FullMatch(n, impl_->re);
}

}  // namespace sseccoe::sdk

namespace sseccoe::sdk {

namespace {

// Successive matches of `re` in `text` (already normalised), each as its
// named groups.
std::vector<Regex::Groups> all_groups(const RE2& re, std::string_view text, std::size_t limit) {
  std::vector<Regex::Groups> out;
  const re2::StringPiece whole(text.data(), text.size());
  const int groups = re.NumberOfCapturingGroups();
  if (groups < 0) return out;
  std::vector<re2::StringPiece> sub(static_cast<std::size_t>(groups) + 1);
  const auto& names = re.CapturingGroupNames();  // index -> name
  std::size_t pos = 0;
  while (out.size() < limit && pos <= text.size()) {
    if (!re.Match(whole, pos, text.size(), RE2::UNANCHORED, sub.data(), groups + 1)) break;
    Regex::Groups g;
    g[""] = std::string(sub[0].data(), sub[0].size());
    for (const auto& [index, name] : names) {
      const auto& piece = sub[static_cast<std::size_t>(index)];
      if (piece.data() != nullptr) g[name] = std::string(piece.data(), piece.size());
    }
    out.push_back(std::move(g));
    const std::size_t end = static_cast<std::size_t>(sub[0].data() - text.data()) + sub[0].size();
    if (end > pos) {
      pos = end;
    } else {  // an empty match: one character (a whole UTF-8 sequence) further
      std::size_t step = 1;
      if (pos < text.size()) {
        const std::size_t len = utf8::sequence_length(text, pos);
        if (len > 0) step = len;
      }
      pos += step;
    }
  }
  return out;
}

}  // namespace

std::optional<Regex::Groups> Regex::search_groups(std::string_view text) const {
  auto found = search_all_groups(text, 1);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Regex::Groups> Regex::search_all_groups(std::string_view text, std::size_t limit) const {
  if (limit == 0) return {};
  if (ascii(text)) return all_groups(impl_->re, text, limit);
  const std::string n = normalized(text);
  return all_groups(impl_->re, n, limit);
}

std::vector<std::string> Regex::group_names() const {
  std::vector<std::string> out;
  for (const auto& [name, index] : impl_->re.NamedCapturingGroups()) out.push_back(name);
  return out;
}

}  // namespace sseccoe::sdk
