#include "page_token.hpp"

#include <charconv>

#include "encoding.hpp"
#include "model/sha256.hpp"

namespace sseccoe::registry {

namespace {
// Version 1 layout before base64url: "1:<decimal cursor>:<16 hex of SHA-256(filters)>".
std::string filter_tag(std::string_view filter_key) { return model::sha256_hex(filter_key).substr(0, 16); }
}  // namespace

std::string encode_page_token(std::int64_t before, std::string_view filter_key) {
  return base64url_encode("1:" + std::to_string(before) + ":" + filter_tag(filter_key));
}

std::optional<std::int64_t> decode_page_token(std::string_view token, std::string_view filter_key) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  auto raw = base64url_decode(token);
  if (!raw || raw->rfind("1:", 0) != 0) return std::nullopt;
  auto colon = raw->find(':', 2);
  if (colon == std::string::npos || raw->substr(colon + 1) != filter_tag(filter_key)) return std::nullopt;
  std::int64_t v = 0;
  const char* b = raw->data() + 2;
  const char* e = raw->data() + colon;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || v <= 0) return std::nullopt;
  return v;
}

}  // namespace sseccoe::registry
