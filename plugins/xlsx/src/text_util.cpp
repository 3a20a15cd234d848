#include "text_util.hpp"

#include <cstdio>

#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::xlsx {

std::string human_size(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 3) {
    v /= 1024;
    ++unit;
  }
  char buf[32];
  if (v == static_cast<double>(static_cast<std::uint64_t>(v)))
    std::snprintf(buf, sizeof buf, "%.0f %s", v, kUnits[unit]);
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[unit]);
  return buf;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string file_locator(std::string_view absolute_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "file://";
  out.reserve(absolute_path.size() + 16);
  for (char c : absolute_path) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
                            b == '.' || b == '_' || b == '~' || b == '/';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

std::string quoted(std::string_view name) {
  constexpr std::size_t kMax = 80;
  std::string out = "'";
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size();) {
    if (chars == kMax) {
      out += "...";
      break;
    }
    const std::size_t len = sdk::utf8::sequence_length(name, i);
    if (len == 0) {
      sdk::utf8::append(out, 0xFFFD);
      ++i;
    } else {
      const char32_t cp = sdk::utf8::decode_at(name, i, len);
      if (cp < 0x20 || cp == 0x7F)
        sdk::utf8::append(out, 0xFFFD);
      else
        out.append(name.substr(i, len));
      i += len;
    }
    ++chars;
  }
  out += "'";
  return out;
}

}  // namespace sseccoe::xlsx
