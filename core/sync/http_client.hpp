// A small libcurl client for the registry API: one easy handle per client
// (one per sync worker), reused so connections stay alive. Files are
// streamed from disk; responses are capped so a hostile or broken server
// cannot grow our memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sseccoe::core {

struct HttpResponse {
  long status = 0;        // 0: no HTTP answer (see curl_code)
  int curl_code = 0;      // CURLE_OK when an answer came
  std::string curl_error; // curl's message, never containing the token
  std::string body;       // at most 1 MiB
  std::string retry_after;
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

  HttpResponse head(const std::string& path);
  HttpResponse get(const std::string& path);
  HttpResponse put_json(const std::string& path, const std::string& body);
  HttpResponse put_file(const std::string& path, const std::string& file, std::uint64_t size,
                        const std::string& content_type);

 private:
  HttpResponse perform(const std::string& method, const std::string& path, const std::string* body,
                       const std::string* file, std::uint64_t size, const std::string& content_type);
  HttpOptions opt_;
  void* curl_;
};

// Once per process, before threads start.
void http_global_init();

}  // namespace sseccoe::core
