#include "imap_url.hpp"

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace sseccoe::imap {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_host_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

}  // namespace

ServerUrl parse_server_url(std::string_view url) {
  const std::string shown(url);
  auto bad = [&](const std::string& why) {
    return std::invalid_argument("url '" + shown + "' " + why +
                                 ": write it as imaps://mail.example.gob.mx:993 or imap://mail.example.gob.mx:143");
  };
  ServerUrl out;
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) throw bad("has no scheme");
  const std::string scheme = lower(url.substr(0, sep));
  if (scheme == "imaps") {
    out.implicit_tls = true;
    out.port = 993;
  } else if (scheme == "imap") {
    out.implicit_tls = false;
    out.port = 143;
  } else {
    throw bad("has the scheme '" + scheme + "'; only imaps and imap are understood");
  }
  std::string_view rest = url.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('@') != std::string_view::npos)
    throw bad("holds a user name; put the user in 'username' and the password in 'password_file'");
  if (rest.find_first_of("/?#;") != std::string_view::npos)
    throw bad("has a path; list folders in 'folders' instead");
  std::string_view port_text;
  bool has_port = false;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos) throw bad("has an IPv6 address without its closing ']'");
    out.host = std::string(rest.substr(1, close - 1));
    const std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw bad("has something after the IPv6 address");
      port_text = after.substr(1);
      has_port = true;
    }
    if (out.host.empty() || out.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
      throw bad("has a malformed IPv6 address");
  } else {
    const std::size_t colon = rest.find(':');
    out.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      has_port = true;
    }
    if (out.host.empty()) throw bad("has no host");
    for (const char c : out.host)
      if (!valid_host_char(c)) throw bad("has a malformed host name");
  }
  if (has_port) {
    unsigned value = 0;
    const auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (port_text.empty() || ec != std::errc() || p != port_text.data() + port_text.size() || value == 0 ||
        value > 65535)
      throw bad("has a malformed port");
    out.port = static_cast<std::uint16_t>(value);
  }
  return out;
}

}  // namespace sseccoe::imap
