// The fault table behind retries, quarantine and "stop and tell the
// operator": one test per HTTP status and libcurl code the sync client can
// meet, Retry-After in both of its forms, and the backoff's bounds.
#include <gtest/gtest.h>

#include <curl/curl.h>

#include <ctime>

#include "sync/fault.hpp"

namespace sseccoe::core {
namespace {

using namespace std::chrono_literals;

struct HttpRow {
  long status;
  Fault fault;
};

std::string row_name(const ::testing::TestParamInfo<HttpRow>& info) {
  return "HTTP" + std::to_string(info.param.status) + "_" +
         [](Fault f) {
           std::string s = to_string(f);
           for (auto& c : s)
             if (c == '-') c = '_';
           return s;
         }(info.param.fault);
}

class HttpStatus : public ::testing::TestWithParam<HttpRow> {};

TEST_P(HttpStatus, IsClassified) {
  EXPECT_EQ(classify_http(GetParam().status), GetParam().fault)
      << "HTTP " << GetParam().status << " -> " << to_string(classify_http(GetParam().status));
}

INSTANTIATE_TEST_SUITE_P(
    FaultTable, HttpStatus,
    ::testing::Values(
        // Success.
        HttpRow{200, Fault::None}, HttpRow{201, Fault::None}, HttpRow{204, Fault::None},
        // Nothing works until the configuration changes: token, institution, base URL.
        HttpRow{401, Fault::PermanentConfig}, HttpRow{403, Fault::PermanentConfig},
        HttpRow{404, Fault::PermanentConfig}, HttpRow{405, Fault::PermanentConfig},
        HttpRow{407, Fault::PermanentConfig}, HttpRow{426, Fault::PermanentConfig},
        // Redirects are not followed: the URL is wrong, not the record.
        HttpRow{301, Fault::PermanentConfig}, HttpRow{302, Fault::PermanentConfig},
        HttpRow{307, Fault::PermanentConfig}, HttpRow{308, Fault::PermanentConfig},
        // Try again later.
        HttpRow{408, Fault::Transient}, HttpRow{425, Fault::Transient}, HttpRow{429, Fault::Transient},
        HttpRow{500, Fault::Transient}, HttpRow{502, Fault::Transient}, HttpRow{503, Fault::Transient},
        HttpRow{504, Fault::Transient}, HttpRow{507, Fault::Transient}, HttpRow{599, Fault::Transient},
        // This record is refused for good.
        HttpRow{400, Fault::PermanentRecord}, HttpRow{409, Fault::PermanentRecord},
        HttpRow{410, Fault::PermanentRecord}, HttpRow{413, Fault::PermanentRecord},
        HttpRow{415, Fault::PermanentRecord}, HttpRow{418, Fault::PermanentRecord},
        HttpRow{422, Fault::PermanentRecord}),
    row_name);

struct CurlRow {
  CURLcode code;
  Fault fault;
};

class CurlCode : public ::testing::TestWithParam<CurlRow> {};

TEST_P(CurlCode, IsClassified) {
  EXPECT_EQ(classify_curl(GetParam().code), GetParam().fault)
      << curl_easy_strerror(GetParam().code) << " -> " << to_string(classify_curl(GetParam().code));
}

INSTANTIATE_TEST_SUITE_P(
    FaultTable, CurlCode,
    ::testing::Values(CurlRow{CURLE_OK, Fault::None},
                      // The registry is down or the network is: retry.
                      CurlRow{CURLE_COULDNT_CONNECT, Fault::Transient},
                      CurlRow{CURLE_OPERATION_TIMEDOUT, Fault::Transient},
                      CurlRow{CURLE_RECV_ERROR, Fault::Transient}, CurlRow{CURLE_SEND_ERROR, Fault::Transient},
                      CurlRow{CURLE_GOT_NOTHING, Fault::Transient}, CurlRow{CURLE_PARTIAL_FILE, Fault::Transient},
                      CurlRow{CURLE_COULDNT_RESOLVE_PROXY, Fault::Transient},
                      // A wrong URL or TLS setting: tell the operator.
                      CurlRow{CURLE_COULDNT_RESOLVE_HOST, Fault::PermanentConfig},
                      CurlRow{CURLE_UNSUPPORTED_PROTOCOL, Fault::PermanentConfig},
                      CurlRow{CURLE_URL_MALFORMAT, Fault::PermanentConfig},
                      CurlRow{CURLE_PEER_FAILED_VERIFICATION, Fault::PermanentConfig},
                      CurlRow{CURLE_SSL_CACERT_BADFILE, Fault::PermanentConfig},
                      CurlRow{CURLE_SSL_CERTPROBLEM, Fault::PermanentConfig},
                      // Our own file could not be read or is too big: this record.
                      CurlRow{CURLE_READ_ERROR, Fault::PermanentRecord},
                      CurlRow{CURLE_FILESIZE_EXCEEDED, Fault::PermanentRecord}),
    [](const ::testing::TestParamInfo<CurlRow>& info) {
      std::string s = "CURLE" + std::to_string(static_cast<int>(info.param.code)) + "_" + to_string(info.param.fault);
      for (auto& c : s)
        if (c == '-') c = '_';
      return s;
    });

TEST(FaultNames, AreStable) {
  EXPECT_STREQ(to_string(Fault::None), "none");
  EXPECT_STREQ(to_string(Fault::Transient), "transient");
  EXPECT_STREQ(to_string(Fault::PermanentRecord), "permanent-record");
  EXPECT_STREQ(to_string(Fault::PermanentConfig), "permanent-config");
}

// An HTTP-date (IMF-fixdate) for a time point.
std::string imf_fixdate(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

// 2021-05-14 10:00:00 UTC.
const auto kNow = std::chrono::system_clock::from_time_t(1620986400);

TEST(RetryAfter, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after("120", kNow), 120s);
  EXPECT_EQ(parse_retry_after("0", kNow), 0s);
  EXPECT_EQ(parse_retry_after(" 7 ", kNow), 7s);
  EXPECT_EQ(parse_retry_after("86400", kNow), 86400s);
}

TEST(RetryAfter, HttpDateInTheFuture) {
  EXPECT_EQ(parse_retry_after(imf_fixdate(kNow + 90s), kNow), 90s);
  EXPECT_EQ(parse_retry_after("Fri, 14 May 2021 10:02:00 GMT", kNow), 120s);
  // The obsolete forms RFC 7231 still asks recipients to accept.
  EXPECT_EQ(parse_retry_after("Friday, 14-May-21 10:02:00 GMT", kNow), 120s);
  EXPECT_EQ(parse_retry_after("Fri May 14 10:02:00 2021", kNow), 120s);
}

TEST(RetryAfter, HttpDateInThePastMeansNow) {
  EXPECT_EQ(parse_retry_after(imf_fixdate(kNow - 3600s), kNow), 0s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNow), 0s);
}

TEST(RetryAfter, GarbageIsIgnored) {
  for (const char* v : {"", "   ", "soon", "-5", "1.5", "12:00", "Wed", "0x10", "Fri, 99 Foo 2021 10:02:00 GMT",
                        "99999999999999999999999"})
    EXPECT_EQ(parse_retry_after(v, kNow), std::nullopt) << "'" << v << "'";
}

TEST(Backoff, StaysWithinOneSecondAndTheCap) {
  for (int attempt = 0; attempt < 40; ++attempt) {
    for (int i = 0; i < 200; ++i) {
      auto d = backoff(attempt, 1000ms, 300000ms);
      ASSERT_GE(d, 1000ms) << "attempt " << attempt;
      ASSERT_LE(d, 300000ms) << "attempt " << attempt;
    }
  }
}

TEST(Backoff, NeverAboveASmallCap) {
  for (int attempt : {0, 1, 3, 10, 1000, 1 << 30}) {
    for (int i = 0; i < 200; ++i) {
      auto d = backoff(attempt, 500ms, 5000ms);
      ASSERT_GE(d, 1000ms);
      ASSERT_LE(d, 5000ms) << "attempt " << attempt;
    }
  }
}

TEST(Backoff, FirstAttemptIsAtMostTheInitialDelay) {
  for (int i = 0; i < 200; ++i) EXPECT_EQ(backoff(0, 1000ms, 300000ms), 1000ms);
  for (int i = 0; i < 200; ++i) EXPECT_LE(backoff(0, 4000ms, 300000ms), 4000ms);
}

TEST(Backoff, GrowsWithTheAttemptOnAverage) {
  auto mean = [](int attempt) {
    double sum = 0;
    for (int i = 0; i < 2000; ++i) sum += static_cast<double>(backoff(attempt, 1000ms, 300000ms).count());
    return sum / 2000;
  };
  const double m1 = mean(1), m4 = mean(4), m8 = mean(8);
  // Full jitter over [0, 2 s], [0, 16 s], [0, 256 s], floored at 1 s: means
  // near 1.25 s, 8 s and 128 s.
  EXPECT_LT(m1, m4);
  EXPECT_LT(m4, m8);
  EXPECT_GT(m8, 10 * m1);
  // And jitter: not every delay of one attempt is the same.
  auto a = backoff(8, 1000ms, 300000ms);
  bool varied = false;
  for (int i = 0; i < 50 && !varied; ++i) varied = backoff(8, 1000ms, 300000ms) != a;
  EXPECT_TRUE(varied);
}

}  // namespace
}  // namespace sseccoe::core
