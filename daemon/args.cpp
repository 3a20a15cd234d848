#include "args.hpp"

#include <set>
#include <stdexcept>

namespace sseccoe::agent {

const char* kUsage = R"(usage: sseccoe-agent [--config FILE] [--state-dir DIR] [--plugin-dir DIR] [--log-level L] COMMAND

  run [--once] [--max-wait DURATION] [--json]
                          harvest, classify and sync; --once: one pass, then exit
  check-config            validate the configuration; exit 0, or 2 with each error's line
  status [--json]         sources, cursors, backlog, quarantine, last sync, registry health
  records list [--status S] [--json] | records show ID [--json]
  unclassified list [--json]
  classify ID --activity A --kind K
  reclassify [--dry-run] [--source S] [--json]
                          apply today's rules to unclassified and held records
  quarantine list [--json] | quarantine retry ID|--all | quarantine discard ID --reason TEXT
  explain ID              which rule matched (or none), and why
  report [--format text|json|html] [--out FILE]
  catalog show [--json] | catalog import FILE [--program P] [--institution I]
  plugins list | plugins describe NAME [--markdown]
  doctor                  reach every source and the registry, say what fails and what to do

Exit codes: 0 success, 1 a failure the message explains, 2 usage or configuration error.
)";

Args parse_args(int argc, char** argv) {
  static const std::set<std::string> with_value = {"--config", "--state-dir", "--plugin-dir", "--log-level",
                                                   "--status", "--activity", "--kind",   "--reason",
                                                   "--format", "--out",       "--program", "--institution",
                                                   "--max-wait", "--source"};
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.rfind("--", 0) == 0 && s.size() > 2) {
      std::string name = s, val;
      if (auto eq = s.find('='); eq != std::string::npos) {
        name = s.substr(0, eq);
        val = s.substr(eq + 1);
      } else if (with_value.count(s)) {
        if (i + 1 >= argc) throw UsageError(s + " needs a value");
        val = argv[++i];
      }
      if (name == "--config") a.config = val;
      else if (name == "--state-dir") a.state_dir = val;
      else if (name == "--plugin-dir") a.plugin_dir = val;
      else if (name == "--log-level") a.log_level = val;
      else a.flags[name.substr(2)] = val;
    } else if (s == "-h") {
      a.flags["help"] = "";
    } else {
      a.words.push_back(s);
    }
  }
  return a;
}

}  // namespace sseccoe::agent
