// Raw test messages, written out byte for byte so that each test shows the
// exact input it feeds the parser.
#pragma once

#include <string>
#include <vector>

#include "test_support.hpp"

namespace sseccoe::mailtest {

// A MIME part: its header lines (without the trailing newline) and body.
struct Part {
  std::vector<std::string> headers;
  std::string body;
};

// A small fake PDF whose bytes depend on `tag`.
inline std::string pdf_bytes(const std::string& tag) {
  return "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<< /Tag (" + tag + ") >>endobj\ntrailer<<>>\n%%EOF\n";
}

// A base64 PDF attachment; `name_params` follows "attachment" in
// Content-Disposition, e.g. "; filename*=UTF-8''a%C3%B1o.pdf".
inline Part pdf_part(const std::string& name_params, const std::string& data) {
  return {{"Content-Type: application/pdf", "Content-Disposition: attachment" + name_params,
           "Content-Transfer-Encoding: base64"},
          base64_lines(data)};
}

inline Part text_part(const std::string& text, const std::string& charset = "UTF-8") {
  return {{"Content-Type: text/plain; charset=" + charset, "Content-Transfer-Encoding: 8bit"}, text};
}

// Header lines, then either a single text body (no parts) or a
// multipart/mixed with `parts`. LF line ends; crlf() converts.
inline std::string message(const std::vector<std::string>& headers, const std::vector<Part>& parts,
                           const std::string& single_body = "Hola.\n", const std::string& boundary = "=_b0und4ry") {
  std::string m;
  for (const auto& h : headers) m += h + "\n";
  if (parts.empty()) {
    m += "\n" + single_body;
    return m;
  }
  m += "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\n\n";
  m += "This is a multi-part message in MIME format.\n";
  for (const auto& p : parts) {
    m += "--" + boundary + "\n";
    for (const auto& h : p.headers) m += h + "\n";
    m += "\n" + p.body;
    if (!p.body.empty() && p.body.back() != '\n') m += "\n";
  }
  m += "--" + boundary + "--\n";
  return m;
}

inline std::string crlf(const std::string& lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

inline const std::vector<std::string>& basic_headers() {
  static const std::vector<std::string> h = {
      "From: Plataforma SICAVISP <constancias@sicavisp.gob.mx>",
      "To: =?UTF-8?Q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@inm.gob.mx>",
      "Subject: =?UTF-8?Q?Constancia_del_curso_=C2=ABConflictos_de_inter=C3=A9s=C2=BB?=",
      "Date: Fri, 14 May 2021 09:30:00 -0500",
      "Message-ID: <Constancia.1@SICAVISP.gob.mx>"};
  return h;
}

}  // namespace sseccoe::mailtest
