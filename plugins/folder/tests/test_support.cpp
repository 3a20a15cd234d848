#include "test_support.hpp"

#include "option_defaults.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "sseccoe/sdk/item.hpp"

namespace fs = std::filesystem;

namespace sseccoe::folder::testing {

std::error_code errc(int e) { return {e, std::generic_category()}; }

// ---- TempTree ---------------------------------------------------------------

TempTree::TempTree() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sseccoe-folder-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  // Canonical, so that paths the plugin reports compare equal.
  root_ = fs::canonical(tmpl).string();
}

TempTree::~TempTree() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void TempTree::mkdir(const std::string& rel) const { fs::create_directories(path(rel)); }

void TempTree::write(const std::string& rel, const std::string& content, std::chrono::seconds age) const {
  const fs::path p = path(rel);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
  }
  set_age(rel, age);
}

void TempTree::append(const std::string& rel, const std::string& content) const {
  std::ofstream out(path(rel), std::ios::binary | std::ios::app);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

void TempTree::set_age(const std::string& rel, std::chrono::seconds age) const {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const timespec t{now.tv_sec - static_cast<time_t>(age.count()), now.tv_nsec};
  const timespec times[2] = {t, t};
  if (::utimensat(AT_FDCWD, path(rel).c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
    throw std::runtime_error("utimensat failed on " + path(rel));
}

void TempTree::symlink(const std::string& target, const std::string& rel) const {
  const fs::path p = path(rel);
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  if (::symlink(target.c_str(), p.c_str()) != 0) throw std::runtime_error("symlink failed: " + p.string());
}

void TempTree::remove(const std::string& rel) const { fs::remove_all(path(rel)); }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- option defaults ----------------------------------------------------------


sdk::OptionValues default_options(const std::string& root) {
  sdk::OptionValues v;
  for (const auto& spec : option_table()) {
    if (!spec.default_value.empty())
      v.set(std::string(spec.name), parse_default(spec.type, std::string(spec.default_value)));
  }
  v.set("path", root);
  return v;
}

FolderSettings settings_for(const std::string& root, const std::string& instance) {
  sdk::SourceConfig config;
  config.instance = instance;
  config.institution = "INM";
  config.options = default_options(root);
  FolderSettings s = read_settings(config);
  s.watch = false;  // tests that want inotify say so
  return s;
}

// ---- FakeEmitter ------------------------------------------------------------------

sdk::EmitResult FakeEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) {
  Emitted e;
  e.item = item;
  e.outcome = sdk::EmitOutcome::New;
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a: enough to tell contents apart here
  try {
    for (const auto& c : item.contents) {
      if (before_open) before_open(item);
      std::unique_ptr<std::istream> in = c.open();
      std::vector<char> buf(64 * 1024);
      for (;;) {
        in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
        const auto n = static_cast<std::size_t>(in->gcount());
        if (n == 0) break;
        e.bytes += n;
        if (hash_contents)
          for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(buf[i])) * 1099511628211ull;
      }
    }
  } catch (const sdk::ContentError& err) {
    e.outcome = err.transient ? sdk::EmitOutcome::Deferred : sdk::EmitOutcome::Quarantined;
    e.reason = err.what();
    if (!err.transient) quarantined.push_back({item.natural_key, err.what(), item.locator});
    emitted.push_back(e);
    if (after_emit) after_emit(item);
    return {e.outcome, "", e.reason};
  }
  e.digest = std::to_string(h) + ":" + std::to_string(e.bytes);
  auto it = store.find(item.natural_key);
  if (it != store.end()) e.outcome = it->second.digest == e.digest ? sdk::EmitOutcome::Unchanged : sdk::EmitOutcome::Changed;
  store[item.natural_key] = sdk::KnownItem{item.version, e.digest};
  emitted.push_back(e);
  if (after_emit) after_emit(item);
  return {e.outcome, "ev-test", ""};
}

void FakeEmitter::quarantine(std::string_view key, std::string_view reason, std::string_view locator) {
  quarantined.push_back({std::string(key), std::string(reason), std::string(locator)});
}

std::optional<sdk::KnownItem> FakeEmitter::known(std::string_view key) {
  auto it = store.find(key);
  if (it == store.end()) return std::nullopt;
  return it->second;
}

void FakeEmitter::gone(std::string_view key) {
  gone_keys.emplace_back(key);
  store.erase(std::string(key));
}

void FakeEmitter::log(sdk::LogLevel level, std::string_view message) { logs.emplace_back(level, std::string(message)); }

bool FakeEmitter::for_each_known(const std::function<void(std::string_view)>& visit) {
  for (const auto& [key, _] : store) visit(key);
  return true;
}

void FakeEmitter::clear_pass() {
  emitted.clear();
  quarantined.clear();
  gone_keys.clear();
  logs.clear();
}

const Emitted* FakeEmitter::find(const std::string& key) const {
  for (const auto& e : emitted)
    if (e.item.natural_key == key) return &e;
  return nullptr;
}

const Quarantine* FakeEmitter::find_quarantine(const std::string& key) const {
  for (const auto& q : quarantined)
    if (q.key == key) return &q;
  return nullptr;
}

std::set<std::string> FakeEmitter::emitted_keys() const {
  std::set<std::string> keys;
  for (const auto& e : emitted) keys.insert(e.item.natural_key);
  return keys;
}

bool FakeEmitter::logged(const std::string& fragment) const {
  for (const auto& [level, message] : logs)
    if (message.find(fragment) != std::string::npos) return true;
  return false;
}

// ---- FaultEnv ------------------------------------------------------------------------

namespace {

class FaultFile final : public ReadableFile {
 public:
  FaultFile(std::unique_ptr<ReadableFile> real, std::string path, std::error_code read_error, std::string grow,
            std::string resolved)
      : real_(std::move(real)),
        path_(std::move(path)),
        read_error_(read_error),
        grow_(std::move(grow)),
        resolved_(std::move(resolved)) {}

  std::error_code read(char* buf, std::size_t n, std::size_t& got) override {
    if (read_error_) return read_error_;
    const std::error_code ec = real_->read(buf, n, got);
    if (!grow_.empty() && reads_++ == 0) {
      std::ofstream out(path_, std::ios::binary | std::ios::app);
      out << grow_;
    }
    return ec;
  }
  std::error_code stat(FileStat& out) override { return real_->stat(out); }
  std::string current_path() override { return resolved_.empty() ? real_->current_path() : resolved_; }

 private:
  std::unique_ptr<ReadableFile> real_;
  std::string path_;
  std::error_code read_error_;
  std::string grow_;
  std::string resolved_;
  int reads_ = 0;
};

template <typename T>
T value_or(const std::map<std::string, T>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? T{} : it->second;
}

}  // namespace

std::error_code FaultEnv::list_dir(const std::string& path, std::vector<DirEntry>& entries, std::string& resolved) {
  if (auto it = list_errors.find(path); it != list_errors.end()) return it->second;
  const std::error_code ec = real_->list_dir(path, entries, resolved);
  if (auto it = resolved_override.find(path); it != resolved_override.end()) resolved = it->second;
  if (!ec && after_list) after_list(path);
  return ec;
}

std::error_code FaultEnv::lstat(const std::string& path, FileStat& out) {
  if (auto it = lstat_errors.find(path); it != lstat_errors.end()) return it->second;
  return real_->lstat(path, out);
}

std::error_code FaultEnv::open_read(const std::string& path, std::unique_ptr<ReadableFile>& out) {
  ++opens[path];
  if (before_open) before_open(path);
  std::unique_ptr<ReadableFile> real;
  if (const std::error_code ec = real_->open_read(path, real)) return ec;
  out = std::make_unique<FaultFile>(std::move(real), path, value_or(read_errors, path), value_or(grow_on_read, path),
                                    value_or(resolved_override, path));
  return {};
}

std::uint64_t peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmHWM:   1234 kB"
  }
  return 0;
}

}  // namespace sseccoe::folder::testing
