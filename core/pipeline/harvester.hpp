// Drives one source instance: a pass from its stored cursor, the cursor
// committed once the pass's items are durable, then a wait for changes (or
// the poll interval) before the next pass.
//
// A full state directory pauses harvesting instead of failing items: before
// each item the free space is compared with a reserve ([agent]
// min_free_space, store/disk_space.hpp), and an ENOSPC or SQLITE_FULL ends
// the pass as "paused". While paused the space is checked every few seconds
// and harvesting resumes by itself.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "pipeline/store_emitter.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::core {

struct SourceHealth {
  std::string last_success, last_error, last_error_at;
  HarvestStats last_pass;
  // Non-empty while harvesting is paused because the state directory is
  // full: the operator's message (also in last_error).
  std::string paused;
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
  bool paused() const;
  // What an earlier harvester of the same source (before a configuration
  // reload) knew: last success, last error, last pass. Not the pause: the
  // first pass finds out again whether there is room.
  void carry_over(const SourceHealth& previous);
  const std::string& name() const { return section_.name; }
  std::function<void()> on_pending;
  // Called once per item with its outcome ("new", "revised", "unchanged",
  // "quarantined", "deferred", "gone"), from the harvest thread, as soon as
  // it is known: for counters that move during a long pass.
  std::function<void(std::string_view outcome)> on_item;
  // The state directory whose free space gates harvesting; empty: no
  // pre-check (a real ENOSPC still pauses).
  std::string state_dir;
  // [agent] min_free_space; unset: the default reserve (store::disk_reserve).
  std::optional<std::uint64_t> min_free_space;
  // How often a paused harvester looks at the free space again.
  std::chrono::milliseconds space_recheck{3000};

 private:
  // Why the state directory cannot take another item now, or "" if it can.
  std::string space_problem() const;
  void pause(const std::string& why);
  // While paused: has enough space come back to try again? Above the
  // reserve, and (after a real ENOSPC, which can happen above it when one
  // item is larger than what is left) at least 1 MiB more than at the pause,
  // so a pass that cannot fit is not retried in a loop.
  bool room_again() const;
  const SourceSection& section_;
  std::unique_ptr<sdk::Source> source_;
  EmitterContext ctx_;
  mutable std::mutex mu_;
  SourceHealth health_;
  std::uint64_t available_at_pause_ = 0;
};

}  // namespace sseccoe::core
