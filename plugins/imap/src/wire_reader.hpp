// Buffered reading of an IMAP server's byte stream: lines (up to a limit)
// and literals of a known size, handed on in pieces so that a 200 MB
// message never sits in memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sseccoe::imap {

class WireReader {
 public:
  // Reads what is available into the buffer; returns 0 when the peer closed.
  using ReadFn = std::function<std::size_t(char* buf, std::size_t size)>;
  using Sink = std::function<void(const char* data, std::size_t size)>;

  static constexpr std::size_t kBufferSize = 256 * 1024;

  // `max_line`: a longer line is a protocol error (a server gone wrong, or
  // hostile), never an allocation without bound.
  WireReader(ReadFn read, std::size_t max_line);

  // The next line without its CRLF (a bare LF is accepted too). Throws
  // ProtocolError when it exceeds max_line and NetworkError when the server
  // closes the connection first.
  void read_line(std::string& line);
  // Exactly `size` bytes, given to `sink` in pieces of at most kBufferSize.
  void read_exact(std::uint64_t size, const Sink& sink);

  // Bytes received but not consumed yet (after STARTTLS there must be none).
  std::size_t buffered() const { return end_ - begin_; }
  std::uint64_t total_read() const { return total_; }

 private:
  void fill();

  ReadFn read_;
  std::size_t max_line_;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;
  std::uint64_t total_ = 0;
};

}  // namespace sseccoe::imap
