// `run`: the service. Sources harvest on their own threads, the syncer sends
// what is pending; SIGTERM/SIGINT stop everything within a bounded time,
// SIGHUP reloads the configuration (service.hpp). `run --once`: one pass of
// every source, then the sync until nothing is due.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <condition_variable>
#include <iostream>
#include <spdlog/spdlog.h>

#include "agent_metrics.hpp"
#include "commands.hpp"
#include "service.hpp"
#include "signals.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace sseccoe::agent {

namespace {

// One agent per state directory: a second one would be a second writer.
// Held until the process ends, across configuration reloads.
int lock_state_dir(const std::string& dir) {
  std::string path = dir + "/agent.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) throw Failure("cannot create " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0)
    throw Failure("another sseccoe-agent is running on " + dir + " (" + path +
                  " is locked): stop it first, or use another --state-dir");
  return fd;
}

std::int64_t peak_rss_bytes() {
  struct rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::int64_t>(ru.ru_maxrss) * 1024;
}

// An interruptible sleep: SIGTERM must not wait for a retry.
void sleep_for(std::chrono::seconds wait, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lk(m);
  cv.wait_for(lk, stop, wait, [] { return false; });
}

int run_once(Context& ctx, store::Store& store, Workers& workers, AgentMetrics& metrics, std::stop_token stop) {
  auto max_wait = parse_duration_arg("--max-wait", ctx.args().value("max-wait", "30s"));
  int exit_code = 0;
  std::int64_t registered = 0, refused = 0;
  workers.reclassify();
  for (auto& h : workers.harvesters())
    if (!h->run_once(stop)) exit_code = 1;
  // HR sources read after the certificates name their holders now.
  workers.rematch_if_people_changed();
  bool blocked = false;
  if (core::Syncer* syncer = workers.syncer()) {
    auto deadline = std::chrono::steady_clock::now() + max_wait;
    while (!stop.stop_requested()) {
      auto pass = syncer->run_pass(stop);
      registered += pass.registered;
      refused += pass.quarantined;
      if (pass.blocked) {
        blocked = true;
        break;
      }
      std::int64_t next = store.next_due_time();
      if (next < 0) break;
      auto wait = std::chrono::seconds(std::max<std::int64_t>(0, next - util::unix_now()));
      if (std::chrono::steady_clock::now() + wait > deadline) break;
      sleep_for(wait, stop);
    }
  }
  save_health(store, workers, nullptr);
  // The same file the service keeps: `run --once` from a timer is watched
  // the same way.
  try {
    metrics.refresh(&workers, store, true);
  } catch (const std::exception& e) {
    spdlog::warn("metrics: cannot read the store: {}", e.what());
  }
  metrics.write(metrics_path(workers.config()));

  auto counts = store.counts();
  if (blocked || (workers.syncer() && counts.outbox > 0)) exit_code = 1;
  if (ctx.args().flag("json")) {
    nlohmann::json j = {{"registered", registered}, {"refused", refused},
                        {"pending", counts.outbox},  {"unclassified", counts.unclassified},
                        {"held", counts.held},        {"quarantine", counts.quarantine_entries},
                        {"records", counts.records},  {"peak_rss_bytes", peak_rss_bytes()},
                        {"sources", nlohmann::json::object()}};
    for (auto& h : workers.harvesters()) j["sources"][h->name()] = pass_json(h->health());
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << "run --once: " << counts.records << " records (" << counts.synced << " registered, "
              << counts.outbox << " pending, " << counts.unclassified << " unclassified, " << counts.held
              << " held, " << counts.quarantined << " refused); " << counts.quarantine_entries
              << " in quarantine; peak memory " << peak_rss_bytes() / (1 << 20) << " MiB\n";
    if (counts.outbox > 0 && workers.syncer())
      std::cout << counts.outbox << " record(s) could not be sent yet; see 'sseccoe-agent status'\n";
  }
  return exit_code;
}

int run_service(Service& service, Signals& signals) {
  service.start();
  sd_notify(0, "READY=1\nSTATUS=harvesting");
  spdlog::info("sseccoe-agent running: {} source(s), registry {}", service.source_count(),
               service.config().registry.url.empty() ? std::string("not configured") : service.config().registry.url);
  int exit_code = 0;
  while (signals.next() == Signals::Event::Reload) {
    try {
      service.reload();
    } catch (const std::exception& e) {
      // Past the checks (plan_reload refuses without throwing), so the
      // swap itself failed: neither configuration runs. End, and let
      // systemd restart the service.
      spdlog::critical("{}", e.what());
      exit_code = 1;
      break;
    }
  }
  sd_notify(0, "STOPPING=1");
  service.stop();
  spdlog::info("stopped");
  return exit_code;
}

}  // namespace

int cmd_run(Context& ctx) {
  const bool once = ctx.args().flag("once");
  const auto& cfg = ctx.config();
  util::init_logging(cfg.agent.log_level);
  // Evidence dates come from local times (a file's mtime): the committee's
  // time zone, not the server's, decides which day that was. Set before any
  // thread starts, for the core and the plugins alike; a reload cannot
  // change it (reload.hpp).
  if (!cfg.agent.timezone.empty()) {
    ::setenv("TZ", cfg.agent.timezone.c_str(), 1);
    ::tzset();
  }
  if (once) parse_duration_arg("--max-wait", ctx.args().value("max-wait", "30s"));  // a usage error before any work

  // Before any other thread: the signals must be blocked in all of them.
  Signals signals(!once);

  if (!ctx.catalog_or_null()) ctx.catalog();  // rethrows the reason as a configuration error
  // The catalog stays Context's; the blueprint only points to it. A reload
  // reads its own copy.
  std::shared_ptr<const model::Catalog> catalog(std::shared_ptr<void>(), &ctx.catalog());
  auto& store = ctx.store();
  int lock_fd = lock_state_dir(cfg.agent.state_dir);
  if (auto n = store.collect_garbage()) spdlog::info("store: removed {} orphan blob(s) left by an interrupted run", n);

  if (cfg.registry.url.empty()) spdlog::warn("no [registry] url: harvesting and classifying only, nothing is sent");
  AgentMetrics metrics;
  int exit_code = 0;
  if (once) {
    Workers workers(make_blueprint(cfg, catalog), ctx.plugins(), store);
    for (auto& h : workers.harvesters()) metrics.watch(*h);
    exit_code = run_once(ctx, store, workers, metrics, signals.stop_token());
  } else {
    Service service(ctx, store, make_blueprint(cfg, catalog), metrics);
    exit_code = run_service(service, signals);
  }
  ::close(lock_fd);
  return exit_code;
}

}  // namespace sseccoe::agent
