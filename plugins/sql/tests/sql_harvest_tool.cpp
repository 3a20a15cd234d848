// sql_harvest_tool: one pass of the sql source against a real server, with
// an emitter that keeps nothing but what the test asks for, printed as JSON.
// Used by tests/e2e/test_sql_to_registry.py for what the real agent would
// make slow or indirect: type conversions, quarantines, the incremental
// cursor, and memory on a 200,000-row result.
//
//   sql_harvest_tool --dsn-file F --query Q --key FIELD... --column FIELD=HEADER...
//                    [--updated-column C] [--full-every-ms N] [--fetch-size N]
//                    [--statement-timeout-ms N] [--time-zone TZ] [--role census]
//                    [--cursor TEXT] [--known FILE] [--now UNIX] [--summary-only]
//                    [--stop-after N]
//
// --known FILE keeps the emitter's natural key -> version map between runs
// (read before, written after), so that a second run sees Changed/Unchanged
// and gone keys like the agent's store would. --stop-after N requests a stop
// (as SIGTERM does in the agent) once N items were emitted.
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "sql_options.hpp"
#include "sql_source.hpp"
#include "test_support.hpp"

using nlohmann::json;
using sseccoe::sql::testing::RecordingEmitter;

namespace {

constexpr std::size_t kMaxListed = 200;

struct Args {
  std::string dsn_file, query, updated_column, time_zone, role = "evidence", cursor, known;
  std::vector<std::string> key;
  sseccoe::sdk::StringPairs columns;
  std::int64_t fetch_size = 1000, full_every_ms = 86'400'000, statement_timeout_ms = 300'000, now = 0;
  std::uint64_t stop_after = 0;
  bool summary_only = false;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--dsn-file") a.dsn_file = next();
    else if (arg == "--query") a.query = next();
    else if (arg == "--key") a.key.push_back(next());
    else if (arg == "--column") {
      const std::string v = next();
      const auto eq = v.find('=');
      if (eq == std::string::npos) throw std::invalid_argument("--column wants FIELD=HEADER");
      a.columns.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (arg == "--updated-column") a.updated_column = next();
    else if (arg == "--full-every-ms") a.full_every_ms = std::stoll(next());
    else if (arg == "--fetch-size") a.fetch_size = std::stoll(next());
    else if (arg == "--statement-timeout-ms") a.statement_timeout_ms = std::stoll(next());
    else if (arg == "--time-zone") a.time_zone = next();
    else if (arg == "--role") a.role = next();
    else if (arg == "--cursor") a.cursor = next();
    else if (arg == "--known") a.known = next();
    else if (arg == "--now") a.now = std::stoll(next());
    else if (arg == "--summary-only") a.summary_only = true;
    else if (arg == "--stop-after") a.stop_after = std::stoull(next());
    else throw std::invalid_argument("unknown argument " + arg);
  }
  return a;
}

json item_json(const sseccoe::sdk::Item& item) {
  json people = json::array();
  for (const auto& p : item.people)
    people.push_back({{"name", p.name}, {"curp", p.curp}, {"rfc", p.rfc}, {"employee_id", p.employee_id}});
  return {{"key", item.natural_key}, {"version", item.version},  {"occurred_on", item.occurred_on},
          {"occurred_on_from", item.occurred_on_from},          {"locator", item.locator},
          {"metadata", item.metadata}, {"people", people}};
}

}  // namespace

int main(int argc, char** argv) {
  json out;
  try {
    const Args a = parse(argc, argv);
    auto config = sseccoe::sql::testing::config_with(a.dsn_file, a.query, a.key, a.columns, "hr");
    config.role = a.role;
    if (!a.updated_column.empty()) config.options.set("updated_column", a.updated_column);
    if (!a.time_zone.empty()) config.options.set("time_zone", a.time_zone);
    config.options.set("fetch_size", a.fetch_size);
    config.options.set("full_every", a.full_every_ms);
    config.options.set("statement_timeout", a.statement_timeout_ms);

    RecordingEmitter emitter;
    emitter.keep_items = !a.summary_only;
    emitter.remember = !a.summary_only;
    if (!a.known.empty()) {
      std::ifstream in(a.known);
      if (in) emitter.known_versions = json::parse(in).get<std::map<std::string, std::string, std::less<>>>();
    }
    std::stop_source stop;
    if (a.stop_after > 0)
      emitter.after_emit = [&] {
        if (emitter.emitted >= a.stop_after) stop.request_stop();
      };
    const std::int64_t now = a.now;
    sseccoe::sql::SqlSource source(sseccoe::sql::read_settings(config),
                                   now != 0 ? std::function<std::int64_t()>([now] { return now; }) : nullptr);
    out["rss_before"] = sseccoe::sql::testing::current_rss();
    out["peak_rss_before"] = sseccoe::sql::testing::peak_rss();
    std::string error;
    std::string cursor = a.cursor;
    try {
      cursor = source.harvest({a.cursor}, emitter, stop.get_token()).value;
    } catch (const std::exception& e) {
      error = e.what();
    }
    out["peak_rss_after"] = sseccoe::sql::testing::peak_rss();
    out["ok"] = error.empty();
    out["error"] = error;
    out["cursor"] = cursor;
    out["emitted"] = emitter.emitted;
    out["changed"] = emitter.changed;
    out["unchanged"] = emitter.unchanged;
    out["quarantined_count"] = emitter.quarantined.size();
    json items = json::array();
    for (const auto& item : emitter.items) items.push_back(item_json(item));
    out["items"] = items;
    json q = json::array();
    for (std::size_t i = 0; i < emitter.quarantined.size() && i < kMaxListed; ++i)
      q.push_back({{"key", emitter.quarantined[i].first}, {"reason", emitter.quarantined[i].second}});
    out["quarantined"] = q;
    out["gone"] = emitter.gone_keys;
    out["logs"] = emitter.logs;
    if (!a.known.empty()) {
      std::ofstream k(a.known, std::ios::trunc);
      k << json(emitter.known_versions).dump();
    }
    out["probe"] = a.summary_only ? std::string() : source.probe();
  } catch (const std::exception& e) {
    std::cerr << "sql_harvest_tool: " << e.what() << "\n";
    return 2;
  }
  std::cout << out.dump(1, ' ', false, json::error_handler_t::replace) << "\n";
  return 0;
}
