#include "zip_writer.hpp"

#include <Poco/Checksum.h>
#include <Poco/DeflatingStream.h>

#include <filesystem>
#include <stdexcept>

namespace sseccoe::xlsx::testing {

namespace {

void put16(std::ostream& o, std::uint16_t v) {
  const char b[2] = {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)};
  o.write(b, 2);
}
void put32(std::ostream& o, std::uint32_t v) {
  const char b[4] = {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF),
                     static_cast<char>((v >> 16) & 0xFF), static_cast<char>(v >> 24)};
  o.write(b, 4);
}

// Forwards bytes to `next` while computing their CRC-32 and count.
class TeeBuf final : public std::streambuf {
 public:
  explicit TeeBuf(std::ostream& next) : next_(next) {}
  Poco::Checksum crc{Poco::Checksum::TYPE_CRC32};
  std::uint64_t count = 0;

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    crc.update(s, static_cast<unsigned>(n));
    count += static_cast<std::uint64_t>(n);
    next_.write(s, n);
    return n;
  }
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char ch = traits_type::to_char_type(c);
    xsputn(&ch, 1);
    return c;
  }

 private:
  std::ostream& next_;
};

}  // namespace

ZipWriter::ZipWriter(const std::string& path) : out_(path, std::ios::binary | std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot write " + path);
}

ZipWriter::~ZipWriter() = default;

void ZipWriter::add(const std::string& name, std::string_view data, const EntryOptions& options) {
  add_streamed(name, [&](std::ostream& o) { o.write(data.data(), static_cast<std::streamsize>(data.size())); },
               options);
}

void ZipWriter::add_streamed(const std::string& name, const std::function<void(std::ostream&)>& produce,
                             const EntryOptions& options) {
  Written w{};
  w.name = name;
  w.offset = static_cast<std::uint32_t>(out_.tellp());
  w.method = options.store ? 0 : 8;
  w.flags = options.encrypted ? 1 : 0;
  // Local header with placeholders, patched once the sizes are known.
  put32(out_, 0x04034b50);
  put16(out_, 20);
  put16(out_, w.flags);
  put16(out_, options.method.value_or(w.method));
  put16(out_, 0);
  put16(out_, 0x21);  // 1980-01-01
  put32(out_, 0);
  put32(out_, 0);
  put32(out_, 0);
  put16(out_, static_cast<std::uint16_t>(name.size()));
  put16(out_, 0);
  out_.write(name.data(), static_cast<std::streamsize>(name.size()));
  const auto data_start = out_.tellp();

  std::uint64_t count = 0;
  std::uint32_t crc = 0;
  if (options.store) {
    TeeBuf tee(out_);
    std::ostream o(&tee);
    produce(o);
    count = tee.count;
    crc = tee.crc.checksum();
  } else {
    Poco::DeflatingOutputStream deflate(out_, -15, options.level);  // raw deflate, as ZIP wants it
    TeeBuf tee(deflate);
    std::ostream o(&tee);
    produce(o);
    deflate.close();
    count = tee.count;
    crc = tee.crc.checksum();
  }
  const auto data_end = out_.tellp();
  w.compressed = options.declared_compressed.value_or(static_cast<std::uint32_t>(data_end - data_start));
  w.uncompressed = options.declared_uncompressed.value_or(static_cast<std::uint32_t>(count));
  w.crc = options.corrupt_crc ? crc ^ 0xDEADBEEF : crc;
  if (options.method) w.method = *options.method;
  uncompressed_total_ += count;

  out_.seekp(w.offset + 14);
  put32(out_, w.crc);
  put32(out_, w.compressed);
  put32(out_, w.uncompressed);
  out_.seekp(data_end);
  written_.push_back(w);
}

void ZipWriter::finish() {
  if (finished_) return;
  finished_ = true;
  const auto cd_start = static_cast<std::uint32_t>(out_.tellp());
  for (const auto& w : written_) {
    put32(out_, 0x02014b50);
    put16(out_, 20);
    put16(out_, 20);
    put16(out_, w.flags);
    put16(out_, w.method);
    put16(out_, 0);
    put16(out_, 0x21);
    put32(out_, w.crc);
    put32(out_, w.compressed);
    put32(out_, w.uncompressed);
    put16(out_, static_cast<std::uint16_t>(w.name.size()));
    put16(out_, 0);
    put16(out_, 0);
    put16(out_, 0);
    put16(out_, 0);
    put32(out_, 0);
    put32(out_, w.offset);
    out_.write(w.name.data(), static_cast<std::streamsize>(w.name.size()));
  }
  const auto cd_end = static_cast<std::uint32_t>(out_.tellp());
  put32(out_, 0x06054b50);
  put16(out_, 0);
  put16(out_, 0);
  put16(out_, static_cast<std::uint16_t>(written_.size()));
  put16(out_, static_cast<std::uint16_t>(written_.size()));
  put32(out_, cd_end - cd_start);
  put32(out_, cd_start);
  put16(out_, 0);
  out_.flush();
}

void truncate_file(const std::string& path, std::uint64_t size) { std::filesystem::resize_file(path, size); }

std::uint64_t file_size(const std::string& path) { return std::filesystem::file_size(path); }

}  // namespace sseccoe::xlsx::testing
