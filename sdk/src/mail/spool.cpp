// Spool: the raw message on disk, hashed while written.
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "sseccoe/sdk/mail.hpp"

namespace sseccoe::sdk::mail {

namespace {

std::string errno_text(int e) { return std::strerror(e); }

constexpr std::size_t kCopyChunk = 256 * 1024;

}  // namespace

struct Spool::Hash {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Hash() { EVP_MD_CTX_free(ctx); }
};

Spool::Spool(const std::string& dir) : hash_(std::make_unique<Hash>()) {
  if (hash_->ctx == nullptr || EVP_DigestInit_ex(hash_->ctx, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("cannot start a SHA-256 digest (OpenSSL)");
  std::string tmpl = dir + "/mail-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  fd_ = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd_ < 0) {
    const int e = errno;
    throw std::runtime_error("cannot create a spool file in " + dir + " (" + errno_text(e) +
                             "): check that the agent's work directory exists and is writable");
  }
  path_.assign(buf.data());
}

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
  if (!path_.empty()) ::unlink(path_.c_str());
}

void Spool::write(const char* data, std::size_t size) {
  if (fd_ < 0) throw std::logic_error("spool " + path_ + " is already finished");
  EVP_DigestUpdate(hash_->ctx, data, size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      throw std::runtime_error("cannot write the spool file " + path_ + " (" + errno_text(e) + ")" +
                               (e == ENOSPC ? ": the state disk is full" : ""));
    }
    done += static_cast<std::size_t>(n);
  }
  size_ += size;
}

void Spool::write_all(std::istream& in) {
  std::vector<char> buf(kCopyChunk);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = in.gcount();
    if (got > 0) write(buf.data(), static_cast<std::size_t>(got));
  }
  if (in.bad()) throw std::runtime_error("the message stream failed while it was spooled to " + path_);
}

const std::string& Spool::finish() {
  if (fd_ < 0) return sha256_;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(hash_->ctx, md, &len);
  static const char* hex = "0123456789abcdef";
  sha256_.clear();
  for (unsigned int i = 0; i < len; ++i) {
    sha256_ += hex[md[i] >> 4];
    sha256_ += hex[md[i] & 15];
  }
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0 && errno != EINTR)
    throw std::runtime_error("cannot close the spool file " + path_ + " (" + errno_text(errno) + ")");
  return sha256_;
}

}  // namespace sseccoe::sdk::mail
