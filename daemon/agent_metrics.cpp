#include "agent_metrics.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>

#include "metrics/textfile.hpp"
#include "store/disk_space.hpp"
#include "workers.hpp"

namespace sseccoe::agent {

namespace {

constexpr std::array<const char*, 6> kItemOutcomes = {"new", "revised", "unchanged", "quarantined", "deferred", "gone"};
constexpr std::array<const char*, 5> kRecordStatuses = {"unclassified", "held", "pending", "synced", "quarantined"};

// What a syncer counted since the last look; never negative, so a counter
// cannot be made to go down.
double since(std::int64_t now, std::int64_t before) { return now > before ? static_cast<double>(now - before) : 0; }

void add_progress(metrics::Family<metrics::Counter>& sync, const core::SyncHealth& now,
                  const core::SyncHealth& before) {
  sync.with({"registered"}).inc(since(now.registered, before.registered));
  sync.with({"quarantined"}).inc(since(now.quarantined, before.quarantined));
  sync.with({"retried"}).inc(since(now.retried, before.retried));
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

AgentMetrics::AgentMetrics()
    : paused_(registry_
                  .gauge("sseccoe_harvest_paused",
                         "1 while harvesting is paused, by reason (disk_full: the state disk is under min_free_space)",
                         {"reason"})
                  .with({"disk_full"})),
      disk_free_(registry_
                     .gauge("sseccoe_state_disk_free_bytes",
                            "Bytes the agent may still write on the state directory's filesystem")
                     .get()),
      disk_min_free_(registry_
                         .gauge("sseccoe_state_disk_min_free_bytes",
                                "Free space under which harvesting pauses ([agent] min_free_space or its default)")
                         .get()),
      outbox_(registry_.gauge("sseccoe_outbox_pending", "Records waiting to be sent to the registry").get()),
      quarantine_(registry_.gauge("sseccoe_quarantine_items", "Entries in the quarantine (items and records)").get()),
      records_(registry_.gauge("sseccoe_records", "Records in the store by status", {"status"})),
      blocked_(registry_
                   .gauge("sseccoe_registry_blocked",
                          "1 while the registry refuses the configuration (401/403, TLS, unknown host): nothing is "
                          "sent until a reload or a successful probe")
                   .get()),
      sync_(registry_.counter("sseccoe_registry_records_total",
                              "Sync outcomes since the agent started: registered, quarantined, retried",
                              {"outcome"})),
      items_(registry_.counter("sseccoe_source_items_total", "Items harvested since the agent started, by outcome",
                               {"source", "outcome"})),
      reload_ok_(registry_
                     .gauge("sseccoe_config_last_reload_successful",
                            "0 when the last configuration reload was refused (the previous one is running)")
                     .get()),
      reload_time_(registry_
                       .gauge("sseccoe_config_last_reload_success_timestamp_seconds",
                              "When the running configuration was loaded (start or reload)")
                       .get()),
      reloads_(registry_.counter("sseccoe_config_reloads_total", "Configuration reloads (SIGHUP) by result",
                                 {"result"})) {
  for (const char* status : kRecordStatuses) records_.with({status});
  for (const char* outcome : {"registered", "quarantined", "retried"}) sync_.with({outcome});
  for (const char* result : {"applied", "refused"}) reloads_.with({result});
  registry_.gauge("sseccoe_start_time_seconds", "When the agent started (unix seconds)").get().set(unix_now());
  reload_ok_.set(1);
  reload_time_.set(unix_now());
}

void AgentMetrics::watch(core::Harvester& harvester) {
  // Resolved once: the harvest thread then only adds to an atomic.
  std::array<metrics::Counter*, kItemOutcomes.size()> counters{};
  for (std::size_t i = 0; i < kItemOutcomes.size(); ++i)
    counters[i] = &items_.with({harvester.name(), kItemOutcomes[i]});
  harvester.on_item = [counters](std::string_view outcome) {
    for (std::size_t i = 0; i < kItemOutcomes.size(); ++i)
      if (outcome == kItemOutcomes[i]) return counters[i]->inc();
  };
}

void AgentMetrics::retire(const core::Syncer* syncer) {
  std::lock_guard lock(mu_);
  if (syncer == nullptr || syncer != syncer_) return;
  const auto now = syncer->health();
  add_progress(sync_, now, seen_);
  syncer_ = nullptr;
  seen_ = {};
}

void AgentMetrics::refresh(const Workers* workers, store::Store& store, bool read_store_now) {
  if (workers != nullptr) {
    bool paused = false;
    for (const auto& h : workers->harvesters()) paused = paused || h->paused();
    paused_.set(paused ? 1 : 0);
    const core::Syncer* syncer = workers->syncer();
    blocked_.set(syncer != nullptr && syncer->health().state == "blocked" ? 1 : 0);
    if (syncer != nullptr) {
      std::lock_guard lock(mu_);
      if (syncer != syncer_) {  // a new syncer counts from zero
        syncer_ = syncer;
        seen_ = {};
      }
      const auto now = syncer->health();
      add_progress(sync_, now, seen_);
      seen_ = now;
    }
    const auto& agent = workers->config().agent;
    if (auto space = store::disk_space(agent.state_dir)) {
      disk_free_.set(static_cast<double>(space->available));
      disk_min_free_.set(static_cast<double>(store::disk_reserve(*space, agent.min_free_space)));
    }
  }
  // counts() scans the records' status index under the store's lock
  // (measured: 0.16 s at a million records), holding up harvest commits:
  // read it at most 1% of the time, every few seconds on a small store.
  const auto now = std::chrono::steady_clock::now();
  if (!read_store_now && now < next_store_read_) return;
  const auto counts = store.counts();
  const auto took = std::chrono::steady_clock::now() - now;
  next_store_read_ = now + took * 100;
  outbox_.set(static_cast<double>(counts.outbox));
  quarantine_.set(static_cast<double>(counts.quarantine_entries));
  records_.with({"unclassified"}).set(static_cast<double>(counts.unclassified));
  records_.with({"held"}).set(static_cast<double>(counts.held));
  records_.with({"pending"}).set(static_cast<double>(counts.pending));
  records_.with({"synced"}).set(static_cast<double>(counts.synced));
  records_.with({"quarantined"}).set(static_cast<double>(counts.quarantined));
}

void AgentMetrics::reload_done(bool applied) {
  reloads_.with({applied ? "applied" : "refused"}).inc();
  reload_ok_.set(applied ? 1 : 0);
  if (applied) reload_time_.set(unix_now());
}

void AgentMetrics::write(const std::string& path) {
  std::lock_guard lock(mu_);
  try {
    metrics::write_textfile(path, registry_.render());
    if (!write_error_.empty()) spdlog::info("metrics: {} is written again", path);
    write_error_.clear();
  } catch (const std::exception& e) {
    if (write_error_ != e.what())
      spdlog::warn("metrics: {} (the alarm metrics are stale until this works; the agent goes on)", e.what());
    write_error_ = e.what();
  }
}

std::string metrics_path(const core::Config& config) {
  return config.agent.metrics_file.empty() ? config.agent.state_dir + "/metrics.prom" : config.agent.metrics_file;
}

}  // namespace sseccoe::agent
