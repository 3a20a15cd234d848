// Reads a text document line by line with bounded memory, and hands out each
// line as clean UTF-8: the BOM removed, CR/CRLF/LF all accepted, lines that
// are not UTF-8 decoded as Windows-1252 (what Word's "plain text" export
// writes on a Spanish Windows), control characters dropped.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace sseccoe::catalog {

class LineReader {
 public:
  // Lines longer than max_line_bytes are not kept: next() reports them as
  // overlong and skips their remainder, so a file without line breaks costs
  // at most max_line_bytes of memory.
  explicit LineReader(std::istream& in, std::size_t max_line_bytes = 64 * 1024);

  // Fills `line` with the next line (without its end-of-line) and returns
  // true, or returns false at the end of input. Throws std::runtime_error on a
  // read error or a UTF-16/UTF-32 document (line_number() says where).
  bool next(std::string& line);

  std::size_t line_number() const { return line_number_; }  // 1-based, of the last line read
  bool last_was_overlong() const { return overlong_; }

  // Encoding facts, for one summarising warning at the end.
  std::size_t cp1252_lines() const { return cp1252_lines_; }
  std::size_t first_cp1252_line() const { return first_cp1252_line_; }

 private:
  bool fill();
  int peek();
  int get();

  std::istream& in_;
  std::size_t max_line_bytes_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
  std::size_t line_number_ = 0;
  bool overlong_ = false;
  std::size_t cp1252_lines_ = 0;
  std::size_t first_cp1252_line_ = 0;
};

}  // namespace sseccoe::catalog
