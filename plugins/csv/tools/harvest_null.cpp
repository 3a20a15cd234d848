// csv_harvest_null: one pass of the csv source over an export, into an
// emitter that counts and keeps nothing. It measures what the plugin and
// the SDK's TableHarvest cost (read, decode, key, check, build items)
// without the agent's store, for bench/csv/run.sh.
//
//   csv_harvest_null PATH KEY_FIELD FIELD=HEADER...
//
// Prints one line: rows=N emitted=N quarantined=N. Exit 1 when the harvest
// throws, 2 on usage errors.
#include <cstdio>
#include <exception>
#include <string>

#include "csv_options.hpp"
#include "csv_source.hpp"

namespace {

using namespace sseccoe;

class CountingEmitter final : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item&, const std::optional<sdk::Cursor>&) override {
    ++emitted;
    return {sdk::EmitOutcome::New, "", ""};
  }
  void quarantine(std::string_view, std::string_view reason, std::string_view) override {
    if (quarantined++ < 5) std::fprintf(stderr, "quarantined: %.*s\n", static_cast<int>(reason.size()), reason.data());
  }
  std::optional<sdk::KnownItem> known(std::string_view) override { return std::nullopt; }
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view) override {}
  void log(sdk::LogLevel level, std::string_view message) override {
    if (level >= sdk::LogLevel::Warn) std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
  }
  unsigned long long emitted = 0, quarantined = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: csv_harvest_null PATH KEY_FIELD FIELD=HEADER...\n");
    return 2;
  }
  sdk::SourceConfig c;
  c.instance = "bench";
  c.institution = "INM";
  c.options.set("path", std::string(argv[1]));
  c.options.set("delimiter", std::string("auto"));
  c.options.set("encoding", std::string("auto"));
  c.options.set("settle", std::int64_t{0});
  c.options.set("max_row_size", std::int64_t{1} << 20);
  c.options.set("key", std::vector<std::string>{argv[2]});
  sdk::StringPairs columns;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "csv_harvest_null: '%s' is not FIELD=HEADER\n", argv[i]);
      return 2;
    }
    columns.emplace_back(a.substr(0, eq), a.substr(eq + 1));
  }
  c.options.set("columns", columns);
  try {
    csv::CsvSource source(csv::read_settings(c));
    CountingEmitter out;
    source.harvest({}, out, {});
    std::printf("rows=%llu emitted=%llu quarantined=%llu\n",
                static_cast<unsigned long long>(source.last_pass().rows), out.emitted, out.quarantined);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "csv_harvest_null: %s\n", e.what());
    return 1;
  }
  return 0;
}
