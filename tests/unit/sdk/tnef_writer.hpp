// A small TNEF (winmail.dat) writer for tests: what Outlook and Exchange
// write, attribute by attribute (MS-OXTNEF), so that tests make their own
// winmail.dat files instead of carrying binary fixtures.
//
//   stream    = signature (uint32 0x223E9F78), key (uint16), attribute*
//   attribute = level (uint8: 1 message, 2 attachment), id (uint32:
//               type << 16 | id), length (uint32), data, checksum (uint16:
//               the data bytes summed modulo 65536); little-endian
// An attachment is attAttachRendData, attAttachTitle, attAttachData and
// optionally attAttachment (MAPI properties: the long file name, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tnef_test {

constexpr std::uint32_t kSignature = 0x223E9F78;
constexpr std::uint8_t kLevelMessage = 1;
constexpr std::uint8_t kLevelAttachment = 2;
constexpr std::uint32_t kAttTnefVersion = 0x00089006;
constexpr std::uint32_t kAttOemCodepage = 0x00069007;
constexpr std::uint32_t kAttMessageClass = 0x00078008;
constexpr std::uint32_t kAttSubject = 0x00018004;
constexpr std::uint32_t kAttMapiProps = 0x00069003;
constexpr std::uint32_t kAttAttachRendData = 0x00069002;
constexpr std::uint32_t kAttAttachTitle = 0x00018010;
constexpr std::uint32_t kAttAttachData = 0x0006800F;
constexpr std::uint32_t kAttAttachment = 0x00069005;

// MAPI property types and ids.
constexpr std::uint16_t kPtLong = 0x0003;
constexpr std::uint16_t kPtString8 = 0x001E;
constexpr std::uint16_t kPtUnicode = 0x001F;
constexpr std::uint16_t kPtBinary = 0x0102;
constexpr std::uint16_t kPrAttachMethod = 0x3705;
constexpr std::uint16_t kPrAttachLongFilename = 0x3707;
constexpr std::uint16_t kPrAttachMimeTag = 0x370E;
constexpr std::uint16_t kPrAttachDataObj = 0x3701;
constexpr std::uint16_t kPrRtfCompressed = 0x1009;

inline std::string le16(std::uint32_t v) {
  return {static_cast<char>(v & 0xFF), static_cast<char>((v >> 8) & 0xFF)};
}
inline std::string le32(std::uint32_t v) { return le16(v & 0xFFFF) + le16(v >> 16); }

// UTF-8 as UTF-16LE (surrogate pairs outside the BMP), with a final NUL
// code unit as Outlook writes.
inline std::string utf16le(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = c;
    std::size_t n = 1;
    if (c >= 0xF0) cp = c & 0x07u, n = 4;
    else if (c >= 0xE0) cp = c & 0x0Fu, n = 3;
    else if (c >= 0xC0) cp = c & 0x1Fu, n = 2;
    for (std::size_t k = 1; k < n && i + k < s.size(); ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    i += n;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += le16(0xD800 + (cp >> 10));
      out += le16(0xDC00 + (cp & 0x3FF));
    } else {
      out += le16(cp);
    }
  }
  out += le16(0);
  return out;
}

// One MAPI property of an attAttachment / attMAPIProps block.
struct MapiProp {
  std::uint16_t type;
  std::uint16_t id;
  std::string value;  // the bytes as stored (a PT_LONG's 4 bytes, a string with its NUL)
};

inline std::string mapi_block(const std::vector<MapiProp>& props) {
  std::string out = le32(static_cast<std::uint32_t>(props.size()));
  for (const auto& p : props) {
    out += le32(std::uint32_t{p.id} << 16 | p.type);
    if (p.type == kPtLong) {
      out += p.value.substr(0, 4);
      continue;
    }
    // Variable-size values: a count of values (1), the size, the bytes
    // padded to a multiple of 4.
    out += le32(1);
    out += le32(static_cast<std::uint32_t>(p.value.size()));
    out += p.value;
    out.append((4 - p.value.size() % 4) % 4, '\0');
  }
  return out;
}

struct TnefAttachment {
  std::string title;  // attAttachTitle's bytes (without the NUL, which is added); empty: none
  std::string data;   // attAttachData; std::nullopt-like via has_data
  bool has_data = true;
  std::vector<MapiProp> mapi;  // attAttachment; empty: none
};

class Writer {
 public:
  explicit Writer(std::uint16_t key = 0x4B1D) { out_ = le32(kSignature) + le16(key); }

  Writer& attribute(std::uint8_t level, std::uint32_t id, std::string_view data) {
    out_ += static_cast<char>(level);
    out_ += le32(id);
    out_ += le32(static_cast<std::uint32_t>(data.size()));
    out_ += data;
    std::uint32_t sum = 0;
    for (unsigned char c : data) sum += c;
    out_ += le16(sum & 0xFFFF);
    return *this;
  }

  // What Outlook puts before the attachments.
  Writer& message_header(std::uint32_t codepage = 1252) {
    attribute(kLevelMessage, kAttTnefVersion, le32(0x00010000));
    attribute(kLevelMessage, kAttOemCodepage, le32(codepage) + le32(0));
    attribute(kLevelMessage, kAttMessageClass, std::string("IPM.Microsoft Mail.Note") + '\0');
    return *this;
  }

  Writer& attachment(const TnefAttachment& a) {
    // attAttachRendData: type 1 (file), position -1, no size, no flags.
    attribute(kLevelAttachment, kAttAttachRendData, le16(1) + le32(0xFFFFFFFF) + le16(0) + le16(0) + le32(0));
    if (!a.title.empty()) attribute(kLevelAttachment, kAttAttachTitle, a.title + '\0');
    if (a.has_data) attribute(kLevelAttachment, kAttAttachData, a.data);
    if (!a.mapi.empty()) attribute(kLevelAttachment, kAttAttachment, mapi_block(a.mapi));
    return *this;
  }

  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// The usual Outlook attachment: an 8.3 title, the bytes, and the long name
// in UTF-16 (PR_ATTACH_LONG_FILENAME, PT_UNICODE).
inline TnefAttachment outlook_attachment(std::string long_name, std::string data, std::string short_name = {}) {
  TnefAttachment a;
  a.title = short_name.empty() ? long_name : short_name;
  a.data = std::move(data);
  a.mapi.push_back({kPtLong, kPrAttachMethod, le32(1)});
  a.mapi.push_back({kPtUnicode, kPrAttachLongFilename, utf16le(long_name)});
  return a;
}

}  // namespace tnef_test
