#include "file_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "model/sha256.hpp"

namespace sseccoe::registry {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kChunk = 64 * 1024;

std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error(what + " " + path + ": " + std::strerror(errno));
}

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw io_error("cannot open directory", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw io_error("cannot fsync directory", dir);
}

// A temporary file that removes itself unless it was renamed into place.
class TempFile {
 public:
  explicit TempFile(const std::string& dir) : path_(dir + "/upload-XXXXXX") {
    fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
    if (fd_ < 0) throw io_error("cannot create a temporary file in", dir);
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write(const char* p, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) throw io_error("cannot write", path_);
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  }
  void sync_and_close() {
    if (::fsync(fd_) != 0) throw io_error("cannot fsync", path_);
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) throw io_error("cannot close", path_);
  }
  void rename_to(const std::string& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) throw io_error("cannot rename into", target);
    kept_ = true;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool kept_ = false;
};

// Reads the body in chunks, hashing it and handing each chunk to `sink`.
// Stops reading at limit + 1 bytes.
template <typename Sink>
FileStore::Result consume(std::istream& body, const std::string& expected, std::uint64_t limit, Sink&& sink) {
  FileStore::Result r;
  model::Sha256 h;
  std::array<char, kChunk> buf;
  while (body) {
    body.read(buf.data(), buf.size());
    auto n = static_cast<std::size_t>(body.gcount());
    if (n == 0) break;
    r.size += n;
    if (r.size > limit) {
      r.outcome = FileStore::Outcome::too_large;
      return r;
    }
    h.update(buf.data(), n);
    sink(buf.data(), n);
  }
  if (body.bad()) throw std::runtime_error("the upload broke off after " + std::to_string(r.size) + " bytes");
  r.actual_sha256 = h.hex_digest();
  r.outcome = r.actual_sha256 == expected ? FileStore::Outcome::stored : FileStore::Outcome::digest_mismatch;
  return r;
}

}  // namespace

FileStore::FileStore(std::string root) : root_(std::move(root)) {
  fs::create_directories(root_ + "/tmp");
  std::size_t stale = 0;
  for (const auto& e : fs::directory_iterator(root_ + "/tmp")) {
    std::error_code ec;
    if (fs::remove(e.path(), ec)) ++stale;
  }
  if (stale) spdlog::info("removed {} unfinished upload(s) left in {}/tmp", stale, root_);
}

std::string FileStore::path_of(const std::string& sha256) const {
  return root_ + "/" + sha256.substr(0, 2) + "/" + sha256.substr(2);
}

bool FileStore::exists(const std::string& sha256) const {
  struct stat st {};
  return ::stat(path_of(sha256).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

FileStore::Result FileStore::store(std::istream& body, const std::string& expected_sha256, std::uint64_t limit) {
  TempFile tmp(root_ + "/tmp");
  Result r = consume(body, expected_sha256, limit, [&](const char* p, std::size_t n) { tmp.write(p, n); });
  if (r.outcome != Outcome::stored) return r;  // the temporary file goes away
  tmp.sync_and_close();
  std::string dir = root_ + "/" + expected_sha256.substr(0, 2);
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) throw io_error("cannot create directory", dir);
  // Two uploads of the same bytes may race here: rename() is atomic and both
  // carry identical content, so either result is right.
  tmp.rename_to(path_of(expected_sha256));
  fsync_dir(dir);
  return r;
}

FileStore::Result FileStore::verify_only(std::istream& body, const std::string& expected_sha256,
                                         std::uint64_t limit) {
  return consume(body, expected_sha256, limit, [](const char*, std::size_t) {});
}

bool drain(std::istream& in, std::uint64_t max) {
  std::array<char, kChunk> buf;
  std::uint64_t total = 0;
  while (in && total <= max) {
    in.read(buf.data(), buf.size());
    auto n = static_cast<std::uint64_t>(in.gcount());
    if (n == 0) break;
    total += n;
  }
  return total <= max && !in.bad();
}

}  // namespace sseccoe::registry
