// How the sync client treats each answer it can get from the registry: the
// single table behind retries, quarantine and "stop and tell the operator".
// docs/delivery.md reproduces it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace sseccoe::core {

enum class Fault {
  None,              // success
  Transient,         // retry later with backoff (and Retry-After)
  PermanentRecord,   // this record is refused for good: quarantine it
  PermanentConfig,   // nothing will work until the configuration changes
};

// By HTTP status. 2xx -> None.
Fault classify_http(long status);
// By libcurl result code (transport failures before any HTTP status).
Fault classify_curl(int curl_code);
const char* to_string(Fault f);

// Retry-After as delta-seconds or as an HTTP-date; nullopt when absent or
// unparseable. Capped by the caller.
std::optional<std::chrono::seconds> parse_retry_after(const std::string& value,
                                                      std::chrono::system_clock::time_point now);

// Exponential backoff with full jitter: a random delay in [0, min(cap,
// initial * 2^attempt)], at least one second.
std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds initial, std::chrono::milliseconds cap);

}  // namespace sseccoe::core
