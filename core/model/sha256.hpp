// Incremental SHA-256 through OpenSSL's EVP interface, which uses the CPU's
// SHA extensions where present (Debian's coreutils sha256sum does not).
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

namespace sseccoe::model {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t n);
  void update(std::string_view s) { update(s.data(), s.size()); }
  std::string hex_digest();  // finishes; the object must not be reused

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

std::string sha256_hex(std::string_view data);
bool is_sha256_hex(std::string_view s);

}  // namespace sseccoe::model
