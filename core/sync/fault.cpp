#include "sync/fault.hpp"

#include <curl/curl.h>

#include <ctime>
#include <random>

namespace sseccoe::core {

Fault classify_http(long status) {
  if (status >= 200 && status < 300) return Fault::None;
  // The client follows no redirects: a 3xx means the base URL is wrong (http
  // redirected to https, a moved endpoint, a captive portal), which no record
  // can fix; quarantining them one by one would empty the outbox for nothing.
  if (status >= 300 && status < 400) return Fault::PermanentConfig;
  switch (status) {
    case 401:  // wrong or missing token
    case 403:  // the token is for another institution
    case 404:  // wrong base URL (the API answers JSON 404s only for ids we GET, never for PUT)
    case 405:
    case 407:  // a proxy wants credentials the agent was not given
    case 426:
      return Fault::PermanentConfig;
    case 408:  // request timeout
    case 425:
    case 429:  // rate limited: Retry-After
    case 500:
    case 502:
    case 503:
    case 504:
    case 507:
      return Fault::Transient;
    case 400:  // malformed: our body is wrong for this registry
    case 409:
    case 410:
    case 413:  // a file over the registry's size limit
    case 415:
    case 422:  // validation: unknown activity, bad CURP, ...
      return Fault::PermanentRecord;
    default:
      if (status >= 500) return Fault::Transient;
      return Fault::PermanentRecord;
  }
}

Fault classify_curl(int code) {
  switch (static_cast<CURLcode>(code)) {
    case CURLE_OK:
      return Fault::None;
    case CURLE_COULDNT_RESOLVE_HOST:       // unknown host: a typo in [registry] url
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:  // TLS: wrong CA or name
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE:
      return Fault::PermanentConfig;
    case CURLE_READ_ERROR:                 // our blob vanished or could not be read
    case CURLE_FILESIZE_EXCEEDED:
      return Fault::PermanentRecord;
    default:                                // refused, reset, timed out, partial, DNS timeouts ...
      return Fault::Transient;
  }
}

const char* to_string(Fault f) {
  switch (f) {
    case Fault::None: return "none";
    case Fault::Transient: return "transient";
    case Fault::PermanentRecord: return "permanent-record";
    case Fault::PermanentConfig: return "permanent-config";
  }
  return "?";
}

std::optional<std::chrono::seconds> parse_retry_after(const std::string& value,
                                                      std::chrono::system_clock::time_point now) {
  if (value.empty()) return std::nullopt;
  bool digits = value.find_first_not_of("0123456789 ") == std::string::npos;
  if (digits) {
    try {
      return std::chrono::seconds(std::stoll(value));
    } catch (...) {
      return std::nullopt;
    }
  }
  // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (curl_getdate parses all RFC 7231 forms).
  time_t t = curl_getdate(value.c_str(), nullptr);
  if (t < 0) return std::nullopt;
  auto delta = std::chrono::system_clock::from_time_t(t) - now;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(delta);
  return secs.count() < 0 ? std::chrono::seconds(0) : secs;
}

std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds initial, std::chrono::milliseconds cap) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  long double ceiling = static_cast<long double>(initial.count());
  for (int i = 0; i < attempt && ceiling < cap.count(); ++i) ceiling *= 2;
  auto top = static_cast<std::int64_t>(std::min<long double>(ceiling, static_cast<long double>(cap.count())));
  std::uniform_int_distribution<std::int64_t> dist(0, std::max<std::int64_t>(top, 0));
  return std::chrono::milliseconds(std::max<std::int64_t>(1000, dist(rng)));
}

}  // namespace sseccoe::core
