#include "natural_key.hpp"

#include "sdk_text.hpp"

namespace sseccoe::folder {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void escape_byte(std::string& out, unsigned char b) {
  out += '%';
  out += kHex[b >> 4];
  out += kHex[b & 0x0F];
}

bool is_control(unsigned char b) { return b < 0x20 || b == 0x7F; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower-case hex is never produced, so it is not accepted either
}

// Calls on_text(run) for each maximal well-formed run and on_byte(b) for each
// byte outside one, in order.
template <typename OnText, typename OnByte>
void split_runs(std::string_view raw, OnText on_text, OnByte on_byte) {
  std::size_t run_start = 0;
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t len = utf8::sequence_length(raw, i);
    if (len != 0) {
      i += len;
      continue;
    }
    if (i > run_start) on_text(raw.substr(run_start, i - run_start));
    on_byte(static_cast<unsigned char>(raw[i]));
    ++i;
    run_start = i;
  }
  if (i > run_start) on_text(raw.substr(run_start, i - run_start));
}

}  // namespace

std::string encode_name(std::string_view raw_name) {
  std::string out;
  out.reserve(raw_name.size() + 8);
  split_runs(
      raw_name,
      [&](std::string_view run) {
        for (char c : utf8::nfc(run)) {
          const auto b = static_cast<unsigned char>(c);
          if (b == '%' || is_control(b)) {
            escape_byte(out, b);
          } else {
            out += c;
          }
        }
      },
      [&](unsigned char b) { escape_byte(out, b); });
  return out;
}

std::optional<std::string> decode_key(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] != '%') {
      out += key[i];
      continue;
    }
    if (i + 2 >= key.size()) return std::nullopt;  // "%" or "%X" at the end
    const int hi = hex_value(key[i + 1]);
    const int lo = hex_value(key[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string display_name(std::string_view raw_name) {
  std::string out;
  out.reserve(raw_name.size());
  split_runs(
      raw_name,
      [&](std::string_view run) {
        for (char32_t cp : utf8::code_points(utf8::nfc(run))) {
          utf8::append(out, (cp < 0x20 || cp == 0x7F) ? char32_t{0xFFFD} : cp);
        }
      },
      [&](unsigned char) { utf8::append(out, 0xFFFD); });
  return out;
}

std::string file_locator(std::string_view absolute_path) {
  std::string out = "file://";
  out.reserve(absolute_path.size() + 16);
  for (char c : absolute_path) {
    const auto b = static_cast<unsigned char>(c);
    const bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' ||
                            b == '.' || b == '_' || b == '~' || b == '/';
    if (unreserved) {
      out += c;
    } else {
      escape_byte(out, b);
    }
  }
  return out;
}

std::string join_key(std::string_view dir, std::string_view name_key) {
  if (dir.empty()) return std::string(name_key);
  std::string out;
  out.reserve(dir.size() + 1 + name_key.size());
  out.append(dir);
  out += '/';
  out.append(name_key);
  return out;
}

}  // namespace sseccoe::folder
