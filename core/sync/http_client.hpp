// A small libcurl client for the registry API: one easy handle per client
// (one per sync worker), reused so connections stay alive. Files are
// streamed from disk; responses are capped so a hostile or broken server
// cannot grow our memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>

namespace sseccoe::core {

struct HttpResponse {
  long status = 0;        // 0: no HTTP answer (see curl_code)
  int curl_code = 0;      // CURLE_OK when an answer came
  std::string curl_error; // curl's message, never containing the token
  std::string body;       // at most 1 MiB
  std::string retry_after;
  // The transfer was abandoned because stop was requested (SIGTERM): not a
  // fault of the registry nor of the record; the caller retries it later
  // without counting an attempt.
  bool aborted = false;
};

struct HttpOptions {
  std::string base_url;  // ".../api/v1" without a trailing slash
  std::string token;     // bearer token: sent in a header, never logged
  std::string ca_file;
  std::chrono::milliseconds timeout{30000};
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Every call ends within about a second of `stop` being requested: the
  // transfer is abandoned and the answer has `aborted` set.
  HttpResponse head(const std::string& path, std::stop_token stop = {});
  HttpResponse get(const std::string& path, std::stop_token stop = {});
  HttpResponse put_json(const std::string& path, const std::string& body, std::stop_token stop = {});
  HttpResponse put_file(const std::string& path, const std::string& file, std::uint64_t size,
                        const std::string& content_type, std::stop_token stop = {});

 private:
  HttpResponse perform(const std::string& method, const std::string& path, const std::string* body,
                       const std::string* file, std::uint64_t size, const std::string& content_type,
                       std::stop_token stop);
  HttpOptions opt_;
  void* curl_;
};

// Once per process, before threads start.
void http_global_init();

}  // namespace sseccoe::core
