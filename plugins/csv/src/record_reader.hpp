// Splits a CSV byte stream into records (RFC 4180, read leniently the way
// Excel writes and reads it), one record at a time through a fixed-size
// buffer, never the whole file.
//
// - Fields are separated by one delimiter byte; a field that starts with a
//   double quote is quoted: it may hold delimiters and line breaks, and ""
//   stands for one quote. Text after a closing quote is kept (`"a"b` is
//   `ab`), a quote inside an unquoted field is literal (`a"b`).
// - A record ends at LF, CRLF or a lone CR outside quotes. An empty line is
//   skipped. Line numbers count LF, CRLF and lone CR, inside quotes too, so
//   a record is reported at the line where it starts, as a person counts.
// - Bytes are kept as they are: decoding is the caller's (encoding.hpp).
//
// A record larger than the limit (an unterminated quote that swallows the
// file), one with too many fields, or a quoted field still open at the end
// of the file is reported as broken; reading then resumes on the line after
// the one the record started on (seeking back if the record ran past it),
// so that the rows behind a stray quote are still read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "byte_source.hpp"

namespace sseccoe::csv {

struct ReaderLimits {
  std::size_t max_row_bytes = 1u << 20;  // one field or one whole record
  std::size_t max_fields = 16384;        // Excel's column limit
  std::size_t buffer_bytes = 256u << 10;
};

class RecordReader {
 public:
  enum class Event { Record, Broken, End };

  // Reads `in` from `start_offset` (after a byte-order mark, or Excel's
  // "sep=" line), counting lines from `first_line`.
  RecordReader(ByteSource& in, std::uint64_t start_offset, char delimiter, ReaderLimits limits = {},
               std::uint64_t first_line = 1);

  Event next();

  // After Event::Record: the fields' raw bytes (the vector and its strings
  // are reused by the next call; the caller may modify them in place).
  std::vector<std::string>& fields() { return fields_; }
  // After Record or Broken: the line the record starts on (1-based) and
  // its byte offset in the file.
  std::uint64_t line() const { return rec_line_; }
  std::uint64_t offset() const { return rec_offset_; }
  // After Record: some field holds a byte outside ASCII or a NUL, so it must
  // be decoded (or refused); pure ASCII needs neither.
  bool needs_decoding() const { return attention_; }
  // After Broken: what was wrong, without the line ("a field longer than 1 MiB ...").
  const std::string& reason() const { return reason_; }

  // How often reading resumed after a broken record: rows may have been
  // lost or misread around each, so the caller should not treat the file
  // as fully read (nothing is marked gone).
  std::uint64_t recoveries() const { return recoveries_; }

 private:
  enum class State { StartField, Unquoted, Quoted, QuoteSeen };

  bool fill();
  std::uint64_t here() const { return base_ + pos_; }
  void seek_to(std::uint64_t offset);
  void skip_pending_lf();
  bool next_field();
  bool append(const char* data, std::size_t n);
  void end_line_in_quotes(char c);
  Event broken(std::string reason);
  void finish_record();

  ByteSource& in_;
  const char delim_;
  const ReaderLimits limits_;
  // Byte classes: 0 plain ASCII, 1 structural (delimiter, quote, CR, LF),
  // 2 plain but needs decoding (>= 0x80, or NUL).
  unsigned char cls_[256];

  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t base_ = 0;  // file offset of buf_[0]

  std::uint64_t line_ = 1;
  bool after_cr_ = false;  // the last byte was a CR line break: an LF right after it belongs to it

  std::vector<std::string> fields_;
  std::size_t nf_ = 0;
  std::size_t row_bytes_ = 0;
  std::uint64_t rec_line_ = 0, rec_offset_ = 0;
  bool attention_ = false;
  // Where the line after the record's first line starts, once the record
  // has crossed a line break (recovery seeks there).
  std::optional<std::uint64_t> resume_offset_;
  bool resume_after_cr_ = false;

  std::string reason_;
  std::uint64_t recoveries_ = 0;
};

// "1 MiB", "512 KiB", "300 bytes": for reasons.
std::string human_bytes(std::uint64_t n);

}  // namespace sseccoe::csv
