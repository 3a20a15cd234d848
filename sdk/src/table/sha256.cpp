#include "sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace sseccoe::sdk::table::detail {

namespace {
[[noreturn]] void fail(const char* what) { throw std::runtime_error(std::string("OpenSSL SHA-256: ") + what + " failed"); }
}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()), md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {
  if (ctx_ == nullptr || md_ == nullptr) {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
    fail("initialisation");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

void Sha256::begin() {
  if (EVP_DigestInit_ex(ctx_, md_, nullptr) != 1) fail("EVP_DigestInit_ex");
}

void Sha256::update(std::string_view bytes) {
  if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) fail("EVP_DigestUpdate");
}

Sha256::Digest Sha256::end() {
  Digest d{};
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx_, d.data(), &n) != 1 || n != d.size()) fail("EVP_DigestFinal_ex");
  return d;
}

std::uint64_t Sha256::digest64(std::string_view bytes) {
  begin();
  update(bytes);
  const Digest d = end();
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | d[i];
  return v;
}

std::string Sha256::hex(const Digest& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(d.size() * 2);
  for (unsigned char b : d) {
    out += kHex[b >> 4];
    out += kHex[b & 0x0F];
  }
  return out;
}

}  // namespace sseccoe::sdk::table::detail
