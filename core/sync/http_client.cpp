#include "sync/http_client.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>

namespace sseccoe::core {

namespace {

constexpr std::size_t kMaxBody = 1 << 20;

size_t on_body(char* p, size_t size, size_t n, void* ud) {
  auto* r = static_cast<HttpResponse*>(ud);
  size_t len = size * n;
  if (r->body.size() < kMaxBody) r->body.append(p, std::min(len, kMaxBody - r->body.size()));
  return len;
}

size_t on_header(char* p, size_t size, size_t n, void* ud) {
  auto* r = static_cast<HttpResponse*>(ud);
  std::string line(p, size * n);
  static const std::string key = "retry-after:";
  if (line.size() > key.size()) {
    std::string head = line.substr(0, key.size());
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == key) {
      std::string v = line.substr(key.size());
      auto b = v.find_first_not_of(" \t");
      auto e = v.find_last_not_of(" \t\r\n");
      r->retry_after = b == std::string::npos ? "" : v.substr(b, e - b + 1);
    }
  }
  return size * n;
}

size_t on_read(char* p, size_t size, size_t n, void* ud) {
  auto* f = static_cast<FILE*>(ud);
  size_t got = std::fread(p, 1, size * n, f);
  if (got == 0 && std::ferror(f)) return CURL_READFUNC_ABORT;
  return got;
}

// libcurl calls this about once a second even while a transfer is stalled
// (a registry that reads slowly, a dead peer before the low-speed limit), so
// a stop request ends even a large upload promptly instead of at its end.
int on_progress(void* ud, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::stop_token*>(ud)->stop_requested() ? 1 : 0;
}

}  // namespace

void http_global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpClient::HttpClient(HttpOptions options) : opt_(std::move(options)), curl_(curl_easy_init()) {
  while (!opt_.base_url.empty() && opt_.base_url.back() == '/') opt_.base_url.pop_back();
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::head(const std::string& path, std::stop_token stop) {
  return perform("HEAD", path, nullptr, nullptr, 0, {}, std::move(stop));
}
HttpResponse HttpClient::get(const std::string& path, std::stop_token stop) {
  return perform("GET", path, nullptr, nullptr, 0, {}, std::move(stop));
}
HttpResponse HttpClient::put_json(const std::string& path, const std::string& body, std::stop_token stop) {
  return perform("PUT", path, &body, nullptr, body.size(), "application/json", std::move(stop));
}
HttpResponse HttpClient::put_file(const std::string& path, const std::string& file, std::uint64_t size,
                                  const std::string& content_type, std::stop_token stop) {
  return perform("PUT", path, nullptr, &file, size, content_type, std::move(stop));
}

HttpResponse HttpClient::perform(const std::string& method, const std::string& path, const std::string* body,
                                 const std::string* file, std::uint64_t size, const std::string& content_type,
                                 std::stop_token stop) {
  HttpResponse r;
  if (stop.stop_requested()) {
    r.aborted = true;
    r.curl_code = CURLE_ABORTED_BY_CALLBACK;
    r.curl_error = "stopping: request not sent";
    return r;
  }
  CURL* c = static_cast<CURL*>(curl_);
  curl_easy_reset(c);
  std::string url = opt_.base_url + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!opt_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, opt_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(opt_.timeout.count(), 10000)));
  // A stalled transfer (under 1 KiB/s for the timeout) is abandoned, but a
  // large file that keeps moving is never cut off by a total time limit.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(std::max<long long>(1, opt_.timeout.count() / 1000)));
  if (!file) curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(opt_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &stop);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

  struct curl_slist* headers = nullptr;
  std::string auth = "Authorization: Bearer " + opt_.token;
  headers = curl_slist_append(headers, auth.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  std::string ctype = "Content-Type: " + content_type;
  if (!content_type.empty()) headers = curl_slist_append(headers, ctype.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

  std::unique_ptr<FILE, int (*)(FILE*)> fp(nullptr, std::fclose);
  if (method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (method == "PUT" && body) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else if (method == "PUT" && file) {
    fp.reset(std::fopen(file->c_str(), "rb"));
    if (!fp) {
      curl_slist_free_all(headers);
      r.curl_code = CURLE_READ_ERROR;
      r.curl_error = "cannot open blob " + *file;
      return r;
    }
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(c, CURLOPT_READDATA, fp.get());
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
  }
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  r.curl_code = rc;
  if (rc == CURLE_ABORTED_BY_CALLBACK && stop.stop_requested()) r.aborted = true;
  if (rc != CURLE_OK) {
    r.curl_error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    r.status = 0;
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  return r;
}

}  // namespace sseccoe::core
