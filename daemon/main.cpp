// sseccoe-agent: parses the command line and dispatches; everything else
// lives in core/. Exit codes: 0 success, 1 a failure the message explains,
// 2 usage or configuration error.
#include <iostream>
#include <map>

#include "commands.hpp"

using namespace sseccoe::agent;

int main(int argc, char** argv) {
  static const std::map<std::string, int (*)(Context&)> commands = {
      {"run", cmd_run},           {"check-config", cmd_check_config}, {"status", cmd_status},
      {"records", cmd_records},   {"unclassified", cmd_unclassified}, {"classify", cmd_classify},
      {"reclassify", cmd_reclassify},
      {"quarantine", cmd_quarantine}, {"explain", cmd_explain},       {"report", cmd_report},
      {"catalog", cmd_catalog},   {"plugins", cmd_plugins},           {"doctor", cmd_doctor},
  };
  try {
    Args args = parse_args(argc, argv);
    if (args.flag("help") || args.words.empty()) {
      std::cout << kUsage;
      return args.words.empty() && !args.flag("help") ? 2 : 0;
    }
    if (args.flag("version")) {
      std::cout << "sseccoe-agent " << SSECCOE_VERSION << "\n";
      return 0;
    }
    auto it = commands.find(args.words[0]);
    if (it == commands.end()) throw UsageError("unknown command '" + args.words[0] + "'");
    Context ctx(args);
    return it->second(ctx);
  } catch (const UsageError& e) {
    std::cerr << "sseccoe-agent: " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const ConfigFailure& e) {
    std::cerr << "sseccoe-agent: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sseccoe-agent: " << e.what() << "\n";
    return 1;
  }
}
