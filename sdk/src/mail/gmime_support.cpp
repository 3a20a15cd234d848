#include "gmime_support.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

namespace sseccoe::sdk::mail::detail {

void ensure_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string take(char* s) {
  GString owned(s);
  return s != nullptr ? std::string(s) : std::string();
}

namespace {

const char* phrase(GMimeParserWarning w) {
  switch (w) {
    case GMIME_WARN_DUPLICATED_HEADER: return "duplicated header";
    case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated header parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded 8-bit header";
    case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid content type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid RFC 2047 header value";
    case GMIME_WARN_MALFORMED_MULTIPART: return "malformed multipart";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated message";
    case GMIME_WARN_MALFORMED_MESSAGE: return "malformed message";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid header name";
    case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting header";
    case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting header parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart without a boundary";
    case GMIME_WARN_INVALID_PARAMETER: return "invalid header parameter";
    case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid address list";
    case GMIME_CRIT_NESTING_OVERFLOW: return "MIME nesting too deep";
    case GMIME_WARN_PART_WITHOUT_CONTENT: return "part without content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "part without headers or content";
  }
  return "unknown defect";
}

void on_warning(gint64 /*offset*/, GMimeParserWarning code, const gchar* /*item*/, gpointer user_data) {
  // The item (a header value) may hold personal data: only the kind is kept.
  if (user_data == nullptr) return;
  auto& defects = *static_cast<std::vector<std::string>*>(user_data);
  const std::string p = phrase(code);
  if (std::find(defects.begin(), defects.end(), p) == defects.end() && defects.size() < 32) defects.push_back(p);
}

}  // namespace

ParserOptions make_parser_options(void* defects) {
  ensure_gmime();
  ParserOptions o(g_mime_parser_options_new());
  g_mime_parser_options_set_address_compliance_mode(o.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(o.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_rfc2047_compliance_mode(o.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain(o.get(), TRUE);
  // Mexican mail clients that send raw 8-bit headers send Windows-1252
  // (a superset of Latin-1 for every printable byte): never drop them.
  static const char* fallback[] = {"utf-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(o.get(), fallback);
  g_mime_parser_options_set_warning_callback(o.get(), on_warning, defects);
  return o;
}

}  // namespace sseccoe::sdk::mail::detail
