// Bearer tokens: 256 random bits, shown once as base64url; the registry only
// keeps and compares their SHA-256, in constant time.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"

namespace sseccoe::registry {

// 32 bytes from OpenSSL's CSPRNG, base64url without padding (43 characters).
std::string new_token();

std::array<unsigned char, 32> token_digest(std::string_view token);
std::string hex(const std::array<unsigned char, 32>& digest);

// Which institution a presented token belongs to. Every configured digest is
// compared, with CRYPTO_memcmp, whatever matched earlier: the time taken says
// nothing about which digest, or how much of one, matched.
class TokenRing {
 public:
  explicit TokenRing(const std::vector<Institution>& institutions) : institutions_(institutions) {}
  std::optional<std::string> institution_of(std::string_view token) const;

 private:
  std::vector<Institution> institutions_;
};

}  // namespace sseccoe::registry
