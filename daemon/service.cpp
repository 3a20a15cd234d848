#include "service.hpp"

#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <condition_variable>
#include <map>
#include <spdlog/spdlog.h>

#include "reload.hpp"
#include "util/log.hpp"

namespace sseccoe::agent {

namespace {

// How often the metrics file is rewritten, and the health saved for
// `status` (every other time: it is a write to the database).
constexpr auto kMonitorInterval = std::chrono::seconds(5);

// The syncer's health, with what an earlier syncer of the same registry
// knew filling what this one has not seen yet.
core::SyncHealth with_history(core::SyncHealth now, const core::SyncHealth* before) {
  if (before == nullptr) return now;
  if (now.last_success.empty()) now.last_success = before->last_success;
  if (now.last_error.empty()) {
    now.last_error = before->last_error;
    now.last_error_at = before->last_error_at;
  }
  return now;
}

// systemd's reload protocol (sd_notify(3)): RELOADING=1 with the monotonic
// time, then READY=1 once the new configuration runs. Harmless without
// systemd (no NOTIFY_SOCKET) and with a Type=notify unit that predates it.
void notify_reloading() {
  struct timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL + static_cast<unsigned long long>(ts.tv_nsec) / 1000;
  sd_notifyf(0, "RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC=%llu", usec);
}

}  // namespace

nlohmann::json pass_json(const core::SourceHealth& h) {
  return {{"new", h.last_pass.new_items},       {"revised", h.last_pass.changed},
          {"unchanged", h.last_pass.unchanged}, {"quarantined", h.last_pass.quarantined},
          {"deferred", h.last_pass.deferred},   {"error", h.last_error}};
}

void save_health(store::Store& store, const Workers& workers, const core::SyncHealth* registry_before) {
  for (const auto& h : workers.harvesters()) {
    auto s = h->health();
    store.put_health("source." + h->name(), nlohmann::json{{"last_success", s.last_success},
                                                           {"last_error", s.last_error},
                                                           {"last_error_at", s.last_error_at},
                                                           {"paused", s.paused},
                                                           {"last_pass", pass_json(s)}}
                                                 .dump());
  }
  if (const core::Syncer* syncer = workers.syncer()) {
    auto s = with_history(syncer->health(), registry_before);
    store.put_health("registry", nlohmann::json{{"state", s.state},
                                                {"last_success", s.last_success},
                                                {"last_error", s.last_error},
                                                {"last_error_at", s.last_error_at}}
                                     .dump());
  }
}

Service::Service(Context& ctx, store::Store& store, Blueprint blueprint, AgentMetrics& metrics)
    : ctx_(ctx), store_(store), metrics_(metrics) {
  workers_ = std::make_unique<Workers>(std::move(blueprint), ctx_.plugins(), store_);
  for (auto& h : workers_->harvesters()) metrics_.watch(*h);
}

Service::~Service() { stop(); }

std::size_t Service::source_count() const { return workers_->harvesters().size(); }

const core::Config& Service::config() const { return workers_->config(); }

void Service::start() {
  workers_->start();
  publish(false);
  monitor_ = std::jthread([this](std::stop_token stop) { monitor(stop); });
}

void Service::monitor(std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  for (unsigned tick = 1; !stop.stop_requested(); ++tick) {
    {
      std::unique_lock lk(m);
      cv.wait_for(lk, stop, kMonitorInterval, [] { return false; });
    }
    if (stop.stop_requested()) break;
    {
      std::lock_guard lock(mu_);
      if (workers_) workers_->rematch_if_people_changed(true);
    }
    publish(tick % 2 == 0);
  }
}

void Service::publish(bool with_health, bool last) {
  std::lock_guard lock(mu_);
  if (workers_ && with_health) {
    try {
      save_health(store_, *workers_, &registry_before_);
    } catch (const std::exception& e) {
      // A full disk must not end the service: `status` is a little stale.
      spdlog::warn("cannot save the health for 'status': {}", e.what());
    }
  }
  try {
    metrics_.refresh(workers_.get(), store_, last);
  } catch (const std::exception& e) {
    spdlog::warn("metrics: cannot read the store: {}", e.what());
  }
  if (workers_) metrics_.write(metrics_path(workers_->config()));
}

void Service::reload() {
  // Everything that can fail is checked before the running set is touched.
  std::optional<Blueprint> plan = plan_reload(ctx_, workers_->blueprint(), store_);
  if (!plan) {
    metrics_.reload_done(false);
    publish(false);
    return;
  }
  notify_reloading();
  const std::string changes = describe_changes(workers_->config(), *plan->config);
  const std::string old_metrics = metrics_path(workers_->config());

  std::unique_ptr<Workers> old;
  {
    std::lock_guard lock(mu_);
    old = std::move(workers_);
  }
  old->stop();
  // What the stopped set knew, for `status` and for the next set.
  std::map<std::string, core::SourceHealth> sources;
  for (const auto& h : old->harvesters()) sources[h->name()] = h->health();
  core::SyncHealth registry;
  if (old->syncer() != nullptr) {
    std::lock_guard lock(mu_);
    registry = with_history(old->syncer()->health(), &registry_before_);
  }
  try {
    save_health(store_, *old, &registry_before_);
  } catch (const std::exception& e) {
    spdlog::warn("cannot save the health for 'status': {}", e.what());
  }
  metrics_.retire(old->syncer());
  const std::string old_url = old->config().registry.url;
  Blueprint previous = old->blueprint();
  old.reset();  // the sources let go of their work directories before new ones empty them

  bool applied = true;
  std::unique_ptr<Workers> next;
  try {
    next = std::make_unique<Workers>(std::move(*plan), ctx_.plugins(), store_);
  } catch (const std::exception& e) {
    // try_blueprint created every source once already; this is the world
    // changing in between (a share unmounted). Go back rather than stop.
    spdlog::error("reload: the new configuration could not start ({}); going back to the running one", e.what());
    applied = false;
    try {
      next = std::make_unique<Workers>(std::move(previous), ctx_.plugins(), store_);
    } catch (const std::exception& e2) {
      throw Failure(std::string("reload: the previous configuration could not start again either: ") + e2.what());
    }
  }
  for (auto& h : next->harvesters()) {
    if (auto it = sources.find(h->name()); it != sources.end()) h->carry_over(it->second);
    metrics_.watch(*h);
  }
  {
    std::lock_guard lock(mu_);
    // Blocked or not, the new syncer starts afresh ("idle"); only the last
    // success and error of the same registry are kept for `status`.
    registry_before_ = next->config().registry.url == old_url ? registry : core::SyncHealth{};
    workers_ = std::move(next);
  }
  workers_->start();
  if (applied) {
    util::init_logging(workers_->config().agent.log_level);
    spdlog::info("reload: configuration applied: {}", changes);
  }
  metrics_.reload_done(applied);
  const std::string new_metrics = metrics_path(workers_->config());
  publish(false);
  if (new_metrics != old_metrics) ::unlink(old_metrics.c_str());  // no stale copy for the collector to read
  sd_notify(0, "READY=1\nSTATUS=harvesting");
}

void Service::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (monitor_.joinable()) {
    monitor_.request_stop();
    monitor_.join();
  }
  if (workers_) workers_->stop();
  publish(true, true);
}

}  // namespace sseccoe::agent
