// `run` as a service: the current set of workers, a monitor thread that
// saves their health for `status` and writes the metrics file, and the
// configuration reload (SIGHUP) that swaps one set of workers for the next
// while the store stays open and agent.lock stays held.
#pragma once

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "agent_metrics.hpp"
#include "context.hpp"
#include "workers.hpp"

namespace sseccoe::agent {

// A source's last pass, as `status` and `run --once --json` show it.
nlohmann::json pass_json(const core::SourceHealth& h);

// Stores each harvester's and the syncer's health where `status` (another
// process) reads it. `registry_before`: what a syncer replaced by a reload
// knew, shown while the new one has nothing yet (may be null).
void save_health(store::Store& store, const Workers& workers, const core::SyncHealth* registry_before);

class Service {
 public:
  // Builds the first set of workers; throws ConfigFailure as `run` reports
  // it at start (a source its plugin refuses, an unreadable token).
  Service(Context& ctx, store::Store& store, Blueprint blueprint, AgentMetrics& metrics);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  void start();
  // Applies the configuration as it is now on disk, or keeps the running
  // one and logs why (plan_reload). Returns once the service runs again.
  // Throws only when neither the new nor the previous configuration could
  // be started again: the caller ends the service (systemd restarts it).
  void reload();
  // Stops every worker (bounded, docs/delivery.md "Stopping"), then saves
  // the health and writes the metrics a last time. Idempotent.
  void stop();

  std::size_t source_count() const;
  const core::Config& config() const;

 private:
  void monitor(std::stop_token stop);
  // Health and metrics of the current workers; logs instead of throwing.
  // `last`: when stopping, everything read afresh.
  void publish(bool with_health, bool last = false);

  Context& ctx_;
  store::Store& store_;
  AgentMetrics& metrics_;
  // Guards workers_ and registry_before_ between the main thread (reload,
  // stop) and the monitor thread. Only the main thread replaces workers_.
  mutable std::mutex mu_;
  std::unique_ptr<Workers> workers_;
  core::SyncHealth registry_before_;
  std::jthread monitor_;
  bool stopped_ = false;
};

}  // namespace sseccoe::agent
