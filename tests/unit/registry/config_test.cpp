// registry.toml: defaults, every option, and errors that name the file, the
// line and the option, for malformed, truncated, huge and mis-encoded input.
#include <gtest/gtest.h>

#include "config.hpp"
#include "temp_dir.hpp"
#include "token.hpp"

using namespace sseccoe::registry;

namespace {

const std::string kInstitution =
    "[[institution]]\nid = \"INM\"\ntoken_sha256 = \"" + std::string(64, 'a') + "\"\n";

ConfigError error_of(const TempDir& d, const std::string& text) {
  try {
    load_config(d.file("registry.toml", text));
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return ConfigError("", 0, "", "");
}

}  // namespace

TEST(Config, DefaultsAndRelativePaths) {
  TempDir d;
  auto cfg = load_config(d.file("registry.toml", kInstitution));
  EXPECT_EQ(cfg.host, "127.0.0.1");
  EXPECT_EQ(cfg.port, 8080);
  EXPECT_EQ(cfg.storage_path, "/var/lib/sseccoe-registry");
  EXPECT_EQ(cfg.max_file_bytes, 104857600u);
  EXPECT_EQ(cfg.threads, 16);
  EXPECT_FALSE(cfg.tls());
  EXPECT_NE(cfg.catalog_dir.find("share/sseccoe-agent/catalog"), std::string::npos);
  ASSERT_EQ(cfg.institutions.size(), 1u);
  EXPECT_EQ(hex(cfg.institutions[0].token_sha256), std::string(64, 'a'));

  auto rel = load_config(d.file("r2.toml", "[storage]\npath = \"state\"\n[catalog]\ndir = \"../cat\"\n" + kInstitution));
  EXPECT_EQ(rel.storage_path, d.path() + "/state");
  EXPECT_EQ(rel.catalog_dir, std::filesystem::path(d.path()).parent_path().string() + "/cat");
}

TEST(Config, EveryOption) {
  TempDir d;
  d.file("c.pem", "x");
  d.file("k.pem", "x");
  auto cfg = load_config(d.file("registry.toml",
                                "[server]\nlisten = \"[::1]:0\"\ntls_cert_file = \"c.pem\"\ntls_key_file = \"k.pem\"\n"
                                "threads = 4\nqueue = 8\ntimeout_seconds = 5\nkeepalive_seconds = 2\n"
                                "busy_timeout_ms = 500\n[storage]\nbackend = \"sqlite\"\npath = \"/srv/r\"\n"
                                "[limits]\nmax_file_bytes = 10\nmax_record_bytes = 2048\ndrain_bytes = 0\n"
                                "max_page_size = 7\n[log]\nlevel = \"warn\"\n" +
                                    kInstitution));
  EXPECT_EQ(cfg.host, "::1");
  EXPECT_EQ(cfg.port, 0);
  EXPECT_TRUE(cfg.tls());
  EXPECT_EQ(cfg.tls_cert_file, d.path() + "/c.pem");
  EXPECT_EQ((std::tuple{cfg.threads, cfg.queue, cfg.timeout_seconds, cfg.keepalive_seconds, cfg.busy_timeout_ms}),
            (std::tuple{4, 8, 5, 2, 500}));
  EXPECT_EQ((std::tuple{cfg.max_file_bytes, cfg.max_record_bytes, cfg.drain_bytes}),
            (std::tuple{std::uint64_t{10}, std::uint64_t{2048}, std::uint64_t{0}}));
  EXPECT_EQ(cfg.max_page_size, 7);
  EXPECT_EQ(cfg.log_level, "warn");
}

TEST(Config, ErrorsNameFileLineAndOption) {
  TempDir d;
  auto e = error_of(d, "[server]\nlisten = \"127.0.0.1:1\"\n\nthreds = 4\n" + kInstitution);
  EXPECT_EQ(e.line, 4);
  EXPECT_EQ(e.option, "server.threds");
  EXPECT_EQ(e.file, d.path() + "/registry.toml");
  EXPECT_NE(std::string(e.what()).find(d.path() + "/registry.toml:4: server.threds"), std::string::npos);

  EXPECT_EQ(error_of(d, "[server]\nlisten = \"nohost\"\n" + kInstitution).option, "server.listen");
  EXPECT_EQ(error_of(d, "[server]\nlisten = \"h:99999\"\n" + kInstitution).option, "server.listen");
  EXPECT_EQ(error_of(d, "[server]\nlisten = 8080\n" + kInstitution).option, "server.listen");
  EXPECT_EQ(error_of(d, "[server]\nthreads = 0\n" + kInstitution).option, "server.threads");
  EXPECT_EQ(error_of(d, "[server]\nthreads = 1.5\n" + kInstitution).option, "server.threads");
  EXPECT_EQ(error_of(d, "[server]\ntls_key_file = \"k\"\n" + kInstitution).option, "server.tls_key_file");
  EXPECT_EQ(error_of(d, "[server]\ntls_client_ca_file = \"k\"\n" + kInstitution).option, "server.tls_client_ca_file");
  EXPECT_EQ(error_of(d, "[storage]\nbackend = \"postgresql\"\n" + kInstitution).option, "storage.backend");
  EXPECT_EQ(error_of(d, "[storage]\npath = \"\"\n" + kInstitution).option, "storage.path");
  EXPECT_EQ(error_of(d, "[limits]\nmax_record_bytes = 10\n" + kInstitution).option, "limits.max_record_bytes");
  EXPECT_EQ(error_of(d, "[log]\nlevel = \"loud\"\n" + kInstitution).option, "log.level");
  EXPECT_EQ(error_of(d, "server = 1\n" + kInstitution).option, "server");
  EXPECT_EQ(error_of(d, "[bogus]\n" + kInstitution).option, "bogus");
  EXPECT_EQ(error_of(d, "").option, "institution");
}

TEST(Config, InstitutionsAreValidated) {
  TempDir d;
  std::string h = std::string(64, 'b');
  auto inst = [](const std::string& id, const std::string& hash) {
    return "[[institution]]\nid = \"" + id + "\"\ntoken_sha256 = \"" + hash + "\"\n";
  };
  EXPECT_EQ(error_of(d, inst("inm", h)).option, "institution.id");
  EXPECT_EQ(error_of(d, inst("INM", "abc")).option, "institution.token_sha256");
  EXPECT_EQ(error_of(d, inst("INM", std::string(64, 'z'))).option, "institution.token_sha256");
  EXPECT_EQ(error_of(d, inst("INM", h) + inst("INM", std::string(64, 'c'))).option, "institution.id");
  auto dup = error_of(d, inst("INM", h) + inst("SAT", h));
  EXPECT_EQ(dup.option, "institution.token_sha256");
  EXPECT_EQ(dup.line, 6);
  EXPECT_EQ(error_of(d, "institution = \"INM\"\n").option, "institution");
  EXPECT_EQ(error_of(d, "[[institution]]\nid = \"INM\"\ntoken = \"x\"\n").option, "institution.token");
  // Upper-case hex is accepted and means the same digest.
  auto cfg = load_config(d.file("ok.toml", inst("INM", std::string(64, 'B'))));
  EXPECT_EQ(hex(cfg.institutions[0].token_sha256), h);
}

TEST(Config, MalformedTruncatedHugeAndMisEncodedFiles) {
  TempDir d;
  EXPECT_EQ(error_of(d, "[server\nlisten = 1\n").line, 1);
  EXPECT_GT(error_of(d, kInstitution.substr(0, kInstitution.size() - 20)).line, 0);  // truncated
  EXPECT_EQ(error_of(d, "[server]\nlisten = \"\xff\xfe\"\n").line, 2);              // not UTF-8
  EXPECT_EQ(error_of(d, std::string("\0\0\0", 3)).file, d.path() + "/registry.toml");
  std::string huge = "[server]\n";
  for (int i = 0; i < 100000; ++i) huge += "# comment line to make the file large\n";
  huge += "bogus = 1\n";
  EXPECT_EQ(error_of(d, huge + kInstitution).line, 100002);
  try {
    load_config(d.path() + "/missing.toml");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.toml"), std::string::npos);
  }
}
