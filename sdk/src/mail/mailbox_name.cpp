// Modified UTF-7 mailbox names (RFC 3501 5.1.3), as IMAP servers and
// Maildir++ folders (".Env&AO0-os") store them.
#include <string>

#include "sseccoe/sdk/mail.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk::mail {

namespace {

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == ',') return 63;
  return -1;
}

// Decodes the modified base64 between '&' and '-' as UTF-16BE; false when
// it is not well-formed (odd bytes, lone surrogates, bad characters).
bool decode_run(std::string_view run, std::string& out) {
  std::u16string units;
  std::uint32_t bits = 0;
  int nbits = 0;
  std::string bytes;
  for (char c : run) {
    const int v = b64_value(c);
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      bytes += static_cast<char>((bits >> nbits) & 0xff);
    }
  }
  if (bytes.size() % 2 != 0 || bytes.empty()) return false;
  for (std::size_t i = 0; i < bytes.size(); i += 2)
    units += static_cast<char16_t>((static_cast<unsigned char>(bytes[i]) << 8) | static_cast<unsigned char>(bytes[i + 1]));
  std::string decoded;
  for (std::size_t i = 0; i < units.size(); ++i) {
    char32_t cp = units[i];
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 1 >= units.size() || units[i + 1] < 0xDC00 || units[i + 1] > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      ++i;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return false;
    }
    utf8::append(decoded, cp);
  }
  out += decoded;
  return true;
}

}  // namespace

std::string decode_mailbox_name(std::string_view name) {
  std::string out;
  std::size_t i = 0;
  while (i < name.size()) {
    if (name[i] != '&') {
      out += name[i++];
      continue;
    }
    const auto end = name.find('-', i + 1);
    if (end == std::string_view::npos) {  // unterminated: keep as written
      out.append(name.substr(i));
      break;
    }
    if (end == i + 1) {
      out += '&';  // "&-" is a literal '&'
    } else if (!decode_run(name.substr(i + 1, end - i - 1), out)) {
      out.append(name.substr(i, end - i + 1));
    }
    i = end + 1;
  }
  return out;
}

}  // namespace sseccoe::sdk::mail
