// What the document reader's tests build for themselves: minimal PDFs
// (text in one or two columns, a scan, hostile object graphs), PNG and JPEG
// headers, fake reader programs, and a temporary directory that is removed
// afterwards. Nothing is read from outside the test, so each case says in
// code exactly what the file holds.
#pragma once

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "extract/reader.hpp"
#include "need.hpp"

namespace sseccoe::core::extract::testing {

namespace fs = std::filesystem;

// A directory named sseccoe-extract-* under $TMPDIR, removed with all it holds.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/sseccoe-extract-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::string p = file(name);
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + p);
    return p;
  }
  // An executable shell script standing in for sseccoe-reader.
  std::string script(const std::string& name, const std::string& body) const {
    const std::string p = write(name, "#!/bin/sh\n" + body + "\n");
    fs::permissions(p, fs::perms::owner_all);
    return p;
  }

 private:
  fs::path path_;
};

// UTF-8 (Latin-1 range only) to a PDF literal string in WinAnsiEncoding:
// bytes above 0x7F as octal escapes (\351 is é), and ( ) \ escaped.
inline std::string pdf_string(const std::string& utf8) {
  std::string out = "(";
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    unsigned c = static_cast<unsigned char>(utf8[i]);
    if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) c = ((c & 0x1F) << 6) | (static_cast<unsigned char>(utf8[++i]) & 0x3F);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c >= 0x80) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\%03o", c & 0xFF);
      out += esc;
    } else {
      out += char(c);
    }
  }
  return out + ")";
}

// A PDF from its objects (numbered from 1, the first one the catalog), with
// a correct cross-reference table.
inline std::string pdf_from_objects(const std::vector<std::string>& objects, const std::string& trailer_extra = "") {
  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " + trailer_extra +
         ">>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

inline std::string stream_object(const std::string& dict_entries, const std::string& data) {
  return "<< " + dict_entries + " /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

// One page per entry of `pages`; each page is a list of lines in Helvetica
// 12 pt (WinAnsi). With `right` lines, a second column at x = 320: the
// content stream writes the two columns interleaved (left line, right line,
// ...), so only a reader that follows the layout, not the stream, gets
// them column by column. `page_extra` goes into each page dictionary.
struct PdfPage {
  std::vector<std::string> left;
  std::vector<std::string> right;
};

inline std::string text_pdf(const std::vector<PdfPage>& pages, const std::string& page_extra = "") {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 "
                                      "/BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"};
  std::string kids;
  for (const PdfPage& p : pages) {
    std::string content;
    const std::size_t n = std::max(p.left.size(), p.right.size());
    for (std::size_t i = 0; i < n; ++i) {
      const int y = 720 - int(i) * 16;
      if (i < p.left.size())
        content += "BT /F1 12 Tf 72 " + std::to_string(y) + " Td " + pdf_string(p.left[i]) + " Tj ET\n";
      if (i < p.right.size())
        content += "BT /F1 12 Tf 320 " + std::to_string(y) + " Td " + pdf_string(p.right[i]) + " Tj ET\n";
    }
    const std::size_t page_no = objects.size() + 1;
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                      "/Contents " + std::to_string(page_no + 1) + " 0 R " + page_extra + ">>");
    objects.push_back(stream_object("", content));
    kids += std::to_string(page_no) + " 0 R ";
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>";
  return pdf_from_objects(objects);
}

// A scan: one page holding a 2x2 grey image and no text at all.
inline std::string scan_pdf() {
  return pdf_from_objects({
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> "
      "/Contents 4 0 R >>",
      stream_object("", "q 400 0 0 500 100 150 cm /Im1 Do Q\n"),
      stream_object("/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
                    std::string("\x10\x80\x80\xF0", 4)),
  });
}

// --- images ---------------------------------------------------------------

inline std::uint32_t crc32(const std::string& s) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

inline std::string be32(std::uint32_t v) {
  return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}
inline std::string be16(std::uint32_t v) { return {char(v >> 8), char(v)}; }
inline std::string le16(std::uint32_t v) { return {char(v), char(v >> 8)}; }
inline std::string le32(std::uint32_t v) { return {char(v), char(v >> 8), char(v >> 16), char(v >> 24)}; }

inline std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(std::uint32_t(data.size())) + type + data + be32(crc32(type + data));
}

// A complete, valid grey PNG of width x height (image data as one stored,
// uncompressed deflate block, so no zlib is needed to write it).
inline std::string png(std::uint32_t width, std::uint32_t height) {
  std::string raw;
  for (std::uint32_t y = 0; y < height; ++y) raw += '\0' + std::string(width, '\x80');  // filter 0, grey
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  if (raw.size() > 65535) throw std::logic_error("png(): keep test images under 64 KiB of pixels");
  const std::string zlib = std::string("\x78\x01", 2) + '\x01' + le16(std::uint32_t(raw.size())) +
                           le16(std::uint32_t(~raw.size() & 0xFFFF)) + raw + be32((b << 16) | a);
  const std::string ihdr = be32(width) + be32(height) + std::string("\x08\x00\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1A\n", 8) + png_chunk("IHDR", ihdr) + png_chunk("IDAT", zlib) +
         png_chunk("IEND", "");
}

// A JPEG's markers up to its frame header, with an EXIF APP1 segment that
// carries DateTimeOriginal when `datetime` is not empty: IFD0 with one entry
// (the Exif IFD pointer), the Exif IFD with one entry (0x9003, ASCII, 20
// bytes), little-endian TIFF. No scan data: the reader stops at the frame.
inline std::string jpeg(std::uint32_t width, std::uint32_t height, const std::string& datetime = "") {
  std::string out("\xFF\xD8", 2);
  if (!datetime.empty()) {
    std::string tiff = std::string("II\x2A\x00", 4) + le32(8);
    // IFD0 at 8: 1 entry (12 bytes) + next-IFD offset; Exif IFD at 26.
    tiff += le16(1) + le16(0x8769) + le16(4) + le32(1) + le32(26) + le32(0);
    // Exif IFD at 26: 1 entry; its value (20 bytes) at 44.
    tiff += le16(1) + le16(0x9003) + le16(2) + le32(20) + le32(44) + le32(0);
    std::string value = datetime.substr(0, 19);
    value.resize(20, '\0');
    tiff += value;
    const std::string app1 = std::string("Exif\0\0", 6) + tiff;
    out += std::string("\xFF\xE1", 2) + be16(std::uint32_t(app1.size() + 2)) + app1;
  }
  // A quantisation table, so the frame header is not the first segment.
  out += std::string("\xFF\xDB", 2) + be16(67) + '\0' + std::string(64, '\x01');
  // SOF0: precision 8, height, width, 1 component.
  out += std::string("\xFF\xC0", 2) + be16(11) + '\x08' + be16(height) + be16(width) + std::string("\x01\x01\x11\x00", 4);
  out += std::string("\xFF\xD9", 2);
  return out;
}

// --- the program ------------------------------------------------------------

// The real sseccoe-reader beside the test binary (built with unit_extract),
// or "" when it is missing.
inline std::string reader_program() {
  const std::string p = DocumentReader::default_program();
  return ::access(p.c_str(), X_OK) == 0 ? p : "";
}

#define SSECCOE_NEED_READER(program)                                                                  \
  const std::string program = ::sseccoe::core::extract::testing::reader_program();                  \
  if (program.empty())                                                                               \
  SSECCOE_MISSING("sseccoe-reader is not built at " << DocumentReader::default_program()             \
                  << " (build the target sseccoe-reader, or set SSECCOE_READER)")

// No child of this process is left, running or a zombie.
inline bool no_children_left() {
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

inline long max_rss_kib() {
  struct rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

inline ReaderError::Cause cause_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const ReaderError& e) {
    if (message) *message = e.what();
    return e.cause;
  }
  ADD_FAILURE() << "no ReaderError was thrown";
  return ReaderError::Cause::failed;
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace sseccoe::core::extract::testing
