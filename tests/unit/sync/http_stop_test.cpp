// A stop request ends a transfer the peer never finishes: the bound behind
// "SIGTERM stops the service within seconds, even mid-upload".
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stop_token>
#include <thread>

#include "sync/http_client.hpp"

namespace sseccoe::core {
namespace {

// A listening socket that accepts connections and never reads or answers.
struct DeafServer {
  int fd = -1;
  int port = 0;
  DeafServer() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::listen(fd, 4), 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~DeafServer() { ::close(fd); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/api/v1"; }
};

HttpOptions options(const DeafServer& s) {
  // An hour of timeout: only the stop request can end these transfers.
  return {s.url(), "test-token", "", std::chrono::hours(1)};
}

TEST(HttpStop, AlreadyRequestedStopSendsNothing) {
  http_global_init();
  DeafServer server;
  HttpClient http(options(server));
  std::stop_source stop;
  stop.request_stop();
  auto r = http.put_json("/evidence/ev-1", "{}", stop.get_token());
  EXPECT_TRUE(r.aborted);
  EXPECT_EQ(r.status, 0);
}

TEST(HttpStop, StopEndsARequestTheServerNeverAnswers) {
  http_global_init();
  DeafServer server;
  HttpClient http(options(server));
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop.request_stop();
  });
  auto r = http.head("/files/abc", stop.get_token());
  EXPECT_TRUE(r.aborted) << r.curl_error;
  EXPECT_EQ(r.status, 0);
}

TEST(HttpStop, StopEndsALargeUploadTheServerDoesNotRead) {
  http_global_init();
  DeafServer server;
  auto path = std::filesystem::temp_directory_path() / ("sseccoe-http-stop-" + std::to_string(::getpid()));
  {
    std::ofstream f(path, std::ios::binary);
    std::string mib(1 << 20, 'x');
    for (int i = 0; i < 32; ++i) f << mib;  // more than loopback buffers hold
  }
  HttpClient http(options(server));
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop.request_stop();
  });
  auto r = http.put_file("/files/abc", path.string(), 32u << 20, "application/pdf", stop.get_token());
  std::filesystem::remove(path);
  EXPECT_TRUE(r.aborted) << r.curl_error;
  EXPECT_EQ(r.status, 0);
}

TEST(HttpStop, WithoutAStopTokenNothingIsAborted) {
  http_global_init();
  HttpClient http({"http://127.0.0.1:1/api/v1", "t", "", std::chrono::seconds(5)});
  auto r = http.head("/files/abc");  // connection refused: a real failure, not a stop
  EXPECT_FALSE(r.aborted);
  EXPECT_NE(r.curl_code, 0);
}

}  // namespace
}  // namespace sseccoe::core
