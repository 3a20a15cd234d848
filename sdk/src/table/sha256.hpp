// SHA-256 through OpenSSL's EVP (which uses the CPU's SHA instructions),
// with one context reused for every row: a row costs two short digests.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;
struct evp_md_st;

namespace sseccoe::sdk::table::detail {

class Sha256 {
 public:
  using Digest = std::array<unsigned char, 32>;

  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void begin();
  void update(std::string_view bytes);
  Digest end();

  // The first 8 bytes of SHA-256(bytes), big-endian: a key's fingerprint.
  std::uint64_t digest64(std::string_view bytes);

  static std::string hex(const Digest& d);

 private:
  evp_md_ctx_st* ctx_;
  evp_md_st* md_;
};

}  // namespace sseccoe::sdk::table::detail
