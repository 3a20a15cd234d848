// base64url without padding (RFC 4648 section 5): bearer tokens and page
// tokens travel in headers and query strings unescaped.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::registry {

std::string base64url_encode(std::string_view bytes);
// nullopt for characters outside the alphabet or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace sseccoe::registry
