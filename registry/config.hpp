// registry.toml: what `sseccoe-registry serve` listens on, where it keeps its
// data, its limits, its catalogs and the institutions' token digests.
// Every error names the file, the line and the option (exit code 2).
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace sseccoe::registry {

struct ConfigError : std::runtime_error {
  ConfigError(const std::string& file, int line, const std::string& option, const std::string& message);
  std::string file, option;
  int line;
};

struct Institution {
  std::string id;                       // "INM": upper-case letters, digits, '-'
  std::array<unsigned char, 32> token_sha256{};  // SHA-256 of the bearer token
};

struct RegistryConfig {
  std::string file;  // the configuration file itself

  // [server]
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port
  std::string tls_cert_file, tls_key_file;
  std::string tls_client_ca_file;  // set: clients must present a certificate it signed
  int threads = 16;                // HTTP worker threads (one per open connection)
  int queue = 64;                  // accepted connections waiting for a thread
  int timeout_seconds = 60;        // socket send/receive timeout
  int keepalive_seconds = 15;      // idle keep-alive connection lifetime
  int busy_timeout_ms = 10000;     // SQLite lock wait before answering 503

  // [storage]
  std::string backend = "sqlite";
  std::string storage_path = "/var/lib/sseccoe-registry";

  // [limits]
  std::uint64_t max_file_bytes = 104857600;
  std::uint64_t max_record_bytes = 1048576;
  // Bytes of a refused body still read so that the client sees the error
  // instead of a reset connection; beyond that the connection is closed.
  std::uint64_t drain_bytes = 16 * 1048576;
  int max_page_size = 500;

  // [catalog]
  std::string catalog_dir;  // default: <exe dir>/../share/sseccoe-agent/catalog

  // [log]
  std::string log_level = "info";

  std::vector<Institution> institutions;

  bool tls() const { return !tls_cert_file.empty(); }
};

// Parses and validates; relative paths are resolved against the directory of
// the configuration file. Throws ConfigError.
RegistryConfig load_config(const std::string& path);

// "<directory of this executable>/../share/sseccoe-agent/catalog".
std::string default_catalog_dir();

bool valid_institution_id(const std::string& id);

}  // namespace sseccoe::registry
