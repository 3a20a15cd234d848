#include "harvest_pass.hpp"

#include <algorithm>
#include <functional>

#include "change_watcher.hpp"
#include "item_builder.hpp"
#include "known_keys.hpp"
#include "natural_key.hpp"
#include "time_format.hpp"

namespace sseccoe::folder {

namespace {

using std::chrono::milliseconds;

// A pending file is never looked at again sooner than this, so rounding can
// never turn waiting into spinning.
constexpr milliseconds kMinRetry{100};

std::uint64_t key_hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

std::chrono::system_clock::time_point time_of(std::int64_t ns) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(ns)));
}

bool below_or_at(std::string_view key, std::string_view prefix) {
  return key.size() >= prefix.size() && key.substr(0, prefix.size()) == prefix &&
         (key.size() == prefix.size() || key[prefix.size()] == '/');
}

}  // namespace

HarvestPass::HarvestPass(const FolderSettings& settings, std::shared_ptr<Env> env, std::string root,
                         sdk::Emitter& out, std::stop_token stop, const PendingFiles& previous, ChangeWatcher* watcher)
    : s_(settings),
      env_(std::move(env)),
      root_(std::move(root)),
      out_(out),
      stop_(std::move(stop)),
      previous_(previous),
      watcher_(watcher),
      now_(env_->now()) {}

void HarvestPass::directory(const std::string& walk_path, const std::string& key) {
  ++counters_.directories;
  if (watcher_ != nullptr) watcher_->watch(walk_path, key);
}

void HarvestPass::skipped(Skip) { ++counters_.skipped; }

void HarvestPass::problem(const std::string& key, const std::string& reason, const std::string& locator,
                          bool subtree_unknown) {
  ++counters_.quarantined;
  seen_.push_back(key_hash(key));
  if (subtree_unknown) unexplored_.push_back(key);
  out_.quarantine(key, reason, locator);
}

void HarvestPass::due_in(milliseconds d) {
  d = std::max(d, kMinRetry);
  if (!next_due_ || d < *next_due_) next_due_ = d;
}

bool HarvestPass::settled(const FoundFile& f) {
  if (s_.settle.count() == 0) return true;
  const auto mtime = time_of(f.stat.mtime_ns);
  if (now_ - mtime >= s_.settle) return true;
  // Modified recently by the clock, or stamped in the future by a share
  // whose clock disagrees: count from when this pass first saw it as it is.
  auto first_seen = now_;
  if (auto it = previous_.find(f.key);
      it != previous_.end() && it->second.size == f.stat.size && it->second.mtime_ns == f.stat.mtime_ns) {
    first_seen = it->second.first_seen;
  }
  if (now_ - first_seen >= s_.settle) return true;
  pending_[f.key] = PendingFile{f.stat.size, f.stat.mtime_ns, first_seen};
  const auto due = std::min(mtime, first_seen) + s_.settle;
  due_in(std::chrono::ceil<milliseconds>(due - now_));
  return false;
}

void HarvestPass::file(const FoundFile& f) {
  ++counters_.files;
  seen_.push_back(key_hash(f.key));
  std::string version = file_version(f.stat, s_.track_inode);
  if (const auto known = out_.known(f.key); known && known->version == version) {
    ++counters_.unchanged;  // the common case of a pass: one stat, no open
    return;
  }
  if (f.stat.size > s_.max_file_size) {
    ++counters_.quarantined;
    out_.quarantine(f.key,
                    "the file is " + human_size(f.stat.size) + " (" + std::to_string(f.stat.size) +
                        " bytes), larger than max_file_size = " + human_size(s_.max_file_size) +
                        "; raise max_file_size for source '" + s_.instance + "' to harvest it",
                    file_locator(f.walk_path));
    return;
  }
  if (!settled(f)) {
    ++counters_.settling;
    return;
  }
  const sdk::EmitResult r = out_.emit(make_item(f, std::move(version), env_, root_, s_.track_inode));
  switch (r.outcome) {
    case sdk::EmitOutcome::New:
    case sdk::EmitOutcome::Changed:
      ++counters_.stored;
      ++counters_.emitted;
      break;
    case sdk::EmitOutcome::Unchanged: ++counters_.emitted; break;
    case sdk::EmitOutcome::Quarantined: ++counters_.quarantined; break;
    case sdk::EmitOutcome::Deferred:
      // Changed or vanished while read: look again once it may have settled.
      ++counters_.deferred;
      due_in(s_.settle.count() > 0 ? s_.settle : std::chrono::milliseconds(1000));
      break;
  }
}

bool HarvestPass::report_gone(std::size_t root_entries) {
  std::sort(seen_.begin(), seen_.end());
  std::size_t known_count = 0;
  std::vector<std::string> gone;
  const bool listed = list_known_keys(out_, [&](std::string_view key) {
    ++known_count;
    if (std::binary_search(seen_.begin(), seen_.end(), key_hash(key))) return;
    for (const auto& u : unexplored_)
      if (below_or_at(key, u)) return;
    gone.emplace_back(key);
  });
  if (!listed) return false;
  if (root_entries == 0 && known_count > 0) {
    out_.log(sdk::LogLevel::Warn, "the root " + s_.root + " is empty although " + std::to_string(known_count) +
                                      " files were harvested from it before; is the share mounted? Nothing is "
                                      "marked gone until it shows files again");
    return true;
  }
  // A hash collision can only hide a gone file (never report a present one).
  for (const auto& key : gone) out_.gone(key);
  counters_.gone = gone.size();
  return true;
}

std::string HarvestPass::summary() const {
  const PassCounters& c = counters_;
  return "walked " + std::to_string(c.files) + " files in " + std::to_string(c.directories) + " directories: " +
         std::to_string(c.stored) + " new or changed, " + std::to_string(c.unchanged + (c.emitted - c.stored)) +
         " unchanged, " + std::to_string(c.settling) + " settling, " + std::to_string(c.deferred) + " deferred, " +
         std::to_string(c.quarantined) + " quarantined, " + std::to_string(c.gone) + " gone, " +
         std::to_string(c.skipped) + " entries skipped";
}

}  // namespace sseccoe::folder
