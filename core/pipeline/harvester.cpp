#include "pipeline/harvester.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdio>

#include "store/disk_space.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace sseccoe::core {

namespace {

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

std::string_view outcome_name(sdk::EmitOutcome o) {
  switch (o) {
    case sdk::EmitOutcome::New: return "new";
    case sdk::EmitOutcome::Changed: return "revised";
    case sdk::EmitOutcome::Unchanged: return "unchanged";
    case sdk::EmitOutcome::Quarantined: return "quarantined";
    case sdk::EmitOutcome::Deferred: return "deferred";
  }
  return "unknown";
}

// Forwards to the store emitter, but first makes sure the state directory
// can take the item: a pass stops at the first item that would fill it,
// before any byte of that item is written, so nothing is quarantined or half
// stored for lack of space. It also reports each item's outcome as it
// happens (Harvester::on_item).
class SpaceGuardEmitter final : public sdk::Emitter {
 public:
  SpaceGuardEmitter(StoreEmitter& inner, std::function<std::string()> problem,
                    const std::function<void(std::string_view)>& on_item)
      : inner_(inner), problem_(std::move(problem)), on_item_(on_item) {}

  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) override {
    check();
    auto result = inner_.emit(item, cursor_after);
    count(outcome_name(result.outcome));
    return result;
  }
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override {
    inner_.quarantine(key, reason, locator);
    count("quarantined");
  }
  std::optional<sdk::KnownItem> known(std::string_view key) override { return inner_.known(key); }
  bool for_each_known(const std::function<void(std::string_view)>& visit) override {
    return inner_.for_each_known(visit);
  }
  void checkpoint(const sdk::Cursor& cursor) override { inner_.checkpoint(cursor); }
  void gone(std::string_view key) override {
    inner_.gone(key);
    count("gone");
  }
  void log(sdk::LogLevel level, std::string_view message) override { inner_.log(level, message); }
  void batch_begin() override { inner_.batch_begin(); }
  void batch_end() override { inner_.batch_end(); }

 private:
  void check() {
    if (auto why = problem_(); !why.empty()) throw store::DiskFull(why);
  }
  void count(std::string_view outcome) {
    if (on_item_) on_item_(outcome);
  }
  StoreEmitter& inner_;
  std::function<std::string()> problem_;
  const std::function<void(std::string_view)>& on_item_;
};

}  // namespace

Harvester::Harvester(const SourceSection& section, std::unique_ptr<sdk::Source> source, EmitterContext ctx)
    : section_(section), source_(std::move(source)), ctx_(std::move(ctx)) {}

std::string Harvester::space_problem() const {
  if (state_dir.empty()) return {};
  auto space = store::disk_space(state_dir);
  if (!space) return {};
  const auto reserve = store::disk_reserve(*space, min_free_space);
  if (space->available >= reserve) return {};
  return mib(space->available) + " free, under the reserve of " + mib(reserve);
}

bool Harvester::room_again() const {
  if (state_dir.empty()) return true;
  auto space = store::disk_space(state_dir);
  if (!space) return true;
  return space->available >= store::disk_reserve(*space, min_free_space) &&
         space->available >= available_at_pause_ + (1ULL << 20);
}

void Harvester::pause(const std::string& why) {
  if (!state_dir.empty())
    if (auto space = store::disk_space(state_dir)) available_at_pause_ = space->available;
  const std::string dir = state_dir.empty() ? std::string("(state_dir)") : state_dir;
  const std::string msg = "the state directory " + dir + " is full (" + why +
                          "): harvesting paused; syncing goes on; it resumes by itself when space is freed";
  std::lock_guard lock(mu_);
  if (health_.paused.empty()) spdlog::error("source '{}': {}", section_.name, msg);
  health_.paused = msg;
  health_.last_error = msg;
  health_.last_error_at = util::now_rfc3339();
}

bool Harvester::run_once(std::stop_token stop) {
  StoreEmitter emitter(ctx_);
  emitter.on_pending = on_pending;
  SpaceGuardEmitter guarded(emitter, [this] { return space_problem(); }, on_item);
  sdk::Cursor from;
  try {
    from.value = ctx_.store->cursor(section_.name).value_or("");
    if (auto why = space_problem(); !why.empty()) throw store::DiskFull(why);
    sdk::Cursor next = source_->harvest(from, guarded, stop);
    // A batch the source left open is committed here; then every item
    // emitted above is durable, so the cursor may advance past them.
    ctx_.store->end_batch();
    if (next.value != from.value) ctx_.store->set_cursor(section_.name, next.value);
    const auto& s = emitter.stats();
    spdlog::info("source '{}': pass done: {} new, {} revised, {} unchanged, {} quarantined, {} deferred{}",
                 section_.name, s.new_items, s.changed, s.unchanged, s.quarantined, s.deferred,
                 stop.stop_requested() ? " (stopped early)" : "");
    std::lock_guard lock(mu_);
    if (!health_.paused.empty()) {
      spdlog::info("source '{}': the state directory has room again: harvesting resumed", section_.name);
      health_.paused.clear();
    }
    health_.last_success = util::now_rfc3339();
    health_.last_pass = s;
    return true;
  } catch (const std::exception& e) {
    // What was staged before the failure is whole (each item in its own
    // savepoint): keep it. If even that commit fails, it is rolled back and
    // the source offers those items again.
    try {
      ctx_.store->end_batch();
    } catch (const std::exception& commit_error) {
      spdlog::warn("source '{}': items staged before the failure were not committed ({}); they are read again",
                   section_.name, commit_error.what());
    }
    if (store::is_disk_full(e)) {
      // Items stored before the failure are committed; the one being stored
      // was rolled back (its temporary blob removed) and is read again.
      pause(e.what());
      std::lock_guard lock(mu_);
      health_.last_pass = emitter.stats();
      return false;
    }
    spdlog::error("source '{}': pass failed: {}", section_.name, util::without_source_prefix(section_.name, e.what()));
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
    bool paused;
    {
      std::lock_guard lock(mu_);
      paused = !health_.paused.empty();
    }
    if (!paused) {
      source_->wait_for_change(section_.interval, stop);
      continue;
    }
    // Paused: no change notice will come when space is freed elsewhere, so
    // look at the free space every few seconds rather than a poll interval.
    std::mutex m;
    std::condition_variable_any cv;
    do {
      std::unique_lock lk(m);
      cv.wait_for(lk, stop, space_recheck, [] { return false; });
    } while (!stop.stop_requested() && !room_again());
  }
}

SourceHealth Harvester::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

bool Harvester::paused() const {
  std::lock_guard lock(mu_);
  return !health_.paused.empty();
}

void Harvester::carry_over(const SourceHealth& previous) {
  std::lock_guard lock(mu_);
  health_.last_success = previous.last_success;
  health_.last_error = previous.last_error;
  health_.last_error_at = previous.last_error_at;
  health_.last_pass = previous.last_pass;
}

}  // namespace sseccoe::core
