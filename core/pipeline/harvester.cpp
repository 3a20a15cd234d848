#include "pipeline/harvester.hpp"

#include <spdlog/spdlog.h>

#include "util/time.hpp"

namespace sseccoe::core {

Harvester::Harvester(const SourceSection& section, std::unique_ptr<sdk::Source> source, EmitterContext ctx)
    : section_(section), source_(std::move(source)), ctx_(std::move(ctx)) {}

bool Harvester::run_once(std::stop_token stop) {
  StoreEmitter emitter(ctx_);
  emitter.on_pending = on_pending;
  sdk::Cursor from{ctx_.store->cursor(section_.name).value_or("")};
  try {
    sdk::Cursor next = source_->harvest(from, emitter, stop);
    // Every item emitted above is durable (emit() returned), so the cursor
    // may advance past them.
    if (next.value != from.value) ctx_.store->set_cursor(section_.name, next.value);
    const auto& s = emitter.stats();
    spdlog::info("source '{}': pass done: {} new, {} revised, {} unchanged, {} quarantined, {} deferred{}",
                 section_.name, s.new_items, s.changed, s.unchanged, s.quarantined, s.deferred,
                 stop.stop_requested() ? " (stopped early)" : "");
    std::lock_guard lock(mu_);
    health_.last_success = util::now_rfc3339();
    health_.last_pass = s;
    return true;
  } catch (const std::exception& e) {
    spdlog::error("source '{}': pass failed: {}", section_.name, e.what());
    std::lock_guard lock(mu_);
    health_.last_error = e.what();
    health_.last_error_at = util::now_rfc3339();
    health_.last_pass = emitter.stats();
    return false;
  }
}

void Harvester::run_forever(std::stop_token stop) {
  while (!stop.stop_requested()) {
    run_once(stop);
    if (stop.stop_requested()) break;
    source_->wait_for_change(section_.interval, stop);
  }
}

SourceHealth Harvester::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

}  // namespace sseccoe::core
