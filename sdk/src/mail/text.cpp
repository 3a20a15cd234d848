#include "text.hpp"

#include <glib.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk::mail::detail {

namespace {

// Windows-1252 0x80..0x9F; the five undefined bytes keep their C1 code point.
constexpr char32_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

constexpr std::size_t kMaxNameBytes = 200;

}  // namespace

std::string ensure_utf8(std::string_view s) {
  if (utf8::is_valid(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  for (unsigned char c : s) {
    if (c < 0x80) out += static_cast<char>(c);
    else if (c < 0xA0) utf8::append(out, kCp1252High[c - 0x80]);
    else utf8::append(out, c);
  }
  return out;
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  if (charset.empty()) return ensure_utf8(bytes);
  std::string cs(charset);
  std::transform(cs.begin(), cs.end(), cs.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii") return ensure_utf8(bytes);
  // Latin-1 labels are Windows-1252 in practice (WHATWG): same bytes, more letters.
  if (cs == "iso-8859-1" || cs == "latin1" || cs == "windows-1252" || cs == "cp1252") {
    std::string out;
    for (unsigned char c : bytes) {
      if (c < 0x80) out += static_cast<char>(c);
      else if (c < 0xA0) utf8::append(out, kCp1252High[c - 0x80]);
      else utf8::append(out, c);
    }
    return out;
  }
  gsize written = 0;
  GError* err = nullptr;
  char* converted = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8", cs.c_str(), nullptr,
                              &written, &err);
  if (converted == nullptr) {
    if (err != nullptr) g_error_free(err);
    return ensure_utf8(bytes);
  }
  std::string out(converted, written);
  g_free(converted);
  return ensure_utf8(out);
}

std::string safe_file_name(std::string_view decoded) {
  std::string s = ensure_utf8(decoded);
  // Only the last path component: "..\\..\\x.pdf" and "/etc/x" name x.
  const auto slash = s.find_last_of("/\\");
  if (slash != std::string::npos) s.erase(0, slash + 1);
  std::string clean;
  for (unsigned char c : s)
    if (c >= 0x20 && c != 0x7f) clean += static_cast<char>(c);
  const auto first = clean.find_first_not_of(" .");
  if (first == std::string::npos) return {};
  clean.erase(0, first);
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  try {
    clean = utf8::nfc(clean);
  } catch (const std::invalid_argument&) {
    // ensure_utf8 made it well-formed; nfc cannot fail here.
  }
  if (clean.size() > kMaxNameBytes) {
    std::string ext;
    const auto dot = clean.rfind('.');
    if (dot != std::string::npos && clean.size() - dot <= 16) ext = clean.substr(dot);
    std::size_t cut = kMaxNameBytes - ext.size();
    while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;  // whole code points
    clean = clean.substr(0, cut) + ext;
  }
  return clean;
}

std::string fallback_name(std::size_t n, std::string_view media_type) {
  static const std::pair<std::string_view, std::string_view> kExt[] = {
      {"application/pdf", ".pdf"}, {"image/png", ".png"},       {"image/jpeg", ".jpg"},
      {"image/gif", ".gif"},       {"text/plain", ".txt"},      {"text/html", ".html"},
      {"text/csv", ".csv"},        {"message/rfc822", ".eml"},  {"application/zip", ".zip"},
      {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
  };
  std::string ext = ".bin";
  for (const auto& [type, e] : kExt)
    if (type == media_type) ext = e;
  return "parte-" + std::to_string(n) + ext;
}

namespace {

bool starts_with_ci(std::string_view s, std::size_t pos, std::string_view word) {
  if (pos + word.size() > s.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[pos + i])) != word[i]) return false;
  return true;
}

void decode_entity(std::string_view html, std::size_t& i, std::string& out) {
  // html[i] == '&'
  const auto semi = html.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10) {
    out += '&';
    ++i;
    return;
  }
  const std::string_view name = html.substr(i + 1, semi - i - 1);
  char32_t cp = 0;
  if (!name.empty() && name[0] == '#') {
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    try {
      const unsigned long v = std::stoul(std::string(name.substr(hex ? 2 : 1)), nullptr, hex ? 16 : 10);
      cp = v > 0 && v <= 0x10FFFF && (v < 0xD800 || v > 0xDFFF) ? static_cast<char32_t>(v) : U'\uFFFD';
    } catch (const std::exception&) {
      cp = 0;
    }
  } else {
    static const std::pair<std::string_view, char32_t> kNamed[] = {
        {"amp", U'&'},      {"lt", U'<'},       {"gt", U'>'},       {"quot", U'"'},     {"apos", U'\''},
        {"nbsp", U' '},     {"aacute", U'á'},   {"eacute", U'é'},   {"iacute", U'í'},   {"oacute", U'ó'},
        {"uacute", U'ú'},   {"ntilde", U'ñ'},   {"Aacute", U'Á'},   {"Eacute", U'É'},   {"Iacute", U'Í'},
        {"Oacute", U'Ó'},   {"Uacute", U'Ú'},   {"Ntilde", U'Ñ'},   {"uuml", U'ü'},     {"Uuml", U'Ü'},
        {"iexcl", U'¡'},    {"iquest", U'¿'},   {"laquo", U'«'},    {"raquo", U'»'},    {"copy", U'©'},
        {"middot", U'·'},   {"ndash", U'–'},    {"mdash", U'—'},    {"hellip", U'…'},   {"euro", U'€'}};
    for (const auto& [n, c] : kNamed)
      if (n == name) cp = c;
  }
  if (cp == 0) {
    out.append(html.substr(i, semi - i + 1));
  } else {
    utf8::append(out, cp);
  }
  i = semi + 1;
}

// For <script>, <style> and <head>, whose content is not text: the index
// just past the matching closing tag (or the end); 0 for any other tag.
std::size_t skip_element(std::string_view html, std::size_t name_at, std::size_t tag_end) {
  for (std::string_view skip : {"script", "style", "head"}) {
    const std::size_t after = name_at + skip.size();
    if (!starts_with_ci(html, name_at, skip) ||
        (after < html.size() && std::isalnum(static_cast<unsigned char>(html[after]))))
      continue;
    std::size_t k = tag_end;
    while ((k = html.find("</", k)) != std::string_view::npos && !starts_with_ci(html, k + 2, skip)) k += 2;
    const auto close_end = k == std::string_view::npos ? std::string_view::npos : html.find('>', k);
    return close_end == std::string_view::npos ? html.size() : close_end + 1;
  }
  return 0;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.substr(i, 4) == "<!--") {
        const auto end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      const auto end = html.find('>', i + 1);
      if (end == std::string_view::npos) break;  // a cut-off tag ends the text
      const bool closing = html[i + 1] == '/';
      const std::size_t name_at = i + 1 + (closing ? 1 : 0);
      if (!closing) {
        if (const auto skip_to = skip_element(html, name_at, end); skip_to != 0) {
          i = skip_to;
          continue;
        }
      }
      for (std::string_view block : {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
                                     "ol", "blockquote"}) {
        const std::size_t after = name_at + block.size();
        if (starts_with_ci(html, name_at, block) &&
            (after >= html.size() || !std::isalnum(static_cast<unsigned char>(html[after])))) {
          // <br> always breaks the line; blocks only start on a new one.
          if (block == "br" || (!out.empty() && out.back() != '\n')) out += '\n';
          if (block == "li" && !closing) out += "• ";
          break;
        }
      }
      i = end + 1;
      continue;
    }
    if (c == '&') {
      decode_entity(html, i, out);
      continue;
    }
    if (c == '\r' || c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
    } else if (c == ' ') {
      if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
    } else {
      out += c;
    }
    ++i;
  }
  // Collapse runs of blank lines and trailing spaces.
  std::string tidy;
  int newlines = 0;
  for (char ch : out) {
    if (ch == '\n') {
      while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
      if (++newlines <= 2 && !tidy.empty()) tidy += '\n';
      continue;
    }
    if (ch == ' ' && (tidy.empty() || tidy.back() == '\n')) continue;
    newlines = 0;
    tidy += ch;
  }
  while (!tidy.empty() && (tidy.back() == '\n' || tidy.back() == ' ')) tidy.pop_back();
  return tidy;
}

std::string human_size(std::uint64_t bytes) {
  static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

std::string stem_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::string(name);
  return std::string(name.substr(0, dot));
}

}  // namespace sseccoe::sdk::mail::detail
