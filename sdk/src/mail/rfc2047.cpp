#include "rfc2047.hpp"

#include <cctype>
#include <optional>

#include "text.hpp"

namespace sseccoe::sdk::mail::detail {

namespace {

struct Word {
  std::string charset;
  std::string bytes;  // decoded, still in `charset`
  std::size_t end = 0;
};

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

std::optional<std::string> decode_base64(std::string_view text) {
  std::string out;
  unsigned bits = 0;
  int nbits = 0;
  for (char c : text) {
    if (c == '=') break;  // padding ends the word's data
    const int v = base64_value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((bits >> nbits) & 0xFF));
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string decode_q(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '_') {
      out.push_back(' ');
    } else if (c == '=' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// An encoded word starting at `pos` ("=?charset[*lang]?B|Q?text?="), if any.
std::optional<Word> word_at(std::string_view s, std::size_t pos) {
  if (s.compare(pos, 2, "=?") != 0) return std::nullopt;
  const std::size_t q1 = s.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return std::nullopt;
  const char encoding = static_cast<char>(std::toupper(static_cast<unsigned char>(s[q1 + 1])));
  if (encoding != 'B' && encoding != 'Q') return std::nullopt;
  const std::size_t text_begin = q1 + 3;
  const std::size_t close = s.find("?=", text_begin);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view text = s.substr(text_begin, close - text_begin);
  if (text.find_first_of(" \t\r\n") != std::string_view::npos) return std::nullopt;
  std::string charset(s.substr(pos + 2, q1 - pos - 2));
  if (auto star = charset.find('*'); star != std::string::npos) charset.resize(star);  // RFC 2231 language
  if (charset.empty()) return std::nullopt;
  Word w;
  w.charset = charset;
  w.end = close + 2;
  if (encoding == 'B') {
    auto bytes = decode_base64(text);
    if (!bytes) return std::nullopt;
    w.bytes = std::move(*bytes);
  } else {
    w.bytes = decode_q(text);
  }
  return w;
}

bool same_charset(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

bool has_encoded_word(std::string_view raw) {
  for (std::size_t pos = raw.find("=?"); pos != std::string_view::npos; pos = raw.find("=?", pos + 2))
    if (word_at(raw, pos)) return true;
  return false;
}

std::string decode_rfc2047(std::string_view raw) {
  // Unfold: a line break followed by white space is that white space.
  std::string s;
  s.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r' || raw[i] == '\n') continue;
    s.push_back(raw[i]);
  }
  std::string out;
  std::string pending_charset, pending_bytes;  // adjacent words of one charset
  auto flush = [&] {
    if (!pending_bytes.empty() || !pending_charset.empty()) out += to_utf8(pending_bytes, pending_charset);
    pending_bytes.clear();
    pending_charset.clear();
  };
  std::string text_run;  // plain text since the last word
  bool after_word = false;
  std::size_t i = 0;
  while (i < s.size()) {
    if (auto w = (s[i] == '=' ? word_at(s, i) : std::nullopt)) {
      // White space between two encoded words is not part of the text.
      const bool only_space = text_run.find_first_not_of(" \t") == std::string::npos;
      if (!(after_word && only_space)) {
        flush();
        out += ensure_utf8(text_run);
      }
      text_run.clear();
      if (!same_charset(pending_charset, w->charset)) {
        flush();
        pending_charset = w->charset;
      }
      pending_bytes += w->bytes;
      after_word = true;
      i = w->end;
      continue;
    }
    text_run.push_back(s[i]);
    ++i;
  }
  flush();
  out += ensure_utf8(text_run);
  return out;
}

std::string plain_parameter(std::string_view value, std::string_view name) {
  std::size_t pos = 0;
  while ((pos = value.find(';', pos)) != std::string_view::npos) {
    ++pos;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t' || value[pos] == '\r' || value[pos] == '\n'))
      ++pos;
    std::size_t eq = value.find('=', pos);
    if (eq == std::string_view::npos) return {};
    std::string_view key = value.substr(pos, eq - pos);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
    bool match = key.size() == name.size();
    for (std::size_t k = 0; match && k < key.size(); ++k)
      match = std::tolower(static_cast<unsigned char>(key[k])) == std::tolower(static_cast<unsigned char>(name[k]));
    std::size_t v = eq + 1;
    while (v < value.size() && (value[v] == ' ' || value[v] == '\t')) ++v;
    std::string text;
    std::size_t next = v;
    if (v < value.size() && value[v] == '"') {
      for (next = v + 1; next < value.size() && value[next] != '"'; ++next) {
        if (value[next] == '\\' && next + 1 < value.size()) ++next;
        text.push_back(value[next]);
      }
    } else {
      next = value.find(';', v);
      text = std::string(value.substr(v, next == std::string_view::npos ? std::string_view::npos : next - v));
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
    }
    if (match) return text;
    pos = next == std::string_view::npos ? value.size() : next;
  }
  return {};
}

}  // namespace sseccoe::sdk::mail::detail
