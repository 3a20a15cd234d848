#include "test_support.hpp"

#include "option_defaults.hpp"

#include <openssl/evp.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace sseccoe::mailtest {

namespace fs = std::filesystem;

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sseccoe-mailtest-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& rel, const std::string& content) const {
  const std::string p = path_ + "/" + rel;
  fs::create_directories(fs::path(p).parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

void TempDir::mkdir(const std::string& rel) const { fs::create_directories(path_ + "/" + rel); }

std::size_t TempDir::count_files(const std::string& rel) const {
  std::size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(rel.empty() ? path_ : path_ + "/" + rel))
    if (e.is_regular_file()) ++n;
  return n;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

namespace {

struct Sha {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Sha() { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
  ~Sha() { EVP_MD_CTX_free(ctx); }
  void update(const char* p, std::size_t n) { EVP_DigestUpdate(ctx, p, n); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    static const char* h = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
      out += h[md[i] >> 4];
      out += h[md[i] & 15];
    }
    return out;
  }
};

}  // namespace

std::string sha256_hex(const std::string& data) {
  Sha s;
  s.update(data.data(), data.size());
  return s.hex();
}

sdk::EmitResult FakeEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) {
  Emitted e;
  e.item = item;
  auto it = store.find(item.natural_key);
  if (it != store.end() && !item.version.empty() && it->second.version == item.version) {
    e.outcome = sdk::EmitOutcome::Unchanged;
    emitted.push_back(std::move(e));
    return {sdk::EmitOutcome::Unchanged, "ev-" + item.natural_key, {}};
  }
  const std::string kind = kind_of ? kind_of(item) : std::string();
  Sha all;
  for (const auto& c : item.contents) {
    if (!c.only_for_kind.empty() && c.only_for_kind != kind) continue;
    StoredContent sc{c.name, c.media_type, c.role, {}, 0, {}};
    try {
      auto in = c.open();
      if (!in) throw sdk::ContentError("no stream for " + c.name, true);
      Sha h;
      std::vector<char> buf(64 * 1024);
      while (*in) {
        in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in->gcount());
        h.update(buf.data(), n);
        sc.size += n;
        if (keep_data && sc.data.size() < (1u << 20)) sc.data.append(buf.data(), n);
      }
      sc.digest = h.hex();
    } catch (const sdk::ContentError& err) {
      const auto outcome = err.transient ? sdk::EmitOutcome::Deferred : sdk::EmitOutcome::Quarantined;
      e.outcome = outcome;
      e.reason = err.what();
      if (!err.transient) quarantined.push_back({item.natural_key, err.what(), item.locator});
      emitted.push_back(std::move(e));
      return {outcome, {}, err.what()};
    }
    all.update(sc.name.data(), sc.name.size());
    all.update(sc.digest.data(), sc.digest.size());
    e.contents.push_back(std::move(sc));
  }
  const std::string digest = all.hex();
  if (it != store.end() && it->second.digest == digest) {
    it->second.version = item.version;
    e.outcome = sdk::EmitOutcome::Unchanged;
  } else {
    e.outcome = it == store.end() ? sdk::EmitOutcome::New : sdk::EmitOutcome::Changed;
    store[item.natural_key] = sdk::KnownItem{item.version, digest};
  }
  const auto outcome = e.outcome;
  emitted.push_back(std::move(e));
  return {outcome, "ev-" + item.natural_key, {}};
}

void FakeEmitter::quarantine(std::string_view key, std::string_view reason, std::string_view locator) {
  quarantined.push_back({std::string(key), std::string(reason), std::string(locator)});
}

std::optional<sdk::KnownItem> FakeEmitter::known(std::string_view key) {
  ++known_calls;
  auto it = store.find(key);
  if (it == store.end()) return std::nullopt;
  return it->second;
}

const Emitted* FakeEmitter::find(const std::string& key) const {
  for (auto it = emitted.rbegin(); it != emitted.rend(); ++it)
    if (it->item.natural_key == key) return &*it;
  return nullptr;
}

const Quarantined* FakeEmitter::find_quarantine(const std::string& key) const {
  for (const auto& q : quarantined)
    if (q.key == key) return &q;
  return nullptr;
}

std::set<std::string> FakeEmitter::keys() const {
  std::set<std::string> out;
  for (const auto& [k, v] : store) out.insert(k);
  return out;
}

std::size_t FakeEmitter::count(sdk::EmitOutcome o) const {
  std::size_t n = 0;
  for (const auto& e : emitted) n += e.outcome == o ? 1 : 0;
  return n;
}

bool FakeEmitter::logged(const std::string& fragment) const {
  for (const auto& [level, m] : logs)
    if (m.find(fragment) != std::string::npos) return true;
  return false;
}

void FakeEmitter::clear_pass() {
  emitted.clear();
  quarantined.clear();
  gone_keys.clear();
  logs.clear();
  known_calls = 0;
}

namespace {

// The defaults of the option tables used here, parsed like the core would.

}  // namespace

sdk::OptionValues options_with_defaults(std::span<const sdk::OptionSpec> table) {
  sdk::OptionValues o;
  for (const auto& spec : table)
    if (!spec.default_value.empty()) o.set(std::string(spec.name), parse_default(spec.type, std::string(spec.default_value)));
  return o;
}

std::uint64_t peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

std::string base64_lines(const std::string& data) {
  std::string out;
  std::vector<unsigned char> buf(4 * 57 / 3 + 2);
  for (std::size_t i = 0; i < data.size(); i += 57) {
    const std::size_t n = std::min<std::size_t>(57, data.size() - i);
    const int len = EVP_EncodeBlock(buf.data(), reinterpret_cast<const unsigned char*>(data.data() + i), static_cast<int>(n));
    out.append(reinterpret_cast<const char*>(buf.data()), static_cast<std::size_t>(len));
    out += '\n';
  }
  return out;
}

}  // namespace sseccoe::mailtest
