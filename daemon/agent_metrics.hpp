// The metrics `run` publishes, written every few seconds to a Prometheus
// textfile ([agent] metrics_file, default <state_dir>/metrics.prom) for
// node_exporter's textfile collector. The names and their meaning are a
// contract with operators' alert rules: docs/delivery.md, "Metrics".
//
// Counters live here, not in the harvesters and syncer, so that they keep
// counting across a configuration reload (which replaces those objects).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "metrics/metrics.hpp"
#include "pipeline/harvester.hpp"
#include "store/store.hpp"
#include "sync/syncer.hpp"

namespace sseccoe::agent {

class Workers;

class AgentMetrics {
 public:
  AgentMetrics();

  // Counts the harvester's items (sets its on_item) under its source name,
  // with a series per outcome from the start so that rate() sees the first
  // item. Call before the harvester starts.
  void watch(core::Harvester& harvester);

  // Reads the gauges: the pause and the syncer's state from `workers` (may
  // be null between two sets during a reload), the free space of the state
  // directory, the outbox, quarantine and records from the store (those
  // less often on a large store: at most 1% of the time). Adds what the
  // syncer registered since the last call to the counters. A store that
  // cannot be read leaves its gauges as they were (and throws).
  // `read_store_now`: the last look before the process ends.
  void refresh(const Workers* workers, store::Store& store, bool read_store_now = false);
  // Before a syncer goes away (a reload): adds its last progress, then
  // forgets it.
  void retire(const core::Syncer* syncer);

  void reload_done(bool applied);

  std::string render() const { return registry_.render(); }
  // Writes the rendering to `path` atomically. A failure (a full disk) is
  // logged once, not every few seconds, and again when it works again.
  void write(const std::string& path);

 private:
  metrics::Registry registry_;
  metrics::Gauge& paused_;
  metrics::Gauge& disk_free_;
  metrics::Gauge& disk_min_free_;
  metrics::Gauge& outbox_;
  metrics::Gauge& quarantine_;
  metrics::Family<metrics::Gauge>& records_;
  metrics::Gauge& blocked_;
  metrics::Family<metrics::Counter>& sync_;
  metrics::Family<metrics::Counter>& items_;
  metrics::Gauge& reload_ok_;
  metrics::Gauge& reload_time_;
  metrics::Family<metrics::Counter>& reloads_;
  // refresh() runs on the monitor thread, retire() on the main one.
  std::mutex mu_;
  // The syncer whose counts were last read, and those counts.
  const core::Syncer* syncer_ = nullptr;
  core::SyncHealth seen_;
  std::string write_error_;
  std::chrono::steady_clock::time_point next_store_read_{};
};

// Where the metrics go: [agent] metrics_file, or <state_dir>/metrics.prom.
std::string metrics_path(const core::Config& config);

}  // namespace sseccoe::agent
