// The `url` option: imaps://host[:port] (TLS from the first byte, port 993)
// or imap://host[:port] (port 143, STARTTLS required unless the server is on
// loopback). Nothing else: the user goes in `username`, folders in `folders`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sseccoe::imap {

struct ServerUrl {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  std::uint16_t port = 993;
  bool implicit_tls = true;
};

// Throws std::invalid_argument saying what is wrong and how to write it.
ServerUrl parse_server_url(std::string_view url);

}  // namespace sseccoe::imap
