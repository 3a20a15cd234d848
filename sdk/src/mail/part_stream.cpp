#include "part_stream.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <streambuf>
#include <vector>

#include "gmime_support.hpp"
#include "sseccoe/sdk/emitter.hpp"

namespace sseccoe::sdk::mail::detail {

namespace {

// Reads the file range and pushes it through a GMimeFilter (or none).
class DecodingBuf final : public std::streambuf {
 public:
  DecodingBuf(int fd, std::int64_t begin, std::int64_t end, GMimeFilter* filter, std::string what)
      : fd_(fd), pos_(begin), end_(end), filter_(filter), what_(std::move(what)), raw_(kPartChunk) {}
  ~DecodingBuf() override {
    if (fd_ >= 0) ::close(fd_);
  }
  DecodingBuf(const DecodingBuf&) = delete;
  DecodingBuf& operator=(const DecodingBuf&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    // A chunk of pure line breaks or invalid base64 decodes to nothing:
    // keep reading until there is output or the range is done.
    while (!done_) {
      std::size_t want = kPartChunk;
      if (end_ >= 0 && static_cast<std::int64_t>(want) > end_ - pos_) want = static_cast<std::size_t>(end_ - pos_);
      ssize_t n = 0;
      if (want > 0) {
        do n = ::pread(fd_, raw_.data(), want, pos_);
        while (n < 0 && errno == EINTR);
        if (n < 0) throw ContentError(what_ + ": read error (" + std::strerror(errno) + ")", false);
      }
      pos_ += n;
      const bool last = n == 0;
      char* out = raw_.data();
      std::size_t out_len = static_cast<std::size_t>(n);
      if (filter_ != nullptr) {
        size_t prespace = 0;
        if (last) {
          g_mime_filter_complete(filter_.get(), raw_.data(), 0, 0, &out, &out_len, &prespace);
        } else {
          g_mime_filter_filter(filter_.get(), raw_.data(), static_cast<size_t>(n), 0, &out, &out_len, &prespace);
        }
      }
      if (last) done_ = true;
      if (out_len > 0) {
        // The filter's output lives in its own buffer until the next call.
        setg(out, out, out + out_len);
        return traits_type::to_int_type(*gptr());
      }
    }
    return traits_type::eof();
  }

 private:
  int fd_;
  std::int64_t pos_;
  std::int64_t end_;  // -1: to the end of the file
  GPtr<GMimeFilter> filter_;
  std::string what_;
  std::vector<char> raw_;
  bool done_ = false;
};

class PartStream final : public std::istream {
 public:
  explicit PartStream(std::unique_ptr<DecodingBuf> buf) : std::istream(nullptr), buf_(std::move(buf)) {
    rdbuf(buf_.get());
    exceptions(std::ios::badbit);
  }

 private:
  std::unique_ptr<DecodingBuf> buf_;
};

int open_spool(const std::string& path, const std::string& what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    // The spool is the source's scratch copy: gone means the pass ended
    // before the core read it; the source offers the message again.
    throw ContentError(what + ": the spooled copy " + path + " cannot be opened (" + std::strerror(e) + ")",
                       e == ENOENT);
  }
  return fd;
}

GMimeFilter* decoder_for(int encoding) {
  switch (static_cast<GMimeContentEncoding>(encoding)) {
    case GMIME_CONTENT_ENCODING_BASE64:
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
    case GMIME_CONTENT_ENCODING_UUENCODE:
      return g_mime_filter_basic_new(static_cast<GMimeContentEncoding>(encoding), FALSE);
    default: return nullptr;
  }
}

}  // namespace

std::unique_ptr<std::istream> open_part(const std::string& path, const PartLocation& loc, const std::string& what) {
  ensure_gmime();
  // An attachment unpacked from a winmail.dat lives in its scratch file
  // (already unlinked): a descriptor of its own, read the same way.
  const int fd = loc.file ? ::fcntl(loc.file->fd, F_DUPFD_CLOEXEC, 0) : open_spool(path, what);
  if (fd < 0)
    throw ContentError(what + ": its unpacked copy cannot be reopened (" + std::strerror(errno) + ")", false);
  auto buf = std::make_unique<DecodingBuf>(fd, loc.begin, loc.end, decoder_for(loc.encoding), what);
  return std::make_unique<PartStream>(std::move(buf));
}

std::unique_ptr<std::istream> open_raw(const std::string& path, const std::string& what) {
  const int fd = open_spool(path, what);
  auto buf = std::make_unique<DecodingBuf>(fd, 0, -1, nullptr, what);
  return std::make_unique<PartStream>(std::move(buf));
}

}  // namespace sseccoe::sdk::mail::detail
