#include "test_support.hpp"

#include "option_defaults.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "sql_options.hpp"

namespace sseccoe::sql::testing {

namespace {


std::uint64_t status_field(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size())) * 1024;  // "VmHWM:  1234 kB"
  return 0;
}

}  // namespace


sdk::SourceConfig config_with(const std::string& dsn_file, const std::string& query,
                              const std::vector<std::string>& key, const sdk::StringPairs& columns,
                              const std::string& instance) {
  sdk::SourceConfig c;
  c.instance = instance;
  c.institution = "INM";
  for (const auto& spec : option_table())
    if (!spec.default_value.empty())
      c.options.set(std::string(spec.name), parse_default(spec.type, std::string(spec.default_value)));
  c.options.set("dsn_file", dsn_file);
  c.options.set("query", query);
  c.options.set("key", key);
  c.options.set("columns", columns);
  return c;
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sseccoe-sql-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  const std::string p = path_ + "/" + name;
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + p);
  const auto n = ::write(fd, content.data(), content.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(content.size())) throw std::runtime_error("cannot write " + p);
  return p;
}

sdk::EmitResult RecordingEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) {
  ++emitted;
  if (after_emit) after_emit();
  sdk::EmitOutcome outcome = sdk::EmitOutcome::New;
  if (!remember) return {outcome, "ev-test", ""};
  if (auto it = known_versions.find(item.natural_key); it != known_versions.end()) {
    outcome = it->second == item.version ? sdk::EmitOutcome::Unchanged : sdk::EmitOutcome::Changed;
    it->second = item.version;
  } else {
    known_versions.emplace(item.natural_key, item.version);
  }
  if (outcome == sdk::EmitOutcome::Changed) ++changed;
  if (outcome == sdk::EmitOutcome::Unchanged) ++unchanged;
  if (keep_items) items.push_back(item);
  return {outcome, "ev-test", ""};
}

void RecordingEmitter::quarantine(std::string_view key, std::string_view reason, std::string_view) {
  quarantined.emplace_back(std::string(key), std::string(reason));
}

std::optional<sdk::KnownItem> RecordingEmitter::known(std::string_view key) {
  auto it = known_versions.find(key);
  if (it == known_versions.end()) return std::nullopt;
  return sdk::KnownItem{it->second, ""};
}

void RecordingEmitter::gone(std::string_view key) {
  gone_keys.emplace_back(key);
  known_versions.erase(std::string(key));
}

void RecordingEmitter::log(sdk::LogLevel, std::string_view message) { logs.emplace_back(message); }

bool RecordingEmitter::for_each_known(const std::function<void(std::string_view)>& visit) {
  for (const auto& [key, _] : known_versions) visit(key);
  return true;
}

std::uint64_t peak_rss() { return status_field("VmHWM"); }
std::uint64_t current_rss() { return status_field("VmRSS"); }

}  // namespace sseccoe::sql::testing
