#include "catalog/line_reader.hpp"

#include <stdexcept>

#include "catalog/text.hpp"

namespace sseccoe::catalog {

namespace {
constexpr std::size_t kChunk = 64 * 1024;
}

LineReader::LineReader(std::istream& in, std::size_t max_line_bytes)
    : in_(in), max_line_bytes_(max_line_bytes), buf_(kChunk) {}

bool LineReader::fill() {
  if (eof_) return false;
  in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  const std::streamsize got = in_.gcount();
  if (in_.bad()) throw std::runtime_error("read error");
  pos_ = 0;
  end_ = static_cast<std::size_t>(got);
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  return true;
}

int LineReader::peek() {
  if (pos_ == end_ && !fill()) return -1;
  return static_cast<unsigned char>(buf_[pos_]);
}

int LineReader::get() {
  const int c = peek();
  if (c >= 0) ++pos_;
  return c;
}

bool LineReader::next(std::string& line) {
  line.clear();
  overlong_ = false;
  if (peek() < 0) return false;
  ++line_number_;
  for (int c = get(); c >= 0; c = get()) {
    if (c == '\n') break;
    if (c == '\r') {
      if (peek() == '\n') get();
      break;
    }
    if (line.size() < max_line_bytes_)
      line += static_cast<char>(c);
    else
      overlong_ = true;  // keep reading to the end of the line, keep nothing
  }
  if (overlong_) {
    line.clear();
    return true;
  }

  if (line_number_ == 1) {
    // UTF-16/32 documents would otherwise read as garbage with NULs: say what
    // they are instead, so that the operator re-saves the file.
    if (line.size() >= 2 && ((line[0] == '\xFF' && line[1] == '\xFE') || (line[0] == '\xFE' && line[1] == '\xFF')))
      throw std::runtime_error(
          "the document is UTF-16 (or UTF-32) text; save it as UTF-8 or Windows-1252 plain text");
    if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  }
  // The decision is taken per line so that the file streams: a line that is
  // valid UTF-8 is UTF-8 (Windows-1252 Spanish text almost never is), any
  // other line is Windows-1252.
  if (!text::is_valid_utf8(line)) {
    line = text::cp1252_to_utf8(line);
    if (cp1252_lines_++ == 0) first_cp1252_line_ = line_number_;
  }
  line = text::drop_controls(line);
  return true;
}

}  // namespace sseccoe::catalog
