// Helpers shared by the catalog tests: the seed document, and ways to damage it.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sseccoe::catalog::testing {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string seed_path() { return std::string(SSECCOE_SEED_DIR) + "/PAT-2021-CEPCI-INM.txt"; }
inline std::string seed() { return read_file(seed_path()); }

// UTF-8 -> Latin-1 for text whose characters are all below U+0100 (the seed's are).
inline std::string to_latin1(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3F));
      ++i;
    } else {
      throw std::runtime_error("to_latin1: character beyond U+00FF");
    }
  }
  return out;
}

inline std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  if (at == std::string::npos) throw std::runtime_error("replace_once: '" + from + "' not found");
  return s.replace(at, from.size(), to);
}

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

}  // namespace sseccoe::catalog::testing
