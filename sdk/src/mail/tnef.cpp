#include "tnef.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "part_stream.hpp"
#include "sseccoe/sdk/utf8.hpp"
#include "text.hpp"

// libytnef's headers are C without guards, and #define BYTE, WORD, DWORD and
// ULONG: included last, and those words are not used below.
extern "C" {
#include <tnef-errors.h>
#include <ytnef.h>
}

namespace sseccoe::sdk::mail::detail {

ScratchFile::~ScratchFile() {
  if (fd >= 0) ::close(fd);
}

namespace {

// The TNEF stream (MS-OXTNEF 2.1): a signature, a legacy key, then
// attributes, each: level (1 message, 2 attachment), id (type << 16 | id),
// length, data, checksum (the data bytes summed modulo 65536).
constexpr std::uint32_t kSignature = 0x223E9F78;
constexpr std::uint8_t kLevelMessage = 1;
constexpr std::uint8_t kLevelAttachment = 2;
constexpr std::uint32_t kAttAttachRendData = 0x00069002;  // starts an attachment
constexpr std::uint32_t kAttAttachTitle = 0x00018010;     // its (often 8.3) file name
constexpr std::uint32_t kAttAttachData = 0x0006800F;      // its bytes
constexpr std::uint32_t kAttAttachment = 0x00069005;      // its MAPI properties
constexpr std::uint32_t kAttOemCodepage = 0x00069007;     // the code page of 8-bit strings
constexpr std::size_t kAttrHeader = 9;                    // level, id, length
constexpr std::size_t kChecksum = 2;
// A file name longer than this is not one: it is not kept.
constexpr std::uint32_t kMaxTitleBytes = 4096;

// MAPI properties read from an attachment's attAttachment.
constexpr unsigned kPrDisplayName = 0x3001;
constexpr unsigned kPrAttachDataObj = 0x3701;
constexpr unsigned kPrAttachFilename = 0x3704;  // 8.3
constexpr unsigned kPrAttachLongFilename = 0x3707;
constexpr unsigned kPrAttachMimeTag = 0x370E;
constexpr unsigned kPtString8 = 0x001E;
constexpr unsigned kPtUnicode = 0x001F;
constexpr unsigned kPtObject = 0x000D;
constexpr unsigned kPtBinary = 0x0102;

std::uint32_t le32(const unsigned char* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string errno_text(int e) { return std::strerror(e); }

std::string scratch_dir_or_tmp(const std::string& dir) {
  if (!dir.empty()) return dir;
  const char* t = std::getenv("TMPDIR");
  return t != nullptr && *t != '\0' ? std::string(t) : std::string("/tmp");
}

std::shared_ptr<const ScratchFile> make_scratch(const std::string& dir_in) {
  const std::string dir = scratch_dir_or_tmp(dir_in);
  std::string tmpl = dir + "/tnef-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0)
    throw std::runtime_error("cannot create a scratch file to unpack a winmail.dat in " + dir + " (" +
                             errno_text(errno) + "): check that the agent's work directory is writable");
  // Unlinked now: the descriptor keeps the bytes, a crash leaves nothing.
  ::unlink(name.data());
  return std::make_shared<const ScratchFile>(fd);
}

void write_fully(int fd, const char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      throw std::runtime_error("cannot write the scratch copy of a winmail.dat (" + errno_text(e) + ")" +
                               (e == ENOSPC ? ": the work directory's disk is full" : ""));
    }
    done += static_cast<std::size_t>(n);
  }
}

// Sequential reads of the scratch file through one fixed buffer.
class Reader {
 public:
  explicit Reader(int fd) : fd_(fd), buf_(kPartChunk) {}

  std::int64_t pos() const { return pos_; }

  // Exactly `n` bytes into `dst` (nullptr: skipped), adding each byte to
  // `sum`; false when the file ends first.
  bool read(unsigned char* dst, std::size_t n, std::uint32_t* sum = nullptr) {
    while (n > 0) {
      if (at_ == len_ && !fill()) return false;
      const std::size_t take = std::min(n, len_ - at_);
      const auto* from = reinterpret_cast<const unsigned char*>(buf_.data() + at_);
      if (sum != nullptr)
        for (std::size_t i = 0; i < take; ++i) *sum += from[i];
      if (dst != nullptr) {
        std::memcpy(dst, from, take);
        dst += take;
      }
      at_ += take;
      pos_ += static_cast<std::int64_t>(take);
      n -= take;
    }
    return true;
  }

  bool at_end() {
    return at_ == len_ && !fill();
  }

 private:
  bool fill() {
    ssize_t n;
    do n = ::pread(fd_, buf_.data(), buf_.size(), pos_);
    while (n < 0 && errno == EINTR);
    if (n < 0) throw std::runtime_error("cannot read the scratch copy of a winmail.dat (" + errno_text(errno) + ")");
    at_ = 0;
    len_ = static_cast<std::size_t>(n);
    return n > 0;
  }

  int fd_;
  std::vector<char> buf_;
  std::size_t at_ = 0, len_ = 0;
  std::int64_t pos_ = 0;
};

struct Range {
  std::int64_t begin, end;
};

// What the framing walk found, before libytnef reads the properties.
struct Framing {
  std::string problem;
  struct Att {
    Range rend{0, 0};                // attAttachRendData, whole attribute
    Range mapi{0, 0};                // attAttachment, whole attribute; empty: none
    std::int64_t data_begin = -1, data_end = -1;
    std::string title;
  };
  std::vector<Att> atts;
  unsigned codepage = 0;    // attOemCodepage, 0 when absent
  bool stray = false;       // attachment attributes before any attAttachRendData
  std::int64_t size = 0;
};

std::string at_byte(std::int64_t pos) { return "at byte " + std::to_string(pos); }

Framing walk(int fd) {
  Framing f;
  Reader r(fd);
  std::array<unsigned char, kAttrHeader> h{};
  if (!r.read(h.data(), 6)) {
    f.problem = "it is too short to be TNEF";
    return f;
  }
  if (le32(h.data()) != kSignature) {
    f.problem = "it is not TNEF (it lacks the TNEF signature)";
    return f;
  }
  while (!r.at_end()) {
    const std::int64_t start = r.pos();
    if (!r.read(h.data(), kAttrHeader)) {
      f.problem = "it is truncated: the attribute " + at_byte(start) + " is cut in its header";
      return f;
    }
    const std::uint8_t level = h[0];
    const std::uint32_t id = le32(h.data() + 1);
    const std::uint32_t length = le32(h.data() + 5);
    if (level != kLevelMessage && level != kLevelAttachment) {
      f.problem = "it is malformed: the attribute " + at_byte(start) + " has level " + std::to_string(level);
      return f;
    }
    std::uint32_t sum = 0;
    // Names and the code page are kept; everything else is only summed.
    std::string keep;
    const bool keep_it = (level == kLevelAttachment && id == kAttAttachTitle && length <= kMaxTitleBytes) ||
                         (level == kLevelMessage && id == kAttOemCodepage && length <= 64);
    bool whole_data = false;
    if (keep_it) {
      keep.resize(length);
      whole_data = r.read(reinterpret_cast<unsigned char*>(keep.data()), length, &sum);
    } else {
      whole_data = r.read(nullptr, length, &sum);
    }
    if (!whole_data) {
      f.problem = "it is truncated: the attribute " + at_byte(start) + " declares " + std::to_string(length) +
                  " bytes, more than the file holds";
      return f;
    }
    std::array<unsigned char, kChecksum> c{};
    if (!r.read(c.data(), kChecksum)) {
      f.problem = "it is truncated: the attribute " + at_byte(start) + " lacks its checksum";
      return f;
    }
    if ((sum & 0xFFFF) != (std::uint32_t{c[0]} | std::uint32_t{c[1]} << 8)) {
      f.problem = "it is corrupt: the checksum of the attribute " + at_byte(start) + " does not match its data";
      return f;
    }
    const Range whole{start, r.pos()};
    const std::int64_t data_begin = start + static_cast<std::int64_t>(kAttrHeader);
    if (level == kLevelMessage) {
      if (id == kAttOemCodepage && keep.size() >= 4 && f.codepage == 0)
        f.codepage = le32(reinterpret_cast<const unsigned char*>(keep.data()));
      continue;
    }
    if (id == kAttAttachRendData) {
      // libytnef refuses (and prints) an attribute of no bytes.
      if (length == 0) {
        f.problem = "it is malformed: the attachment " + at_byte(start) + " has empty rendering data";
        return f;
      }
      f.atts.emplace_back();
      f.atts.back().rend = whole;
      continue;
    }
    if (f.atts.empty()) {
      f.stray = true;
      continue;
    }
    // The first of each per attachment: a repeated one is not what Outlook
    // writes, and libytnef would leak the first copy.
    Framing::Att& a = f.atts.back();
    if (id == kAttAttachData && a.data_begin < 0) {
      a.data_begin = data_begin;
      a.data_end = data_begin + length;
    } else if (id == kAttAttachTitle && a.title.empty()) {
      a.title = std::move(keep);
    } else if (id == kAttAttachment && a.mapi.end == a.mapi.begin && length > 0) {
      a.mapi = whole;
    }
    // Anything else (dates, the icon rendering) says nothing rules use;
    // libytnef 2.0 would even refuse an icon over 10000 bytes.
  }
  f.size = r.pos();
  return f;
}

// libytnef 2.0 prints to stdout what it finds wrong in a MAPI block
// ("Corrupted file detected at ytnef.c : 528", "Bad file"), and stdout is
// where `run --json` writes: a block is handed to it only when it reads the
// way TNEFFillMapi reads it, with the same limits, so that it never
// complains. This mirrors that function; it does not interpret anything.
class MapiCheck {
 public:
  MapiCheck(std::string_view block, bool& subject_seen) : b_(block), subject_seen_(subject_seen) {}

  bool ok() {
    std::uint32_t count = 0;
    if (!dword(count) || count == 0 || count > 1000) return false;
    for (std::uint32_t i = 0; i < count; ++i)
      if (!property()) return false;
    return pos_ == b_.size();
  }

 private:
  bool need(std::size_t n) const { return pos_ <= b_.size() && n <= b_.size() - pos_; }
  bool dword(std::uint32_t& v) {
    if (!need(4)) return false;
    v = le32(reinterpret_cast<const unsigned char*>(b_.data() + pos_));
    pos_ += 4;
    return true;
  }
  static std::size_t padded(std::size_t n) { return n + (n % 4 != 0 ? 4 - n % 4 : 0); }

  bool property() {
    std::uint32_t tag = 0;
    if (!dword(tag)) return false;
    unsigned type = tag & 0xFFFF;
    unsigned id = tag >> 16;
    if (id >= 0x8000) {  // a named property: a GUID, then names or a number
      if (!need(16)) return false;
      pos_ += 16;
      std::uint32_t names = 0;
      if (!dword(names)) return false;
      if (names > 0) {
        if (names > 1000) return false;
        for (std::uint32_t k = 0; k < names; ++k) {
          std::uint32_t len = 0;
          if (!dword(len) || len == 0 || len > 100 || !need(len)) return false;
          pos_ += padded(len);
        }
      } else {
        std::uint32_t number = 0;
        if (!dword(number)) return false;
        id = number & 0xFFFF;
      }
    }
    std::uint32_t values = 1;
    bool multi = false;
    if ((type & 0x1000) != 0) {  // MV_FLAG: a count, then each value without its own
      type -= 0x1000;
      multi = true;
      if (!dword(values)) return false;
    }
    if (values == 0 || values > 1000) return false;
    for (std::uint32_t v = 0; v < values; ++v) {
      std::uint32_t size = 0;
      switch (type) {
        case kPtBinary:
        case kPtObject:
        case kPtString8:
        case kPtUnicode: {
          std::uint32_t ignored = 0;
          if (!multi && !dword(ignored)) return false;  // "number of objects"
          if (!dword(size)) return false;
          if (size != 0 && (!need(size) || size > 524288)) return false;
          pos_ += padded(size);
          break;
        }
        case 0x0002:  // PT_I2: 2 bytes in 4
          if (!need(2)) return false;
          size = 2;
          pos_ += 4;
          break;
        case 0x000B: case 0x0003: case 0x0004: case 0x0006: case 0x0007: case 0x000A:  // 4 bytes
          if (!need(4)) return false;
          size = 4;
          pos_ += 4;
          break;
        case 0x0005: case 0x0014: case 0x0040:  // 8 bytes
          if (!need(8)) return false;
          size = 8;
          pos_ += 8;
          break;
        case 0x0048:  // PT_CLSID
          if (!need(16)) return false;
          size = 16;
          pos_ += 16;
          break;
        default: return false;
      }
      // The first subject-like property anywhere is copied, at most 100 bytes.
      if ((id == 0x0037 || id == 0x0038 || id == 0x0049 || id == 0x0070 || id == 0x0E1D) && !subject_seen_) {
        if (size == 0 || size > 100) return false;
        subject_seen_ = true;
      }
    }
    return true;
  }

  std::string_view b_;
  std::size_t pos_ = 0;
  bool& subject_seen_;
};

std::string read_range(int fd, const Range& r) {
  std::string out(static_cast<std::size_t>(r.end - r.begin), '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd, out.data() + done, out.size() - done, r.begin + static_cast<std::int64_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error("cannot read the scratch copy of a winmail.dat (" + errno_text(errno) + ")");
    done += static_cast<std::size_t>(n);
  }
  return out;
}

// libytnef's reader: the TNEF header and the attributes chosen by walk(),
// read from the scratch file, as if they were the whole stream.
struct Feed {
  int fd;
  const std::vector<Range>* ranges;
  std::size_t index = 0;
  std::int64_t at = 0;  // within ranges[index]
};

int feed_read(TNEFIOStruct* io, int size, int count, void* dest) {
  auto* f = static_cast<Feed*>(io->data);
  if (size <= 0 || count <= 0) return 0;
  std::size_t want = static_cast<std::size_t>(size) * static_cast<std::size_t>(count);
  auto* out = static_cast<char*>(dest);
  while (want > 0) {
    if (f->index >= f->ranges->size()) return 0;  // the end of the stream
    const Range& r = (*f->ranges)[f->index];
    const std::int64_t left = r.end - r.begin - f->at;
    if (left <= 0) {
      ++f->index;
      f->at = 0;
      continue;
    }
    const std::size_t n = std::min<std::size_t>(want, static_cast<std::size_t>(left));
    ssize_t got;
    do got = ::pread(f->fd, out, n, r.begin + f->at);
    while (got < 0 && errno == EINTR);
    if (got <= 0) return 0;
    out += got;
    want -= static_cast<std::size_t>(got);
    f->at += got;
  }
  return count;
}

struct TnefFree {
  TNEFStruct* t;
  ~TnefFree() { TNEFFree(t); }
};

std::string ytnef_error(int rc) {
  switch (rc) {
    case YTNEF_CANNOT_INIT_DATA: return "cannot start";
    case YTNEF_NOT_TNEF_STREAM: return "not a TNEF stream";
    case YTNEF_ERROR_READING_DATA: return "cannot read its data";
    case YTNEF_NO_KEY: return "no key";
    case YTNEF_BAD_CHECKSUM: return "bad checksum";
    case YTNEF_ERROR_IN_HANDLER: return "malformed attachment properties";
    default: return "error " + std::to_string(rc);
  }
}

// Up to the first NUL: Outlook terminates its strings.
std::string_view until_nul(std::string_view s) {
  const auto nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

// 8-bit strings are in the TNEF's code page (Windows-1252 in the
// committees' Outlooks); already well-formed UTF-8 is taken as it is.
std::string from_codepage(std::string_view bytes, unsigned codepage) {
  bytes = until_nul(bytes);
  if (utf8::is_valid(bytes)) return std::string(bytes);
  if (codepage == 0 || codepage == 1252 || codepage == 65001) return to_utf8(bytes, "windows-1252");
  return to_utf8(bytes, "CP" + std::to_string(codepage));
}

const MAPIProperty* find_prop(const MAPIProps& props, unsigned id) {
  for (unsigned i = 0; i < props.count; ++i) {
    const MAPIProperty& p = props.properties[i];
    if (p.custom == 0 && PROP_ID(p.id) == id && p.count >= 1 && p.data != nullptr && p.data[0].data != nullptr &&
        p.data[0].size > 0)
      return &p;
  }
  return nullptr;
}

std::string prop_string(const MAPIProps& props, unsigned id, unsigned codepage) {
  const MAPIProperty* p = find_prop(props, id);
  if (p == nullptr) return {};
  const variableLength& v = p->data[0];
  const auto* data = reinterpret_cast<const char*>(v.data);
  const auto size = static_cast<std::size_t>(v.size);
  switch (PROP_TYPE(p->id)) {
    // libytnef converted it to a NUL-terminated string of at most 3/2 of
    // the UTF-16 size (its own allocation), the size left as UTF-16's.
    case kPtUnicode: return from_ytnef_unicode(std::string_view(data, ::strnlen(data, size * 3 / 2 + 1)));
    case kPtString8: return from_codepage(std::string_view(data, size), codepage);
    default: return {};
  }
}

std::string type_from_extension(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".pdf", "application/pdf"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".tif", "image/tiff"},
      {".tiff", "image/tiff"},
      {".txt", "text/plain"},
      {".csv", "text/csv"},
      {".htm", "text/html"},
      {".html", "text/html"},
      {".xml", "application/xml"},
      {".zip", "application/zip"},
      {".eml", "message/rfc822"},
      {".msg", "application/vnd.ms-outlook"},
      {".doc", "application/msword"},
      {".xls", "application/vnd.ms-excel"},
      {".ppt", "application/vnd.ms-powerpoint"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
  };
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    const std::string ext = lower_ascii(std::string(name.substr(dot)));
    for (const auto& [e, type] : kTypes)
      if (e == ext) return std::string(type);
  }
  return "application/octet-stream";
}

// A declared MIME type when it looks like one ("application/pdf").
std::string plausible_type(std::string t) {
  t = lower_ascii(std::string(until_nul(t)));
  const auto slash = t.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == t.size() || t.size() > 127) return {};
  for (unsigned char c : t)
    if (c <= 0x20 || c >= 0x7F) return {};
  return t;
}

}  // namespace

bool is_tnef(std::string_view media_type, std::string_view file_name) {
  const std::string t = lower_ascii(std::string(media_type));
  return t == "application/ms-tnef" || t == "application/vnd.ms-tnef" ||
         lower_ascii(std::string(file_name)) == "winmail.dat";
}

std::string from_ytnef_unicode(std::string_view s) {
  // libytnef writes each UTF-16 code unit c as 1 byte (c <= 0x7F), 2 bytes
  // (c < 0x7FF) or 3 bytes: decode exactly that, without UTF-8's rules.
  std::vector<char32_t> units;
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 == 0) break;
    auto cont = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) & 0x3Fu : 0u; };
    if (b0 < 0x80) {
      units.push_back(b0);
      i += 1;
    } else if ((b0 & 0xE0) == 0xC0) {
      units.push_back((char32_t{b0 & 0x1Fu} << 6) | cont(1));
      i += 2;
    } else if ((b0 & 0xF0) == 0xE0) {
      units.push_back((char32_t{b0 & 0x0Fu} << 12) | (cont(1) << 6) | cont(2));
      i += 3;
    } else {
      units.push_back(0xFFFD);  // not something libytnef writes
      i += 1;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < units.size(); ++i) {
    const char32_t u = units[i];
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF) {
      utf8::append(out, 0x10000 + ((u - 0xD800) << 10) + (units[i + 1] - 0xDC00));
      ++i;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      utf8::append(out, 0xFFFD);
    } else {
      utf8::append(out, u);
    }
  }
  return out;
}

TnefContents unpack_tnef(const std::string& spool_path, const PartLocation& loc, const std::string& scratch_dir) {
  TnefContents out;
  auto scratch = make_scratch(scratch_dir);
  const int fd = scratch->fd;

  // 1. Decoded from the spool, never more than the cap.
  {
    PartLocation in_spool = loc;
    in_spool.file.reset();
    auto in = open_part(spool_path, in_spool, "the winmail.dat");
    std::vector<char> buf(kPartChunk);
    std::uint64_t total = 0;
    while (*in) {
      in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto n = static_cast<std::size_t>(in->gcount());
      total += n;
      if (total > kMaxTnefBytes) {
        out.problem = "it is larger than " + human_size(kMaxTnefBytes) +
                      ", more than a real one, and is not read (kMaxTnefBytes)";
        return out;
      }
      write_fully(fd, buf.data(), n);
    }
  }

  // 2. The framing, checked end to end.
  Framing f = walk(fd);
  if (!f.problem.empty()) {
    out.problem = f.problem;
    return out;
  }
  if (f.atts.empty()) {
    // A TNEF that only carries the message's formatting (rich text, a
    // meeting's details): nothing to add, nothing lost.
    if (f.stray) out.problem = "it holds attachment data outside any attachment";
    return out;
  }

  // 3. The attachments' properties, by libytnef: it reads the header, each
  // attachment's rendering data (which starts it) and its MAPI block when
  // that reads cleanly (MapiCheck); never the attachments' bytes. A block
  // that does not is left out: that attachment is named from its title.
  std::vector<Range> feed{{0, 6}};
  bool subject_seen = false;
  std::size_t unreadable_mapi = 0;
  for (const auto& a : f.atts) {
    feed.push_back(a.rend);
    if (a.mapi.end == a.mapi.begin) continue;
    const std::string attr = read_range(fd, a.mapi);
    bool seen = subject_seen;
    const std::string_view block(attr.data() + kAttrHeader, attr.size() - kAttrHeader - kChecksum);
    if (MapiCheck(block, seen).ok()) {
      subject_seen = seen;
      feed.push_back(a.mapi);
    } else {
      ++unreadable_mapi;
    }
  }
  if (unreadable_mapi > 0)
    out.notes.push_back(std::to_string(unreadable_mapi) +
                        " of its attachments have malformed MAPI properties: named from their titles");
  TNEFStruct t;
  TNEFInitialize(&t);
  TnefFree free_later{&t};
  t.Debug = 0;
  t.attachmentSize = static_cast<int>(kMaxTnefBytes >> 20);  // libytnef's own per-attribute cap, in MiB
  Feed feeder{fd, &feed};
  t.IO.InitProc = nullptr;
  t.IO.ReadProc = feed_read;
  t.IO.CloseProc = nullptr;
  t.IO.data = &feeder;
  if (const int rc = TNEFParse(&t); rc != 0) {
    out.problem = "libytnef cannot read its attachments (" + ytnef_error(rc) + ")";
    return out;
  }
  std::vector<const ::Attachment*> parsed;  // libytnef's, not the SDK's
  for (const ::Attachment* p = t.starting_attach.next; p != nullptr; p = p->next) parsed.push_back(p);
  if (parsed.size() != f.atts.size()) {
    out.problem = "libytnef found " + std::to_string(parsed.size()) + " attachments where its framing has " +
                  std::to_string(f.atts.size());
    return out;
  }

  // 4. Each attachment: a name, a type, a range of the scratch file.
  std::int64_t end_of_file = f.size;
  std::size_t without_data = 0;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    const ::Attachment& p = *parsed[i];
    const Framing::Att& a = f.atts[i];
    TnefAttachment x;
    // The long name when there is one: attAttachTitle is often the 8.3 one.
    x.name = prop_string(p.MAPI, kPrAttachLongFilename, f.codepage);
    if (x.name.empty() && !a.title.empty()) x.name = from_codepage(a.title, f.codepage);
    if (x.name.empty()) x.name = prop_string(p.MAPI, kPrAttachFilename, f.codepage);
    if (x.name.empty()) x.name = prop_string(p.MAPI, kPrDisplayName, f.codepage);
    x.media_type = plausible_type(prop_string(p.MAPI, kPrAttachMimeTag, f.codepage));
    if (x.media_type.empty()) x.media_type = type_from_extension(x.name);
    x.location.file = scratch;
    if (a.data_begin >= 0) {
      x.location.begin = a.data_begin;
      x.location.end = a.data_end;
    } else if (const MAPIProperty* obj = find_prop(p.MAPI, kPrAttachDataObj);
               obj != nullptr && (PROP_TYPE(obj->id) == kPtBinary || PROP_TYPE(obj->id) == kPtObject)) {
      // Bytes only in PR_ATTACH_DATA_OBJ (libytnef holds them, at most
      // 512 KiB in 2.0): appended to the scratch file, read from there like
      // the others. An object's value starts with its 16-byte interface id.
      const std::size_t skip = PROP_TYPE(obj->id) == kPtObject ? 16 : 0;
      const auto size = static_cast<std::size_t>(obj->data[0].size);
      if (size < skip) {
        ++without_data;
        continue;
      }
      ssize_t done = 0;
      const auto* bytes = reinterpret_cast<const char*>(obj->data[0].data) + skip;
      while (static_cast<std::size_t>(done) < size - skip) {
        const ssize_t n = ::pwrite(fd, bytes + done, size - skip - static_cast<std::size_t>(done), end_of_file + done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
          const int e = errno;
          throw std::runtime_error("cannot write the scratch copy of a winmail.dat (" + errno_text(e) + ")" +
                                   (e == ENOSPC ? ": the work directory's disk is full" : ""));
        }
        done += n;
      }
      x.location.begin = end_of_file;
      x.location.end = end_of_file + done;
      end_of_file += done;
    } else {
      ++without_data;  // a link to a file elsewhere, an OLE object libytnef cannot give
      continue;
    }
    out.attachments.push_back(std::move(x));
  }
  if (out.attachments.empty()) {
    out.problem = "none of its " + std::to_string(parsed.size()) + " attachments carries data it can read";
    return out;
  }
  if (without_data > 0)
    out.notes.push_back(std::to_string(without_data) + " of its attachments carry no data it can read");
  return out;
}

}  // namespace sseccoe::sdk::mail::detail
