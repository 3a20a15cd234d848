#include "ids.hpp"

#include <algorithm>

#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::sdk::mail {

namespace {

// RFC 5322 caps a line at 998 characters; an id longer than that is not
// one, and a key must stay small.
constexpr std::size_t kMaxIdLength = 998;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Brackets gone, folding whitespace inside removed, domain lower-cased.
std::string clean_id(std::string_view raw) {
  std::string id;
  for (char c : raw)
    if (!is_space(c) && c != '<' && c != '>') id += c;
  if (id.size() > kMaxIdLength) return {};
  const auto at = id.rfind('@');
  if (at != std::string::npos)
    std::transform(id.begin() + static_cast<std::ptrdiff_t>(at), id.end(), id.begin() + static_cast<std::ptrdiff_t>(at),
                   ascii_lower);
  return id;
}

}  // namespace

std::string normalize_message_id(std::string_view v) {
  const auto open = v.find('<');
  if (open != std::string_view::npos) {
    const auto close = v.find('>', open + 1);
    return clean_id(v.substr(open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1));
  }
  // No brackets: some mailers write the bare id. Anything with a space in
  // the middle is not an id.
  while (!v.empty() && is_space(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_space(v.back())) v.remove_suffix(1);
  if (v.empty() || std::any_of(v.begin(), v.end(), is_space)) return {};
  return clean_id(v);
}

std::string natural_key(const Headers& headers, std::string_view raw_sha256) {
  if (!headers.message_id.empty()) return "msgid:" + headers.message_id;
  return "sha256:" + std::string(raw_sha256);
}

std::string key_from_message_id(std::string_view header_value) {
  const std::string id = normalize_message_id(header_value);
  return id.empty() ? std::string() : "msgid:" + id;
}

namespace detail {

std::vector<std::string> message_ids(std::string_view v, std::size_t limit) {
  std::vector<std::string> out;
  auto add = [&](std::string id) {
    if (!id.empty() && out.size() < limit && std::find(out.begin(), out.end(), id) == out.end())
      out.push_back(std::move(id));
  };
  if (v.find('<') != std::string_view::npos) {
    std::size_t pos = 0;
    while ((pos = v.find('<', pos)) != std::string_view::npos) {
      const auto close = v.find('>', pos + 1);
      if (close == std::string_view::npos) break;  // an unterminated id is no id
      add(clean_id(v.substr(pos + 1, close - pos - 1)));
      pos = close + 1;
    }
    return out;
  }
  std::size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (is_space(v[i]) || v[i] == ',')) ++i;
    std::size_t j = i;
    while (j < v.size() && !is_space(v[j]) && v[j] != ',') ++j;
    if (j > i && v.substr(i, j - i).find('@') != std::string_view::npos) add(clean_id(v.substr(i, j - i)));
    i = j;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

}  // namespace detail
}  // namespace sseccoe::sdk::mail
