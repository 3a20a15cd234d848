#include "acuse_content.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "acuse.hpp"
#include "part_stream.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/utf8.hpp"
#include "text.hpp"

namespace sseccoe::sdk::mail::detail {

namespace {

struct Digest {
  std::string hex;
  std::uint64_t size = 0;
};

Digest digest_of(std::istream& in) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(kPartChunk);
  Digest d;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = in.gcount();
    if (n > 0) {
      EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(n));
      d.size += static_cast<std::uint64_t>(n);
    }
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* hex = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    d.hex += hex[md[i] >> 4];
    d.hex += hex[md[i] & 15];
  }
  return d;
}

// Cuts well-formed UTF-8 to at most `limit` bytes without splitting a
// character.
void cut_utf8(std::string& s, std::size_t limit) {
  if (s.size() <= limit) return;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
}

std::string dir_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::string body_text(const std::string& spool_path, const PartLocation& body, std::uint64_t limit,
                      bool& truncated) {
  // HTML spends most of its bytes on markup (a style sheet alone can take
  // kilobytes): read more of it.
  const std::uint64_t raw_limit = body.html ? limit * 8 + 64 * 1024 : limit + 8;
  auto in = open_part(spool_path, body, "the message's text");
  std::string raw;
  std::vector<char> buf(kPartChunk);
  bool more = false;
  while (*in) {
    in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in->gcount());
    const std::size_t room = raw_limit - raw.size();
    raw.append(buf.data(), std::min<std::size_t>(n, room));
    if (n > room) {
      more = true;
      break;
    }
  }
  std::string text = to_utf8(raw, body.charset);
  if (body.html) text = html_to_text(text);
  // A CR LF message reads as LF for people.
  std::string lf;
  lf.reserve(text.size());
  for (char c : text)
    if (c != '\r') lf += c;
  while (!lf.empty() && (lf.back() == '\n' || lf.back() == ' ')) lf.pop_back();
  truncated = more || lf.size() > limit;
  cut_utf8(lf, static_cast<std::size_t>(limit));
  return lf;
}

std::unique_ptr<std::istream> open_acuse(const AcuseSource& src) {
  const ParsedMessage& p = *src.parsed;
  AcuseInput in;
  in.from = p.headers.from;
  in.to = p.headers.to;
  in.cc = p.headers.cc;
  in.subject = p.headers.subject;
  in.date_display = p.date_display;
  in.date_rfc3339 = p.headers.date;
  in.folder = src.folder;
  in.message_id = p.headers.message_id;
  in.message_sha256 = src.message_sha256;
  in.message_size = p.size;
  if (p.body) in.body = body_text(src.spool_path, *p.body, src.body_limit, in.body_truncated);
  for (std::size_t i = 0; i < p.attachments.size(); ++i) {
    auto s = open_part(src.spool_path, p.attachments[i], "attachment " + std::to_string(i + 1) + " of the message");
    const Digest d = digest_of(*s);
    in.attachments.push_back({p.headers.attachments[i].name, p.headers.attachments[i].media_type, d.hex, d.size});
  }

  std::string tmpl = dir_of(src.spool_path) + "/acuse-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  const int tmp = ::mkostemp(name.data(), O_CLOEXEC);
  if (tmp < 0)
    throw ContentError("the acuse PDF cannot be created in " + dir_of(src.spool_path) + " (" +
                           std::strerror(errno) + ")",
                       false);
  ::close(tmp);
  const std::string pdf(name.data());
  try {
    render_acuse(in, pdf);
  } catch (const std::exception& e) {
    ::unlink(pdf.c_str());
    throw ContentError(std::string("the acuse PDF could not be rendered: ") + e.what(), false);
  }
  // Open, then unlink: the bytes live as long as the stream, no longer.
  auto stream = open_raw(pdf, "the acuse PDF");
  ::unlink(pdf.c_str());
  return stream;
}

}  // namespace sseccoe::sdk::mail::detail
