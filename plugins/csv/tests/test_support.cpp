#include "test_support.hpp"

#include "option_defaults.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace sseccoe::csv::testing {

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sseccoe-csv-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = fs::canonical(tmpl).string();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

std::string TempDir::write(const std::string& rel, const std::string& bytes, std::chrono::seconds age) const {
  const fs::path p = path(rel);
  fs::create_directories(p.parent_path());
  {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
  }
  set_age(rel, age);
  return p.string();
}

void TempDir::set_age(const std::string& rel, std::chrono::seconds age) const {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const timespec t{now.tv_sec - static_cast<time_t>(age.count()), now.tv_nsec};
  const timespec times[2] = {t, t};
  if (::utimensat(AT_FDCWD, path(rel).c_str(), times, 0) != 0) throw std::runtime_error("utimensat " + path(rel));
}

void TempDir::remove(const std::string& rel) const { fs::remove_all(path(rel)); }

// ---- options ---------------------------------------------------------------------


sdk::SourceConfig config_with(const std::string& path, const sdk::StringPairs& columns,
                              const std::vector<std::string>& key) {
  sdk::SourceConfig c;
  c.instance = "capacitacion";
  c.institution = "INM";
  for (const auto& spec : option_table())
    if (!spec.default_value.empty())
      c.options.set(std::string(spec.name), parse_default(spec.type, std::string(spec.default_value)));
  c.options.set("path", path);
  c.options.set("settle", std::int64_t{0});
  c.options.set("columns", columns);
  c.options.set("key", key);
  return c;
}

sdk::SourceConfig training_config(const std::string& path) {
  return config_with(path,
                     {{"employee_id", "No. Empleado"},
                      {"name", "Nombre"},
                      {"curp", "CURP"},
                      {"course", "Curso"},
                      {"occurred_on", "Fecha"}},
                     {"employee_id", "course"});
}

// ---- FakeEmitter -------------------------------------------------------------------

sdk::EmitResult FakeEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) {
  Emitted e{item, sdk::EmitOutcome::New};
  if (auto it = store.find(item.natural_key); it != store.end())
    e.outcome = it->second.version == item.version ? sdk::EmitOutcome::Unchanged : sdk::EmitOutcome::Changed;
  store[item.natural_key] = sdk::KnownItem{item.version, item.version};
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

std::vector<Quarantine> FakeEmitter::quarantined_with(const std::string& fragment) const {
  std::vector<Quarantine> out;
  for (const auto& q : quarantined)
    if (q.reason.find(fragment) != std::string::npos) out.push_back(q);
  return out;
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

std::string FakeEmitter::dump() const {
  std::ostringstream s;
  for (const auto& e : emitted) {
    const auto line = e.item.metadata.find("line");
    s << "emitted " << e.item.natural_key << (line == e.item.metadata.end() ? "" : " (line " + line->second + ")")
      << "\n";
  }
  for (const auto& q : quarantined) s << "quarantined " << q.key << ": " << q.reason << "\n";
  for (const auto& g : gone_keys) s << "gone " << g << "\n";
  for (const auto& [level, message] : logs) s << "log " << message << "\n";
  return s.str();
}

std::uint64_t peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmHWM:   1234 kB"
  }
  return 0;
}

bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace sseccoe::csv::testing
