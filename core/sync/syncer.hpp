// The registry sink: takes due records from the outbox, uploads each cited
// file the registry lacks (HEAD, then a streamed PUT), then PUTs the record,
// and stores the folio. Answers are sorted by fault.hpp's table: transient
// ones are retried with backoff, a record refused for good is quarantined
// with the registry's reason, a configuration fault stops syncing until a
// probe succeeds (probes spaced retry_initial, doubling up to retry_max) or
// the configuration is reloaded (a new Syncer).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>

#include "config/config.hpp"
#include "store/store.hpp"
#include "sync/fault.hpp"

namespace sseccoe::core {

struct SyncHealth {
  std::string state = "idle";  // idle | ok | retrying | blocked (configuration)
  std::string last_success, last_error, last_error_at;
  std::int64_t registered = 0, quarantined = 0, retried = 0;
};

struct SyncPass {
  std::int64_t registered = 0, quarantined = 0, retried = 0;
  bool blocked = false;  // a configuration fault stopped the pass
};

class Syncer {
 public:
  // Reads the token from registry.token_file; throws with the file's path
  // (never its content) when it cannot.
  Syncer(store::Store& store, const RegistrySection& registry);

  // Sends every entry due now; returns what happened.
  SyncPass run_pass(std::stop_token stop);
  // Passes whenever something is due or notify() is called, until stop.
  void run_forever(std::stop_token stop);
  void notify();

  SyncHealth health() const;

 private:
  // Stopped: abandoned because stop was requested; the entry is left as it
  // was (still due, no attempt counted) and is sent on the next run.
  enum class Outcome { Registered, Retry, Quarantined, Blocked, Stopped };
  Outcome send(class HttpClient& http, const store::OutboxEntry& entry, std::stop_token stop);
  Outcome fail(const store::OutboxEntry& entry, Fault fault, const std::string& what, const std::string& code,
               const std::string& field, const std::string& retry_after);
  // The pause before the next probe of a registry that refused the
  // configuration `probes` times in a row: retry_initial doubled, at most
  // retry_max.
  std::chrono::seconds blocked_probe_wait(int probes) const;

  store::Store& store_;
  RegistrySection registry_;
  std::string token_;
  mutable std::mutex mu_;
  std::condition_variable_any cv_;
  bool notified_ = false;
  SyncHealth health_;
};

}  // namespace sseccoe::core
