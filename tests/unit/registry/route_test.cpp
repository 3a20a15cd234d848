// Which endpoint a path names, and the shapes of path parameters.
#include <gtest/gtest.h>

#include "handlers.hpp"
#include "router.hpp"

using namespace sseccoe::registry;

TEST(Route, KnownPaths) {
  EXPECT_EQ(match_route("/api/v1/health").endpoint, Endpoint::health);
  auto f = match_route("/api/v1/files/abc");
  EXPECT_EQ(f.endpoint, Endpoint::file);
  EXPECT_EQ(f.param, "abc");  // shape checked later: 400, not 404
  EXPECT_EQ((std::vector<std::string>{"HEAD", "PUT"}), f.methods);
  EXPECT_EQ(match_route("/api/v1/evidence").endpoint, Endpoint::evidence_list);
  EXPECT_EQ(match_route("/api/v1/evidence/ev-1").endpoint, Endpoint::evidence);
  auto p = match_route("/api/v1/programs/PAT-2021/progress");
  EXPECT_EQ(p.endpoint, Endpoint::progress);
  EXPECT_EQ(p.param, "PAT-2021");
  EXPECT_EQ(match_route("/api/v1/programs/PAT-2021").endpoint, Endpoint::program);
}

TEST(Route, UnknownPathsAreNone) {
  for (const char* path : {"", "/", "/api/v1", "/api/v1/", "/api/v2/health", "/api/v1/health/", "/api/v1//health",
                           "/api/v1/files", "/api/v1/files/a/b", "/api/v1/evidence/", "/api/v1/programs",
                           "/api/v1/programs/PAT-2021/other", "/api/v1/programs/../x", "/API/V1/health",
                           "/api/v1/programs/PAT 2021"})
    EXPECT_EQ(match_route(path).endpoint, Endpoint::none) << path;
  EXPECT_EQ(match_route("/api/v1/programs/" + std::string(65, 'P')).endpoint, Endpoint::none);
}

TEST(Route, ParameterShapes) {
  EXPECT_TRUE(is_record_id("ev-0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(is_record_id("ev-0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(is_record_id("ev-0123456789abcdef0123456789abcde"));
  EXPECT_FALSE(is_record_id("ev-0123456789abcdef0123456789abcdef0"));
  EXPECT_FALSE(is_record_id("xx-0123456789abcdef0123456789abcdef"));
  EXPECT_TRUE(is_program_name("PAT-2021"));
  EXPECT_TRUE(is_program_name("PAT_2021.v2"));
  EXPECT_FALSE(is_program_name("-PAT"));
  EXPECT_FALSE(is_program_name(""));
  EXPECT_FALSE(is_program_name("PAT\xc3\xa9"));
}
