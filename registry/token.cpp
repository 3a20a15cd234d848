#include "token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "encoding.hpp"

namespace sseccoe::registry {

std::string new_token() {
  unsigned char raw[32];
  if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("OpenSSL could not produce random bytes");
  std::string out = base64url_encode(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
  OPENSSL_cleanse(raw, sizeof raw);
  return out;
}

std::array<unsigned char, 32> token_digest(std::string_view token) {
  std::array<unsigned char, 32> d{};
  unsigned int len = 0;
  if (EVP_Digest(token.data(), token.size(), d.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32)
    throw std::runtime_error("OpenSSL: SHA-256 failed");
  return d;
}

std::string hex(const std::array<unsigned char, 32>& digest) {
  static const char* h = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += h[c >> 4];
    out += h[c & 15];
  }
  return out;
}

std::optional<std::string> TokenRing::institution_of(std::string_view token) const {
  auto d = token_digest(token);
  const Institution* found = nullptr;
  for (const auto& inst : institutions_)
    if (CRYPTO_memcmp(d.data(), inst.token_sha256.data(), d.size()) == 0) found = &inst;
  if (!found) return std::nullopt;
  return found->id;
}

}  // namespace sseccoe::registry
