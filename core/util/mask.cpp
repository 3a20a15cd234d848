#include "util/mask.hpp"

#include <regex>

namespace sseccoe::util {

namespace {

// Keep the first `keep` characters (bytes of ASCII here: CURP/RFC/e-mail
// local parts as matched are ASCII) and replace the rest with '*'.
std::string keep_prefix(const std::string& s, std::size_t keep) {
  if (s.size() <= keep) return std::string(s.size(), '*');
  return s.substr(0, keep) + std::string(s.size() - keep, '*');
}

const std::regex& curp_re() {
  static const std::regex re(R"(\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d\b)", std::regex::icase);
  return re;
}
const std::regex& rfc_re() {
  // 'Ñ' is two bytes in UTF-8: as an alternative, not a bracket member, so
  // that "MUÑO800101AB1" matches from its first letter (a bracket would
  // match a 12-character RFC starting at the 'Ñ' and leave a birth digit).
  static const std::regex re(R"(\b(?:[A-Z&]|Ñ|ñ){3,4}\d{6}[A-Z0-9]{3}\b)", std::regex::icase);
  return re;
}
const std::regex& email_re() {
  static const std::regex re(R"(([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,}))");
  return re;
}

std::string replace_all(const std::string& in, const std::regex& re, std::size_t keep) {
  std::string out;
  auto begin = std::sregex_iterator(in.begin(), in.end(), re);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    out.append(in, last, static_cast<std::size_t>(it->position()) - last);
    out += keep_prefix(it->str(), keep);
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  out.append(in, last, std::string::npos);
  return out;
}

// Byte length of the first n UTF-8 code points of s.
std::size_t utf8_prefix_bytes(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  while (i < s.size() && n > 0) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    --n;
  }
  return i;
}

std::string mask_segment(std::string_view seg) {
  std::string_view ext;
  if (auto dot = seg.rfind('.'); dot != std::string_view::npos && dot > 0 && seg.size() - dot <= 6) {
    ext = seg.substr(dot);
    seg = seg.substr(0, dot);
  }
  std::size_t keep = utf8_prefix_bytes(seg, 3);
  std::string out(seg.substr(0, keep));
  if (keep < seg.size()) out += "\xE2\x80\xA6";  // …
  out += ext;
  return out;
}

}  // namespace

std::string mask_personal(std::string_view text) {
  std::string s(text);
  s = replace_all(s, curp_re(), 4);
  s = replace_all(s, rfc_re(), 4);
  // e-mail: keep 2 characters of the local part and the whole domain, which
  // says which institution a message came from without saying who.
  std::string out;
  std::size_t last = 0;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), email_re()); it != std::sregex_iterator(); ++it) {
    out.append(s, last, static_cast<std::size_t>(it->position()) - last);
    out += keep_prefix((*it)[1].str(), 2) + "@" + (*it)[2].str();
    last = static_cast<std::size_t>(it->position() + it->length());
  }
  out.append(s, last, std::string::npos);
  return out;
}

std::string mask_key(std::string_view key) {
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (start <= key.size()) {
    auto slash = key.find('/', start);
    auto seg = key.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    out += first ? std::string(seg) : mask_segment(seg);
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
    first = false;
  }
  // A key that is one segment (a Message-ID, an HR row key) is masked whole.
  if (key.find('/') == std::string_view::npos) return mask_personal(mask_segment(key));
  return mask_personal(out);
}

}  // namespace sseccoe::util
