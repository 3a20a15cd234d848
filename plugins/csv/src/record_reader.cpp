#include "record_reader.hpp"

#include <cstring>

namespace sseccoe::csv {

namespace {

constexpr unsigned char kPlain = 0;
constexpr unsigned char kStructural = 1;
constexpr unsigned char kAttention = 2;

}  // namespace

std::string human_bytes(std::uint64_t n) {
  if (n >= (1u << 20) && n % (1u << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= 1024 && n % 1024 == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

RecordReader::RecordReader(ByteSource& in, std::uint64_t start_offset, char delimiter, ReaderLimits limits,
                           std::uint64_t first_line)
    : in_(in), delim_(delimiter), limits_(limits), buf_(limits.buffer_bytes > 0 ? limits.buffer_bytes : 1),
      line_(first_line) {
  for (int b = 0; b < 256; ++b) cls_[b] = (b >= 0x80 || b == 0) ? kAttention : kPlain;
  for (const char c : {delim_, '"', '\r', '\n'}) cls_[static_cast<unsigned char>(c)] = kStructural;
  seek_to(start_offset);
}

bool RecordReader::fill() {
  base_ += end_;
  pos_ = end_ = 0;
  end_ = in_.read(buf_.data(), buf_.size());
  return end_ > 0;
}

void RecordReader::seek_to(std::uint64_t offset) {
  if (offset >= base_ && offset <= base_ + end_) {
    pos_ = static_cast<std::size_t>(offset - base_);
    return;
  }
  in_.seek(offset);
  base_ = offset;
  pos_ = end_ = 0;
}

void RecordReader::skip_pending_lf() {
  if (!after_cr_) return;
  if (pos_ == end_ && !fill()) return;  // keep after_cr_: nothing follows anyway
  after_cr_ = false;
  if (buf_[pos_] == '\n') ++pos_;
}

bool RecordReader::append(const char* data, std::size_t n) {
  std::string& f = fields_[nf_ - 1];
  f.append(data, n);
  row_bytes_ += n;
  return f.size() <= limits_.max_row_bytes && row_bytes_ <= limits_.max_row_bytes;
}

bool RecordReader::next_field() {
  if (nf_ >= limits_.max_fields) return false;
  ++nf_;
  ++row_bytes_;  // the delimiter
  if (fields_.size() < nf_) fields_.emplace_back();
  std::string& f = fields_[nf_ - 1];
  // Keep the buffers of ordinary cells between records, not of huge ones.
  if (f.capacity() > (64u << 10)) std::string().swap(f);
  else f.clear();
  return true;
}

void RecordReader::end_line_in_quotes(char c) {
  ++line_;
  if (!resume_offset_) {
    resume_offset_ = here();
    resume_after_cr_ = c == '\r';
  }
  after_cr_ = c == '\r';
}

void RecordReader::finish_record() { fields_.resize(nf_); }

RecordReader::Event RecordReader::broken(std::string reason) {
  reason_ = std::move(reason);
  ++recoveries_;
  if (resume_offset_) {
    seek_to(*resume_offset_);
    line_ = rec_line_ + 1;
    after_cr_ = resume_after_cr_;
    return Event::Broken;
  }
  // The record never crossed a line break: skip to the end of its line.
  after_cr_ = false;
  for (;;) {
    if (pos_ == end_ && !fill()) return Event::Broken;
    const void* hit = nullptr;
    const char* p = buf_.data() + pos_;
    const std::size_t n = end_ - pos_;
    const void* lf = std::memchr(p, '\n', n);
    const void* cr = std::memchr(p, '\r', lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - p) : n);
    hit = cr ? cr : lf;
    if (hit == nullptr) {
      pos_ = end_;
      continue;
    }
    pos_ = static_cast<std::size_t>(static_cast<const char*>(hit) - buf_.data()) + 1;
    ++line_;
    after_cr_ = *static_cast<const char*>(hit) == '\r';
    return Event::Broken;
  }
}

RecordReader::Event RecordReader::next() {
  for (;;) {  // once per physical record; empty lines loop back here
    skip_pending_lf();
    rec_line_ = line_;
    rec_offset_ = here();
    nf_ = 0;
    row_bytes_ = 0;
    attention_ = false;
    resume_offset_.reset();
    next_field();
    row_bytes_ = 0;
    bool any = false;  // anything of this record consumed (an empty line has nothing)
    State st = State::StartField;

    for (;;) {
      if (pos_ == end_ && !fill()) {
        if (st == State::Quoted)
          return broken("the file ends inside a quoted field of the row that starts on line " +
                        std::to_string(rec_line_) + " (an unterminated quote, or a file cut short)");
        if (!any) return Event::End;
        finish_record();
        return Event::Record;
      }
      if (after_cr_) {  // only inside quotes: a CRLF in a cell is one line
        after_cr_ = false;
        if (buf_[pos_] == '\n') {
          ++pos_;
          if (!append("\n", 1)) goto too_long;
          continue;
        }
      }
      const char c = buf_[pos_];
      switch (st) {
        case State::StartField:
          if (c == '"') {
            ++pos_;
            any = true;
            st = State::Quoted;
            continue;
          }
          st = State::Unquoted;
          [[fallthrough]];
        case State::Unquoted: {
          // The common case: a run of plain bytes, appended at once.
          std::size_t i = pos_;
          bool attention = false;
          while (i < end_) {
            const unsigned char k = cls_[static_cast<unsigned char>(buf_[i])];
            if (k == kStructural) break;
            attention |= k == kAttention;
            ++i;
          }
          if (i > pos_) {
            any = true;
            attention_ |= attention;
            const bool ok = append(buf_.data() + pos_, i - pos_);
            pos_ = i;
            if (!ok) goto too_long;
            continue;
          }
          if (c == '"') {  // literal inside an unquoted field
            any = true;
            ++pos_;
            if (!append("\"", 1)) goto too_long;
            continue;
          }
          break;  // delimiter or line break: handled below
        }
        case State::Quoted: {
          std::size_t i = pos_;
          bool attention = false;
          while (i < end_) {
            const char b = buf_[i];
            if (b == '"' || b == '\r' || b == '\n') break;
            attention |= cls_[static_cast<unsigned char>(b)] == kAttention;
            ++i;
          }
          if (i > pos_) {
            attention_ |= attention;
            const bool ok = append(buf_.data() + pos_, i - pos_);
            pos_ = i;
            if (!ok) goto too_long;
            continue;
          }
          ++pos_;
          if (c == '"') {
            st = State::QuoteSeen;
            continue;
          }
          if (!append(&c, 1)) goto too_long;
          end_line_in_quotes(c);
          continue;
        }
        case State::QuoteSeen:
          if (c == '"') {
            ++pos_;
            st = State::Quoted;
            if (!append("\"", 1)) goto too_long;
            continue;
          }
          if (c != delim_ && c != '\r' && c != '\n') {
            st = State::Unquoted;  // text after the closing quote is kept
            continue;
          }
          break;
      }
      // A delimiter or a line break outside quotes.
      ++pos_;
      if (c == delim_) {
        any = true;
        if (!next_field()) {
          return broken("more than " + std::to_string(limits_.max_fields) + " fields (is the delimiter right?)");
        }
        if (row_bytes_ > limits_.max_row_bytes) goto too_long;
        st = State::StartField;
        continue;
      }
      ++line_;
      after_cr_ = c == '\r';
      if (!any) break;  // an empty line
      finish_record();
      return Event::Record;
    }
    continue;

  too_long:
    const bool field = fields_[nf_ - 1].size() > limits_.max_row_bytes;
    const bool in_quotes = st == State::Quoted || st == State::QuoteSeen;
    return broken(std::string(field ? "a field longer than " : "a row longer than ") +
                  human_bytes(limits_.max_row_bytes) +
                  (in_quotes ? " (an unterminated quote?)" : ""));
  }
}

}  // namespace sseccoe::csv
