#include "file_text.hpp"

#include <unistd.h>

#include <ctime>
#include <cstdlib>
#include <memory>

namespace sseccoe::csv {

std::string file_locator(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string abs = path;
  if (abs.empty() || abs[0] != '/') {
    const std::unique_ptr<char, void (*)(void*)> cwd(::getcwd(nullptr, 0), std::free);
    if (cwd) abs = std::string(cwd.get()) + "/" + path;
  }
  std::string out = "file://";
  for (const char ch : abs) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string local_date(std::int64_t ns_since_epoch) {
  std::int64_t s = ns_since_epoch / 1'000'000'000;
  if (ns_since_epoch % 1'000'000'000 < 0) --s;  // towards the past for times before 1970
  const auto t = static_cast<std::time_t>(s);
  std::tm tm{};
  if (::localtime_r(&t, &tm) == nullptr) return {};
  char buf[16];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return std::string(buf, n);
}

}  // namespace sseccoe::csv
