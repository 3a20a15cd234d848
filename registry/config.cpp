#include "sseccoe/sdk/regex.hpp"
#include "config.hpp"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include <toml++/toml.h>

namespace sseccoe::registry {

namespace fs = std::filesystem;

ConfigError::ConfigError(const std::string& f, int l, const std::string& o, const std::string& message)
    : std::runtime_error(f + (l > 0 ? ":" + std::to_string(l) : std::string()) + (o.empty() ? "" : ": " + o) +
                         ": " + message),
      file(f),
      option(o),
      line(l) {}

bool valid_institution_id(const std::string& id) {
  static const sdk::Regex re = sdk::Regex::compile("[A-Z][A-Z0-9-]{1,19}", false);
  return re.full_match(id);
}

std::string default_catalog_dir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "share/sseccoe-agent/catalog";
  return (exe.parent_path() / ".." / "share" / "sseccoe-agent" / "catalog").lexically_normal().string();
}

namespace {

// Reads one table's options, remembering which keys were understood so that
// a misspelt option is an error instead of being silently ignored.
class Section {
 public:
  Section(const RegistryConfig& cfg, const toml::table& t, std::string name)
      : cfg_(cfg), t_(t), name_(std::move(name)) {}

  [[noreturn]] void fail(const toml::node* n, const std::string& key, const std::string& msg) const {
    int line = n ? static_cast<int>(n->source().begin.line) : static_cast<int>(t_.source().begin.line);
    throw ConfigError(cfg_.file, line, name_.empty() ? key : name_ + "." + key, msg);
  }

  void str(const char* key, std::string& out) {
    known_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return;
    auto v = n->value<std::string>();
    if (!n->is_string() || !v) fail(n, key, "must be a string");
    out = *v;
  }

  template <typename Int>
  void integer(const char* key, Int& out, std::int64_t min, std::int64_t max) {
    known_.insert(key);
    const toml::node* n = t_.get(key);
    if (!n) return;
    if (!n->is_integer()) fail(n, key, "must be an integer");
    auto v = *n->value<std::int64_t>();
    if (v < min || v > max)
      fail(n, key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    out = static_cast<Int>(v);
  }

  const toml::node* node(const char* key) const { return t_.get(key); }

  void reject_unknown() const {
    for (const auto& [k, v] : t_)
      if (!known_.count(std::string(k.str())))
        fail(&v, std::string(k.str()), "unknown option (see docs/registry.md for the options of this section)");
  }

 private:
  const RegistryConfig& cfg_;
  const toml::table& t_;
  std::string name_;
  std::set<std::string> known_;
};

std::string resolve(const std::string& base_dir, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::path(base_dir) / p).lexically_normal().string();
}

void parse_listen(Section& s, RegistryConfig& cfg, const std::string& listen) {
  // "host:port" or "[v6 address]:port".
  static const sdk::Regex shape = sdk::Regex::compile(R"((\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):[0-9]{1,5})", false);
  if (!shape.full_match(listen))
    s.fail(s.node("listen"), "listen", "must be \"HOST:PORT\" (e.g. \"127.0.0.1:8080\"; port 0 picks a free port)");
  const std::size_t colon = listen.rfind(':');
  long port = std::stol(listen.substr(colon + 1));
  if (port > 65535) s.fail(s.node("listen"), "listen", "the port must be 0..65535");
  std::string host = listen.substr(0, colon);
  if (host.front() == '[') host = host.substr(1, host.size() - 2);
  cfg.host = host;
  cfg.port = static_cast<std::uint16_t>(port);
}

void readable(Section& s, const char* key, const std::string& path) {
  if (!path.empty() && ::access(path.c_str(), R_OK) != 0)
    s.fail(s.node(key), key, "cannot read " + path);
}

bool parse_hex32(const std::string& hex, std::array<unsigned char, 32>& out) {
  if (hex.size() != 64) return false;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 32; ++i) {
    int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return true;
}

const toml::table* sub_table(const RegistryConfig& cfg, const toml::table& root, const char* name) {
  const toml::node* n = root.get(name);
  if (!n) return nullptr;
  if (!n->is_table())
    throw ConfigError(cfg.file, static_cast<int>(n->source().begin.line), name, std::string("must be a [") + name + "] table");
  return n->as_table();
}

void parse_server(RegistryConfig& cfg, const toml::table& t, const std::string& dir) {
  Section s(cfg, t, "server");
  std::string listen;
  s.str("listen", listen);
  if (!listen.empty()) parse_listen(s, cfg, listen);
  s.str("tls_cert_file", cfg.tls_cert_file);
  s.str("tls_key_file", cfg.tls_key_file);
  s.str("tls_client_ca_file", cfg.tls_client_ca_file);
  s.integer("threads", cfg.threads, 1, 1024);
  s.integer("queue", cfg.queue, 1, 65536);
  s.integer("timeout_seconds", cfg.timeout_seconds, 1, 3600);
  s.integer("keepalive_seconds", cfg.keepalive_seconds, 1, 3600);
  s.integer("busy_timeout_ms", cfg.busy_timeout_ms, 100, 600000);
  s.reject_unknown();
  cfg.tls_cert_file = resolve(dir, cfg.tls_cert_file);
  cfg.tls_key_file = resolve(dir, cfg.tls_key_file);
  cfg.tls_client_ca_file = resolve(dir, cfg.tls_client_ca_file);
  if (cfg.tls_cert_file.empty() != cfg.tls_key_file.empty())
    s.fail(s.node(cfg.tls_cert_file.empty() ? "tls_key_file" : "tls_cert_file"),
           cfg.tls_cert_file.empty() ? "tls_key_file" : "tls_cert_file",
           "tls_cert_file and tls_key_file go together: set both for HTTPS, or neither");
  if (!cfg.tls_client_ca_file.empty() && cfg.tls_cert_file.empty())
    s.fail(s.node("tls_client_ca_file"), "tls_client_ca_file", "client certificates need HTTPS (tls_cert_file)");
  readable(s, "tls_cert_file", cfg.tls_cert_file);
  readable(s, "tls_key_file", cfg.tls_key_file);
  readable(s, "tls_client_ca_file", cfg.tls_client_ca_file);
}

void parse_storage(RegistryConfig& cfg, const toml::table& t, const std::string& dir) {
  Section s(cfg, t, "storage");
  s.str("backend", cfg.backend);
  s.str("path", cfg.storage_path);
  s.reject_unknown();
  if (cfg.backend == "postgresql")
    s.fail(s.node("backend"), "backend", "the PostgreSQL back end is not part of this build; use \"sqlite\"");
  if (cfg.backend != "sqlite") s.fail(s.node("backend"), "backend", "must be \"sqlite\"");
  if (cfg.storage_path.empty()) s.fail(s.node("path"), "path", "must name a directory");
  cfg.storage_path = resolve(dir, cfg.storage_path);
}

void parse_limits(RegistryConfig& cfg, const toml::table& t) {
  Section s(cfg, t, "limits");
  s.integer("max_file_bytes", cfg.max_file_bytes, 1, std::int64_t{1} << 50);
  s.integer("max_record_bytes", cfg.max_record_bytes, 1024, std::int64_t{64} << 20);
  s.integer("drain_bytes", cfg.drain_bytes, 0, std::int64_t{1} << 40);
  s.integer("max_page_size", cfg.max_page_size, 1, 10000);
  s.reject_unknown();
}

void parse_institutions(RegistryConfig& cfg, const toml::node& n) {
  auto fail = [&](const toml::node& at, const std::string& opt, const std::string& msg) {
    throw ConfigError(cfg.file, static_cast<int>(at.source().begin.line), opt, msg);
  };
  if (!n.is_array_of_tables()) fail(n, "institution", "must be [[institution]] tables");
  std::set<std::string> ids;
  std::set<std::array<unsigned char, 32>> digests;
  for (const auto& e : *n.as_array()) {
    const auto& t = *e.as_table();
    Section s(cfg, t, "institution");
    Institution inst;
    std::string hex;
    s.str("id", inst.id);
    s.str("token_sha256", hex);
    s.reject_unknown();
    if (!valid_institution_id(inst.id))
      s.fail(s.node("id"), "id", "must be an upper-case institution code such as \"INM\" (A-Z, 0-9, '-', 2-20 characters)");
    if (!ids.insert(inst.id).second) s.fail(s.node("id"), "id", "institution " + inst.id + " is listed twice");
    if (!parse_hex32(hex, inst.token_sha256))
      s.fail(s.node("token_sha256"), "token_sha256",
             "must be the 64 hex digits printed by `sseccoe-registry token new " + inst.id + "`");
    if (!digests.insert(inst.token_sha256).second)
      s.fail(s.node("token_sha256"), "token_sha256", "the same token cannot belong to two institutions");
    cfg.institutions.push_back(inst);
  }
}

}  // namespace

RegistryConfig load_config(const std::string& path) {
  RegistryConfig cfg;
  cfg.file = path;
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::string msg(e.description());
    if (!fs::exists(path)) msg = "cannot read the configuration file (does it exist?)";
    throw ConfigError(path, static_cast<int>(e.source().begin.line), "", msg);
  }
  std::string dir = fs::absolute(path).parent_path().string();
  for (const auto& [k, v] : root) {
    static const std::set<std::string> sections = {"server", "storage", "limits", "catalog", "log", "institution"};
    if (!sections.count(std::string(k.str())))
      throw ConfigError(path, static_cast<int>(v.source().begin.line), std::string(k.str()),
                        "unknown section (known: server, storage, limits, catalog, log, [[institution]])");
  }
  if (auto* t = sub_table(cfg, root, "server")) parse_server(cfg, *t, dir);
  if (auto* t = sub_table(cfg, root, "storage")) parse_storage(cfg, *t, dir);
  if (auto* t = sub_table(cfg, root, "limits")) parse_limits(cfg, *t);
  if (auto* t = sub_table(cfg, root, "catalog")) {
    Section s(cfg, *t, "catalog");
    s.str("dir", cfg.catalog_dir);
    s.reject_unknown();
    cfg.catalog_dir = resolve(dir, cfg.catalog_dir);
  }
  if (auto* t = sub_table(cfg, root, "log")) {
    Section s(cfg, *t, "log");
    s.str("level", cfg.log_level);
    s.reject_unknown();
    static const std::set<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
    if (!levels.count(cfg.log_level))
      s.fail(s.node("level"), "level", "must be one of trace, debug, info, warn, error, off");
  }
  if (const toml::node* n = root.get("institution")) parse_institutions(cfg, *n);
  if (cfg.institutions.empty())
    throw ConfigError(path, 0, "institution",
                      "no [[institution]]: nobody could authenticate; create a token with "
                      "`sseccoe-registry token new INSTITUTION` and paste the block it prints");
  if (cfg.catalog_dir.empty()) cfg.catalog_dir = default_catalog_dir();
  return cfg;
}

}  // namespace sseccoe::registry
