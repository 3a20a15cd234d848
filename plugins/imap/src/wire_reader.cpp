#include "wire_reader.hpp"

#include <algorithm>
#include <cstring>

#include "errors.hpp"

namespace sseccoe::imap {

WireReader::WireReader(ReadFn read, std::size_t max_line)
    : read_(std::move(read)), max_line_(max_line), buf_(kBufferSize) {}

void WireReader::fill() {
  if (begin_ == end_) begin_ = end_ = 0;
  if (end_ == buf_.size()) {
    // Only a partial line can be left: move it to the front.
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  const std::size_t n = read_(buf_.data() + end_, buf_.size() - end_);
  if (n == 0) throw NetworkError("the mail server closed the connection in the middle of an answer");
  end_ += n;
  total_ += n;
}

void WireReader::read_line(std::string& line) {
  line.clear();
  for (;;) {
    const char* start = buf_.data() + begin_;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    const std::size_t take = nl != nullptr ? static_cast<std::size_t>(nl - start) : end_ - begin_;
    if (line.size() + take > max_line_ + 1) {
      throw ProtocolError("the mail server sent a line longer than " + std::to_string(max_line_) +
                          " bytes; the answer cannot be read safely");
    }
    line.append(start, take);
    if (nl != nullptr) {
      begin_ += take + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() > max_line_)
        throw ProtocolError("the mail server sent a line longer than " + std::to_string(max_line_) + " bytes");
      return;
    }
    begin_ = end_;
    fill();
  }
}

void WireReader::read_exact(std::uint64_t size, const Sink& sink) {
  while (size > 0) {
    if (begin_ == end_) fill();
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(size, end_ - begin_));
    sink(buf_.data() + begin_, take);
    begin_ += take;
    size -= take;
  }
}

}  // namespace sseccoe::imap
