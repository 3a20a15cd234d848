// `status`, `quarantine`, `check-config`, `doctor`: the operator's view of
// the agent's health.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "workers.hpp"
#include "output.hpp"
#include "plugins/source_config.hpp"
#include "sync/http_client.hpp"

namespace sseccoe::agent {

int cmd_status(Context& ctx) {
  auto& store = ctx.store();
  const auto& cfg = ctx.config();
  auto counts = store.counts();
  auto cursors = store.cursors();
  auto health = store.health();
  nlohmann::json sources = nlohmann::json::object();
  std::string harvest_paused;  // why harvesting is paused (a full state directory), as the run last saw it
  for (const auto& s : cfg.sources) {
    nlohmann::json h = health.count("source." + s.name) ? nlohmann::json::parse(health["source." + s.name], nullptr, false)
                                                          : nlohmann::json::object();
    if (h.is_object() && !h.value("paused", std::string()).empty()) harvest_paused = h.value("paused", std::string());
    sources[s.name] = {{"plugin", s.plugin}, {"enabled", s.enabled}, {"cursor", cursors.count(s.name) ? cursors[s.name] : ""},
                       {"health", h}};
  }
  nlohmann::json registry = health.count("registry") ? nlohmann::json::parse(health["registry"], nullptr, false)
                                                     : nlohmann::json::object();
  registry["url"] = cfg.registry.url;
  nlohmann::json j = {{"state_dir", cfg.agent.state_dir},
                      {"records", {{"total", counts.records}, {"unclassified", counts.unclassified}, {"held", counts.held},
                                   {"pending", counts.pending}, {"synced", counts.synced}, {"quarantined", counts.quarantined}}},
                      {"backlog", {{"outbox", counts.outbox}, {"oldest_pending", counts.oldest_pending}}},
                      {"quarantine", counts.quarantine_entries},
                      {"blobs", counts.blobs},
                      {"sources", sources},
                      {"registry", registry},
                      {"harvest_paused", harvest_paused.empty() ? nlohmann::json(nullptr) : nlohmann::json(harvest_paused)}};
  if (ctx.args().flag("json")) {
    print_json(j);
    return 0;
  }
  std::cout << "state dir:  " << cfg.agent.state_dir << "\n"
            << "records:    " << counts.records << " (" << counts.synced << " registered, " << counts.pending
            << " pending, " << counts.unclassified << " unclassified, " << counts.held << " held, "
            << counts.quarantined << " refused)\n"
            << "backlog:    " << counts.outbox << (counts.outbox ? ", oldest since " + counts.oldest_pending : "") << "\n"
            << "quarantine: " << counts.quarantine_entries << "\n"
            << (harvest_paused.empty() ? "" : "HARVEST PAUSED: " + harvest_paused + "\n")
            << "registry:   " << (cfg.registry.url.empty() ? "not configured" : cfg.registry.url);
  if (registry.contains("state")) std::cout << " [" << registry.value("state", "") << "]";
  if (!registry.value("last_success", std::string()).empty()) std::cout << ", last success " << registry["last_success"].get<std::string>();
  if (!registry.value("last_error", std::string()).empty()) std::cout << "\n            last error: " << registry["last_error"].get<std::string>();
  std::cout << "\nsources:\n";
  for (auto& [name, s] : sources.items()) {
    std::cout << "  " << name << " (" << s["plugin"].get<std::string>() << ")";
    const auto& h = s["health"];
    if (h.is_object() && !h.value("last_success", std::string()).empty()) std::cout << ": last pass " << h["last_success"].get<std::string>();
    if (h.is_object() && !h.value("last_error", std::string()).empty()) std::cout << "; last error: " << h["last_error"].get<std::string>();
    std::cout << "\n";
  }
  return 0;
}

int cmd_quarantine(Context& ctx) {
  const std::string sub = ctx.args().word(1);
  auto& store = ctx.store();
  const char* user_env = std::getenv("SUDO_USER") ? std::getenv("SUDO_USER") : std::getenv("USER");
  std::string user = user_env ? user_env : "operator";
  if (sub == "list" || sub.empty()) {
    auto entries = store.quarantine();
    if (ctx.args().flag("json")) {
      auto a = nlohmann::json::array();
      for (const auto& e : entries)
        a.push_back({{"id", e.id}, {"source", e.source}, {"key", e.natural_key}, {"stage", e.stage},
                     {"record_id", e.record_id}, {"reason", e.reason}, {"code", e.code}, {"field", e.field},
                     {"locator", e.locator}, {"attempts", e.attempts}, {"first_attempt", e.first_attempt},
                     {"last_attempt", e.last_attempt}});
      print_json({{"quarantine", a}});
      return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& e : entries)
      rows.push_back({std::to_string(e.id), e.stage, e.source + ":" + e.natural_key,
                      e.code.empty() ? "-" : e.code + (e.field.empty() ? "" : " (" + e.field + ")"),
                      std::to_string(e.attempts), e.last_attempt, e.reason});
    print_table(std::cout, {"ID", "STAGE", "SOURCE:KEY", "CODE", "ATTEMPTS", "LAST", "REASON"}, rows);
    std::cout << entries.size() << " entr" << (entries.size() == 1 ? "y" : "ies") << "\n";
    return 0;
  }
  auto parse_id = [&](const std::string& w) -> std::int64_t {
    try {
      return std::stoll(w);
    } catch (...) {
      throw UsageError("quarantine " + sub + ": '" + w + "' is not an entry id (see 'quarantine list')");
    }
  };
  if (sub == "retry") {
    std::vector<std::int64_t> ids;
    if (ctx.args().flag("all")) {
      for (const auto& e : store.quarantine()) ids.push_back(e.id);
    } else {
      ids.push_back(parse_id(ctx.args().word(2)));
    }
    for (auto id : ids) {
      if (!store.quarantine_retry(id, user)) throw Failure("no quarantine entry " + std::to_string(id));
      std::cout << "entry " << id << ": will be retried on the next run\n";
    }
    return 0;
  }
  if (sub == "discard") {
    auto id = parse_id(ctx.args().word(2));
    std::string reason = ctx.args().value("reason");
    if (reason.empty()) throw UsageError("quarantine discard ID --reason TEXT: say why, it goes to the audit trail");
    if (!store.quarantine_discard(id, reason, user)) throw Failure("no quarantine entry " + std::to_string(id));
    std::cout << "entry " << id << ": discarded\n";
    return 0;
  }
  throw UsageError("quarantine: unknown sub-command '" + sub + "' (list, retry, discard)");
}

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sseccoe-doctor-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

int cmd_check_config(Context& ctx) {
  auto result = ctx.load_config_result();
  for (const auto& p : ctx.plugins().problems()) std::cerr << "warning: plugin: " << p << "\n";
  for (const auto& w : result.warnings) std::cerr << "warning: " << w.str() << "\n";
  if (!result.ok()) {
    for (const auto& e : result.errors) std::cerr << e.str() << "\n";
    std::cerr << result.errors.size() << " error(s) in the configuration\n";
    return 2;
  }
  // Cross-checks that need the catalog: every rule's activity and kind.
  const auto& cfg = ctx.config();
  int problems = 0;
  const model::Catalog* catalog = nullptr;
  try {
    catalog = &ctx.catalog();
  } catch (const ConfigFailure& e) {
    std::cerr << e.what() << "\n";
    ++problems;
  }
  if (catalog)
    for (const auto& r : cfg.rules) {
      if (!catalog->activity(r.activity)) {
        std::cerr << r.where.str() << ": rule[" << r.index << "].activity: " << r.activity << " is not an activity of "
                  << catalog->program << "\n";
        ++problems;
      } else if (!catalog->allows(r.activity, r.kind)) {
        std::cerr << r.where.str() << ": rule[" << r.index << "].kind: activity " << r.activity
                  << " does not take evidence of kind " << r.kind << "\n";
        ++problems;
      }
    }
  // What only the plugin knows (a query that is not a SELECT, options that
  // contradict each other) is checked by creating each enabled source, as
  // `run` will; nothing is read or connected to.
  for (const auto& s : cfg.sources) {
    if (!s.enabled || ctx.plugins().find(s.plugin) == nullptr) continue;
    try {
      TempDir scratch;
      (void)ctx.plugins().find(s.plugin)->create(core::make_source_config(cfg, s, scratch.path));
    } catch (const std::exception& e) {
      const std::string prefix = "source '" + s.name + "': ";
      std::string message = e.what();
      if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
      std::cerr << s.where.str() << ": source." << s.name << ": " << message << "\n";
      ++problems;
    }
  }
  // The certificate templates, the operator's and the shipped ones.
  std::size_t templates = 0;
  try {
    templates = core::extract::TemplateSet::load(template_dirs(cfg)).size();
  } catch (const core::extract::TemplateError& e) {
    std::cerr << "certificate template: " << e.what() << "\n";
    ++problems;
  }
  if (problems) return 2;
  std::cout << "configuration OK: " << cfg.files.size() << " file(s), " << cfg.sources.size() << " source(s), "
            << cfg.rules.size() << " rule(s), " << templates << " certificate template(s), program "
            << cfg.agent.program << "\n";
  return 0;
}


int cmd_doctor(Context& ctx) {
  const auto& cfg = ctx.config();
  int failures = 0;
  for (const auto& s : cfg.sources) {
    std::string problem;
    try {
      // A probe never spools; it gets a throw-away directory so that it
      // cannot disturb a running agent's work directory.
      TempDir scratch;
      auto source = ctx.plugins().find(s.plugin)->create(core::make_source_config(cfg, s, scratch.path));
      problem = source->probe();
    } catch (const std::exception& e) {
      problem = e.what();
    }
    std::cout << (problem.empty() ? "ok    " : "FAIL  ") << "source " << s.name << " (" << s.plugin << ")"
              << (problem.empty() ? "" : ": " + problem) << "\n";
    if (!problem.empty()) ++failures;
  }
  if (cfg.registry.url.empty()) {
    std::cout << "skip  registry: no [registry] url\n";
  } else {
    core::http_global_init();
    std::string token;
    std::ifstream in(cfg.registry.token_file);
    std::getline(in, token);
    core::HttpClient http({cfg.registry.url, token, cfg.registry.ca_file, cfg.registry.timeout});
    auto health = http.get("/health");
    // HEAD of a file nobody has: 404 means the token was accepted.
    auto auth = http.head("/files/" + std::string(64, '0'));
    std::string problem;
    if (health.status == 0) problem = "cannot reach " + cfg.registry.url + ": " + health.curl_error;
    else if (auth.status == 401) problem = "the registry refuses the token in " + cfg.registry.token_file + " (401)";
    else if (auth.status == 403) problem = "the token is not allowed for institution " + cfg.agent.institution + " (403)";
    else if (auth.status != 404 && auth.status != 200) problem = "unexpected answer HTTP " + std::to_string(auth.status);
    std::cout << (problem.empty() ? "ok    " : "FAIL  ") << "registry " << cfg.registry.url
              << (problem.empty() ? "" : ": " + problem) << "\n";
    if (!problem.empty()) ++failures;
  }
  try {
    ctx.store();
    std::cout << "ok    store " << cfg.agent.state_dir << "\n";
  } catch (const std::exception& e) {
    std::cout << "FAIL  store: " << e.what() << "\n";
    ++failures;
  }
  return failures ? 1 : 0;
}

}  // namespace sseccoe::agent
