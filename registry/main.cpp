// sseccoe-registry [--config FILE] COMMAND
//   serve                   the HTTP(S) API of docs/openapi.yaml
//   check-config            validate the configuration and the catalogs
//   token new INSTITUTION   print a new bearer token once; only its SHA-256 is kept
// Exit codes: 0 success, 1 a failure the message explains, 2 usage or
// configuration error.
#include <Poco/Exception.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "catalogs.hpp"
#include "config.hpp"
#include "server.hpp"
#include "token.hpp"

using namespace sseccoe::registry;

namespace {

constexpr const char* kDefaultConfig = "/etc/sseccoe-registry/registry.toml";

constexpr const char* kUsage =
    "usage: sseccoe-registry [--config FILE] COMMAND\n"
    "\n"
    "commands:\n"
    "  serve                   serve the registry API (docs/openapi.yaml) until SIGTERM\n"
    "  check-config            validate the configuration and the program catalogs\n"
    "  token new INSTITUTION   print a new bearer token for INSTITUTION, once;\n"
    "                          paste the [[institution]] block it prints into the configuration\n"
    "\n"
    "options:\n"
    "  --config FILE           configuration (default /etc/sseccoe-registry/registry.toml)\n"
    "  --help, --version\n";

int usage_error(const std::string& msg) {
  std::cerr << "sseccoe-registry: " << msg << "\n\n" << kUsage;
  return 2;
}

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("registry");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
}

int token_new(const std::string& institution) {
  if (!valid_institution_id(institution))
    return usage_error("'" + institution +
                       "' is not an institution code: use upper-case letters, digits and '-', such as INM");
  std::string token = new_token();
  // stdout carries only what to keep: line 1 the token, then the TOML block.
  std::cout << token << "\n"
            << "[[institution]]\n"
            << "id = \"" << institution << "\"\n"
            << "token_sha256 = \"" << hex(token_digest(token)) << "\"\n";
  std::cerr << "The first line is the bearer token for " << institution
            << ". It is shown only this once: give it to the agent's [registry] token_file (mode 0600).\n"
            << "Paste the [[institution]] block into registry.toml and restart the registry; "
            << "the registry keeps only the SHA-256.\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts, so that every thread inherits the mask and the
  // main thread alone receives them through sigwait() (field-notes.md).
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::string config = kDefaultConfig;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "--version") {
      std::cout << "sseccoe-registry " << SSECCOE_VERSION << "\n";
      return 0;
    }
    if (a == "--config") {
      if (i + 1 >= argc) return usage_error("--config needs a file");
      config = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config = a.substr(9);
    } else if (a.size() > 1 && a[0] == '-' && args.empty()) {
      return usage_error("unknown option " + a);
    } else {
      args.push_back(a);
    }
  }
  if (args.empty()) return usage_error("missing command");

  try {
    if (args[0] == "token") {
      if (args.size() != 3 || args[1] != "new") return usage_error("usage: token new INSTITUTION");
      return token_new(args[2]);
    }
    if (args[0] != "serve" && args[0] != "check-config") return usage_error("unknown command '" + args[0] + "'");
    if (args.size() != 1) return usage_error(args[0] + " takes no arguments");

    RegistryConfig cfg;
    try {
      cfg = load_config(config);
    } catch (const ConfigError& e) {
      std::cerr << "sseccoe-registry: configuration error: " << e.what() << "\n";
      return 2;
    }
    setup_logging(cfg.log_level);
    Catalogs catalogs;
    try {
      catalogs = Catalogs::load_dir(cfg.catalog_dir);
    } catch (const std::exception& e) {
      std::cerr << "sseccoe-registry: configuration error: " << config << ": catalog.dir: " << e.what() << "\n";
      return 2;
    }
    if (args[0] == "check-config") {
      std::cout << config << ": ok\n";
      return 0;
    }
    return serve(cfg, catalogs);
  } catch (const Poco::Exception& e) {
    std::cerr << "sseccoe-registry: " << e.displayText() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "sseccoe-registry: " << e.what() << "\n";
    return 1;
  }
}
