// Drives one source instance: a pass from its stored cursor, the cursor
// committed once the pass's items are durable, then a wait for changes (or
// the poll interval) before the next pass.
#pragma once

#include <memory>
#include <mutex>
#include <stop_token>
#include <string>

#include "config/config.hpp"
#include "pipeline/store_emitter.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::core {

struct SourceHealth {
  std::string last_success, last_error, last_error_at;
  HarvestStats last_pass;
};

class Harvester {
 public:
  Harvester(const SourceSection& section, std::unique_ptr<sdk::Source> source, EmitterContext ctx);

  // One pass. Returns false (and logs, and remembers the error for
  // `status`) when the source as a whole failed; nothing stored is affected.
  bool run_once(std::stop_token stop);
  // Passes until stop is requested.
  void run_forever(std::stop_token stop);

  SourceHealth health() const;
  const std::string& name() const { return section_.name; }
  std::function<void()> on_pending;

 private:
  const SourceSection& section_;
  std::unique_ptr<sdk::Source> source_;
  EmitterContext ctx_;
  mutable std::mutex mu_;
  SourceHealth health_;
};

}  // namespace sseccoe::core
