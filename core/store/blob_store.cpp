#include "store/blob_store.hpp"

#include <fcntl.h>
#include <magic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <system_error>

#include "model/sha256.hpp"

namespace fs = std::filesystem;

namespace sseccoe::store {

namespace {

constexpr std::size_t kChunk = 1 << 20;   // 1 MiB: large enough for OpenSSL's SHA-NI path
constexpr std::size_t kMagicBytes = 64 << 10;
constexpr std::uint64_t kWritebackEvery = 8 << 20;

// Starts writeback of what was written so far without waiting for it, so the
// disk works while we hash the next chunks and the final fsync has little
// left to do; then tells the kernel the pages will not be read again, which
// keeps a large harvest from evicting the page cache of everything else.
void start_writeback(int fd, std::uint64_t from, std::uint64_t to) {
  if (to <= from) return;
  ::sync_file_range(fd, static_cast<off_t>(from), static_cast<off_t>(to - from), SYNC_FILE_RANGE_WRITE);
}

[[noreturn]] void sys_fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) sys_fail("open " + dir);
  int rc = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) sys_fail("fsync " + dir);
}

void write_all(int fd, const char* p, std::size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      sys_fail("write " + path);  // ENOSPC surfaces here with the path
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

std::string detect_media_type(const char* data, std::size_t n) {
  // libmagic's handle is not thread-safe: one per thread, loaded once.
  thread_local std::unique_ptr<struct magic_set, void (*)(magic_t)> cookie(
      [] {
        magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
        if (m && magic_load(m, nullptr) != 0) {
          magic_close(m);
          m = nullptr;
        }
        return m;
      }(),
      [](magic_t m) {
        if (m) magic_close(m);
      });
  if (!cookie || n == 0) return "application/octet-stream";
  const char* t = magic_buffer(cookie.get(), data, n);
  return t ? t : "application/octet-stream";
}

// Creates a blob's prefix directory (blobs/ab) when missing and makes its
// entry in the root durable before any blob is renamed into it: fsyncing
// blobs/ab after the rename makes the blob's name durable, not blobs/ab's
// own name, so without this a power loss after the first commit citing a
// blob in a new prefix could lose the directory and every blob in it. The
// lock makes a second thread that finds the directory just created wait
// until the creator's fsync is done.
void ensure_durable_dir(const std::string& root, const std::string& dir) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::error_code ec;
  bool created = fs::create_directory(dir, ec);
  if (ec) throw std::system_error(ec, "create " + dir);
  if (created) fsync_dir(root);
}

std::string temp_name() {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rng());
}

}  // namespace

// What the bytes are decides, not what the sender or the file name says: a
// "constancia.pdf" that is really a PNG is an image. The declared type is
// kept only where the content says nothing more precise (libmagic's
// octet-stream, or text/plain for a declared text/csv or text/calendar).
std::string choose_media_type(const std::string& declared, const std::string& detected) {
  if (declared.empty()) return detected;
  if (detected == "application/octet-stream") return declared;
  if (detected == "text/plain" && declared.rfind("text/", 0) == 0) return declared;
  return detected;
}

BlobStore::BlobStore(std::string root) : root_(std::move(root)) {
  fs::create_directories(root_ + "/tmp");
  // The root's own name in the state directory must be as durable as the
  // blobs put in it later (see ensure_durable_dir); once per open.
  auto self = fs::path(root_).lexically_normal();
  if (!self.has_filename()) self = self.parent_path();  // "state/blobs/" names state/blobs
  auto parent = self.parent_path();
  fsync_dir(root_);
  fsync_dir(parent.empty() ? "." : parent.string());
}

std::string BlobStore::path(const std::string& digest) const {
  return root_ + "/" + digest.substr(0, 2) + "/" + digest.substr(2);
}

bool BlobStore::exists(const std::string& digest) const {
  struct stat st{};
  return ::stat(path(digest).c_str(), &st) == 0;
}

BlobInfo BlobStore::put(std::istream& in, const std::string& media_type) {
  std::string tmp = root_ + "/tmp/" + temp_name();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) sys_fail("create " + tmp);
  struct Guard {
    int& fd;
    std::string& path;
    bool keep = false;
    ~Guard() {
      if (fd >= 0) ::close(fd);
      if (!keep) ::unlink(path.c_str());
    }
  } guard{fd, tmp};

  // The stream's own exception (a source's sdk::ContentError says whether
  // to retry) must reach the caller, but std::istream swallows what its
  // streambuf throws unless badbit is in the exception mask: add it for the
  // duration of the put, and give the caller its mask back.
  struct MaskGuard {
    std::istream& in;
    std::ios::iostate saved;
    ~MaskGuard() {
      try {
        in.exceptions(saved);
      } catch (...) {  // the state matches the caller's own mask: theirs to see, not ours to throw
      }
    }
  } mask{in, in.exceptions()};
  in.exceptions(mask.saved | std::ios::badbit);

  model::Sha256 hash;
  std::vector<char> buf(kChunk);
  std::string head;  // the first bytes, for libmagic
  BlobInfo info;
  std::uint64_t flushed = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::size_t n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    hash.update(buf.data(), n);
    if (head.size() < kMagicBytes) head.append(buf.data(), std::min(n, kMagicBytes - head.size()));
    write_all(fd, buf.data(), n, tmp);
    info.size += n;
    if (info.size - flushed >= kWritebackEvery) {
      start_writeback(fd, flushed, info.size);
      flushed = info.size;
    }
  }
  if (in.bad()) throw std::runtime_error("read error while storing a blob");
  if (::fsync(fd) != 0) sys_fail("fsync " + tmp);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
  fd = -1;

  info.digest = hash.hex_digest();
  info.declared_media_type = media_type;
  info.media_type = choose_media_type(media_type, detect_media_type(head.data(), head.size()));
  std::string dest = path(info.digest);
  std::string dir = dest.substr(0, dest.rfind('/'));
  if (exists(info.digest)) return info;  // identical content already stored; the guard removes tmp
  ensure_durable_dir(root_, dir);
  if (::rename(tmp.c_str(), dest.c_str()) != 0) sys_fail("rename " + tmp + " to " + dest);
  guard.keep = true;
  fsync_dir(dir);
  return info;
}

std::size_t BlobStore::collect_garbage(const std::function<bool(const std::string&)>& referenced) {
  std::error_code ec;
  for (auto& e : fs::directory_iterator(root_ + "/tmp", ec)) fs::remove(e.path(), ec);
  std::size_t removed = 0;
  for (auto& d : fs::directory_iterator(root_, ec)) {
    auto name = d.path().filename().string();
    if (name.size() != 2 || !d.is_directory()) continue;
    for (auto& f : fs::directory_iterator(d.path(), ec)) {
      std::string digest = name + f.path().filename().string();
      if (model::is_sha256_hex(digest) && !referenced(digest)) {
        if (fs::remove(f.path(), ec)) ++removed;
      }
    }
  }
  return removed;
}

}  // namespace sseccoe::store
