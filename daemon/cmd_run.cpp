// `run`: the service. Sources harvest on their own threads, the syncer sends
// what is pending; SIGTERM/SIGINT stop everything within a bounded time.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <iostream>
#include <spdlog/spdlog.h>
#include <thread>

#include "commands.hpp"
#include "pipeline/harvester.hpp"
#include "plugins/source_config.hpp"
#include "sync/syncer.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace sseccoe::agent {

namespace {

// One agent per state directory: a second one would be a second writer.
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

nlohmann::json stats_json(const core::SourceHealth& h) {
  return {{"new", h.last_pass.new_items},       {"revised", h.last_pass.changed},
          {"unchanged", h.last_pass.unchanged}, {"quarantined", h.last_pass.quarantined},
          {"deferred", h.last_pass.deferred},   {"error", h.last_error}};
}

void save_health(store::Store& store, const std::vector<std::unique_ptr<core::Harvester>>& harvesters,
                 const core::Syncer* syncer) {
  for (const auto& h : harvesters) {
    auto s = h->health();
    store.put_health("source." + h->name(), nlohmann::json{{"last_success", s.last_success},
                                                           {"last_error", s.last_error},
                                                           {"last_error_at", s.last_error_at},
                                                           {"paused", s.paused},
                                                           {"last_pass", stats_json(s)}}
                                                 .dump());
  }
  if (syncer) {
    auto s = syncer->health();
    store.put_health("registry", nlohmann::json{{"state", s.state},
                                                {"last_success", s.last_success},
                                                {"last_error", s.last_error},
                                                {"last_error_at", s.last_error_at}}
                                     .dump());
  }
}

}  // namespace

int cmd_run(Context& ctx) {
  const bool once = ctx.args().flag("once");
  const auto& cfg = ctx.config();
  util::init_logging(cfg.agent.log_level);
  // Evidence dates come from local times (a file's mtime): the committee's
  // time zone, not the server's, decides which day that was. Set before any
  // thread starts, for the core and the plugins alike.
  if (!cfg.agent.timezone.empty()) {
    ::setenv("TZ", cfg.agent.timezone.c_str(), 1);
    ::tzset();
  }
  auto max_wait = parse_duration_arg("--max-wait", ctx.args().value("max-wait", "30s"));

  // Signals are taken by a dedicated thread with sigwait(); block them in
  // every thread before any is started (poco#2978).
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);

  const model::Catalog* catalog = ctx.catalog_or_null();
  if (!catalog) ctx.catalog();  // rethrows the reason as a configuration error
  auto& store = ctx.store();
  int lock_fd = lock_state_dir(cfg.agent.state_dir);
  if (auto n = store.collect_garbage()) spdlog::info("store: removed {} orphan blob(s) left by an interrupted run", n);

  std::vector<std::unique_ptr<core::Harvester>> harvesters;
  for (const auto& s : cfg.sources) {
    if (!s.enabled) continue;
    const sdk::Plugin* plugin = ctx.plugins().find(s.plugin);
    std::unique_ptr<sdk::Source> source;
    try {
      const std::string work_dir = core::source_work_dir(cfg, s);
      core::reset_work_dir(work_dir);
      const sdk::SourceConfig sc = core::make_source_config(cfg, s, work_dir);
      source = plugin->create(sc);
    } catch (const std::exception& e) {
      throw ConfigFailure("source '" + s.name + "': " + e.what());
    }
    core::EmitterContext ec{cfg.agent.institution, cfg.agent.program, s.name, s.plugin, catalog, &ctx.rules(), &store};
    harvesters.push_back(std::make_unique<core::Harvester>(s, std::move(source), ec));
    harvesters.back()->state_dir = cfg.agent.state_dir;
  }
  std::unique_ptr<core::Syncer> syncer;
  if (!cfg.registry.url.empty()) {
    try {
      syncer = std::make_unique<core::Syncer>(store, cfg.registry);
    } catch (const std::exception& e) {
      throw ConfigFailure(e.what());
    }
    for (auto& h : harvesters) h->on_pending = [s = syncer.get()] { s->notify(); };
  } else {
    spdlog::warn("no [registry] url: harvesting and classifying only, nothing is sent");
  }

  std::stop_source stop;
  std::jthread signals([&stop, sigs](std::stop_token) {
    for (;;) {
      int sig = 0;
      if (sigwait(&sigs, &sig) != 0) continue;
      // SIGHUP is what `systemctl reload` sends: it must not stop the
      // service. Reloading the configuration in place is not implemented
      // yet, so say how to apply a change instead.
      if (sig == SIGHUP && !stop.stop_requested()) {
        spdlog::warn("received SIGHUP: reloading the configuration is not supported yet; "
                     "restart the service to apply changes (the agent keeps running)");
        continue;
      }
      if (!stop.stop_requested()) {
        spdlog::info("received {}: stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
        stop.request_stop();
      }
      return;
    }
  });
  auto wake_signal_thread = [&] {
    if (!stop.stop_requested()) stop.request_stop();
    pthread_kill(signals.native_handle(), SIGTERM);  // blocked: sigwait returns
  };

  int exit_code = 0;
  std::int64_t registered = 0, refused = 0;
  if (once) {
    for (auto& h : harvesters)
      if (!h->run_once(stop.get_token())) exit_code = 1;
    bool blocked = false;
    if (syncer) {
      auto deadline = std::chrono::steady_clock::now() + max_wait;
      while (!stop.stop_requested()) {
        auto pass = syncer->run_pass(stop.get_token());
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
        std::mutex m;  // an interruptible sleep: SIGTERM must not wait for a retry
        std::condition_variable_any cv;
        std::unique_lock lk(m);
        cv.wait_for(lk, stop.get_token(), wait, [] { return false; });
      }
    }
    save_health(store, harvesters, syncer.get());
    auto counts = store.counts();
    if (blocked || (syncer && counts.outbox > 0)) exit_code = 1;
    if (ctx.args().flag("json")) {
      nlohmann::json j = {{"registered", registered}, {"refused", refused},
                          {"pending", counts.outbox},  {"unclassified", counts.unclassified},
                          {"held", counts.held},        {"quarantine", counts.quarantine_entries},
                          {"records", counts.records},  {"peak_rss_bytes", peak_rss_bytes()},
                          {"sources", nlohmann::json::object()}};
      for (auto& h : harvesters) j["sources"][h->name()] = stats_json(h->health());
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << "run --once: " << counts.records << " records (" << counts.synced << " registered, "
                << counts.outbox << " pending, " << counts.unclassified << " unclassified, " << counts.held
                << " held, " << counts.quarantined << " refused); " << counts.quarantine_entries
                << " in quarantine; peak memory " << peak_rss_bytes() / (1 << 20) << " MiB\n";
      if (counts.outbox > 0 && syncer)
        std::cout << counts.outbox << " record(s) could not be sent yet; see 'sseccoe-agent status'\n";
    }
  } else {
    std::vector<std::jthread> threads;
    for (auto& h : harvesters) threads.emplace_back([&h, &stop](std::stop_token) { h->run_forever(stop.get_token()); });
    if (syncer) threads.emplace_back([&syncer, &stop](std::stop_token) { syncer->run_forever(stop.get_token()); });
    std::jthread health_writer([&](std::stop_token) {
      while (!stop.stop_requested()) {
        try {
          save_health(store, harvesters, syncer.get());
        } catch (const std::exception& e) {
          // A full disk must not end the service: `status` is a little stale.
          spdlog::warn("cannot save the health for 'status': {}", e.what());
        }
        std::mutex m;
        std::condition_variable_any cv;
        std::unique_lock lk(m);
        cv.wait_for(lk, stop.get_token(), std::chrono::seconds(10), [] { return false; });
      }
    });
    sd_notify(0, "READY=1\nSTATUS=harvesting");
    spdlog::info("sseccoe-agent running: {} source(s), registry {}", harvesters.size(),
                 syncer ? cfg.registry.url : std::string("not configured"));
    signals.join();
    sd_notify(0, "STOPPING=1");
    threads.clear();  // joins: harvest and sync return between items
    health_writer.request_stop();
    health_writer.join();
    save_health(store, harvesters, syncer.get());
    spdlog::info("stopped");
  }
  if (signals.joinable()) wake_signal_thread();
  ::close(lock_fd);
  return exit_code;
}

}  // namespace sseccoe::agent
