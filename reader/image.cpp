#include "image.hpp"

#include <libexif/exif-data.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace sseccoe::reader {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// The largest dimension we report: PNG allows 2^31-1, but anything beyond
// this is a hostile or broken header, not a photo of a poster.
constexpr std::uint32_t kMaxSide = 1u << 20;

std::uint32_t be32(const unsigned char* p) {
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
std::uint32_t be16(const unsigned char* p) { return std::uint32_t(p[0]) << 8 | p[1]; }
std::uint32_t le16(const unsigned char* p) { return std::uint32_t(p[1]) << 8 | p[0]; }
std::uint32_t le24(const unsigned char* p) { return std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0]; }

void set_size(Image& img, std::uint32_t w, std::uint32_t h) {
  if (w == 0 || h == 0 || w > kMaxSide || h > kMaxSide)
    throw std::runtime_error("the " + img.format + " header gives an impossible size (" + std::to_string(w) + "x" +
                             std::to_string(h) + ")");
  img.width = int(w);
  img.height = int(h);
}

// JPEG: walk the marker segments up to the first frame header (SOFn). Each
// segment's length is checked against what is left of the file by fseek
// (no byte of a skipped segment is read), and the walk stops after a fixed
// number of segments or at the start of scan, where the frame header would
// have had to come already.
void jpeg_size(std::FILE* f, Image& img) {
  if (std::fseek(f, 2, SEEK_SET) != 0) throw std::runtime_error("the JPEG is truncated");
  for (int segments = 0; segments < 4096; ++segments) {
    int c = std::fgetc(f);
    if (c != 0xFF) throw std::runtime_error("the JPEG is damaged (no marker where one must be)");
    int marker;
    int fill = 0;
    do {  // any number of 0xFF fill bytes may precede a marker
      marker = std::fgetc(f);
    } while (marker == 0xFF && ++fill < 65536);
    if (marker == EOF) throw std::runtime_error("the JPEG is truncated before its frame header");
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) throw std::runtime_error("the JPEG has no frame header");
    unsigned char len_bytes[2];
    if (std::fread(len_bytes, 1, 2, f) != 2) throw std::runtime_error("the JPEG is truncated");
    const std::uint32_t len = be16(len_bytes);
    if (len < 2) throw std::runtime_error("the JPEG is damaged (a segment shorter than its length field)");
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      unsigned char h[5];  // precision, height, width
      if (len < 7 || std::fread(h, 1, 5, f) != 5) throw std::runtime_error("the JPEG frame header is truncated");
      set_size(img, be16(h + 3), be16(h + 1));
      return;
    }
    if (std::fseek(f, long(len) - 2, SEEK_CUR) != 0) throw std::runtime_error("the JPEG is truncated");
  }
  throw std::runtime_error("the JPEG has too many segments before its frame header");
}

std::string exif_date(const std::string& path) {
  // libexif reads the file only up to its EXIF block; a JPEG without one
  // gives nullptr, which is not an error: many photos carry no EXIF.
  ExifData* ed = exif_data_new_from_file(path.c_str());
  if (ed == nullptr) return "";
  std::unique_ptr<ExifData, void (*)(ExifData*)> guard(ed, exif_data_unref);
  ExifEntry* e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_DATE_TIME_ORIGINAL);
  if (e == nullptr) e = exif_data_get_entry(ed, EXIF_TAG_DATE_TIME_ORIGINAL);
  if (e == nullptr) return "";
  char buf[64] = {};
  exif_entry_get_value(e, buf, sizeof buf);
  return exif_to_iso(buf);
}

}  // namespace

std::string exif_to_iso(const std::string& s) {
  // "YYYY:MM:DD HH:MM:SS", digits where digits belong.
  static constexpr char shape[] = "dddd:dd:dd dd:dd:dd";
  if (s.size() < sizeof shape - 1) return "";
  for (std::size_t i = 0; i + 1 < sizeof shape; ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(s[i])) != 0;
    if (shape[i] == 'd' ? !digit : s[i] != shape[i]) return "";
  }
  std::string out = s.substr(0, 19);
  out[4] = out[7] = '-';
  out[10] = 'T';
  if (out.substr(0, 4) == "0000") return "";  // "0000:00:00 00:00:00": unset
  return out;
}

Image read_image(const std::string& path) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) throw std::runtime_error("the file cannot be opened");
  unsigned char h[32] = {};
  const std::size_t n = std::fread(h, 1, sizeof h, f.get());
  Image img;
  static constexpr unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (n >= 8 && std::equal(png_sig, png_sig + 8, h)) {
    img.format = "png";
    // The first chunk must be IHDR: length 13, then width and height.
    if (n < 24 || be32(h + 8) != 13 || std::string(reinterpret_cast<char*>(h + 12), 4) != "IHDR")
      throw std::runtime_error("the PNG is damaged (no IHDR chunk first)");
    set_size(img, be32(h + 16), be32(h + 20));
  } else if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) {
    img.format = "jpeg";
    jpeg_size(f.get(), img);
    f.reset();
    img.datetime_original = exif_date(path);
  } else if (n >= 10 && (std::string(reinterpret_cast<char*>(h), 6) == "GIF87a" ||
                         std::string(reinterpret_cast<char*>(h), 6) == "GIF89a")) {
    img.format = "gif";
    set_size(img, le16(h + 6), le16(h + 8));
  } else if (n >= 30 && std::string(reinterpret_cast<char*>(h), 4) == "RIFF" &&
             std::string(reinterpret_cast<char*>(h + 8), 4) == "WEBP") {
    img.format = "webp";
    const std::string chunk(reinterpret_cast<char*>(h + 12), 4);
    if (chunk == "VP8X") {  // extended: canvas size minus one, 24 bits each
      set_size(img, le24(h + 24) + 1, le24(h + 27) + 1);
    } else if (chunk == "VP8 ") {  // lossy: a key frame's start code, then 14-bit sizes
      if (h[23] != 0x9D || h[24] != 0x01 || h[25] != 0x2A) throw std::runtime_error("the WebP frame is damaged");
      set_size(img, le16(h + 26) & 0x3FFF, le16(h + 28) & 0x3FFF);
    } else if (chunk == "VP8L") {  // lossless: signature 0x2f, then 14+14 bits
      if (h[20] != 0x2F) throw std::runtime_error("the WebP frame is damaged");
      const std::uint32_t bits = std::uint32_t(h[21]) | std::uint32_t(h[22]) << 8 | std::uint32_t(h[23]) << 16 |
                                 std::uint32_t(h[24]) << 24;
      set_size(img, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    } else {
      throw std::runtime_error("the WebP has an unknown first chunk");
    }
  } else {
    throw std::runtime_error("the file is not an image this reader knows (PNG, JPEG, GIF, WebP)");
  }
  return img;
}

}  // namespace sseccoe::reader
