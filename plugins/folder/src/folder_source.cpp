#include "folder_source.hpp"

#include <cerrno>
#include <stdexcept>
#include <utility>

#include "natural_key.hpp"
#include "paths.hpp"
#include "time_format.hpp"
#include "walker.hpp"

namespace sseccoe::folder {

namespace {

GlobSet compile_option(const FolderSettings& s, const char* option, const std::vector<std::string>& patterns) {
  try {
    return GlobSet::compile(patterns, s.case_insensitive_globs);
  } catch (const GlobError& e) {
    throw std::invalid_argument("source '" + s.instance + "': option '" + option + "': " + e.what());
  }
}

std::int64_t now_ns(Env& env) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(env.now().time_since_epoch()).count();
}

}  // namespace

FolderSource::FolderSource(FolderSettings settings, std::shared_ptr<Env> env, ChangeWatcher::AddWatch add_watch)
    : s_(std::move(settings)),
      env_(std::move(env)),
      include_(compile_option(s_, "include", s_.include)),
      exclude_(compile_option(s_, "exclude", s_.exclude)),
      watcher_(std::make_unique<ChangeWatcher>(
          s_.watch,
          [this](std::string_view dir_key, std::string_view dir_path, std::string_view raw_name, bool is_dir) {
            return event_matters(dir_key, dir_path, raw_name, is_dir);
          },
          add_watch)) {}

bool FolderSource::event_matters(std::string_view dir_key, std::string_view dir_path, std::string_view raw_name,
                                 bool is_dir) const {
  const std::string key = join_key(dir_key, encode_name(raw_name));
  if (is_dir) return !exclude_.matches_everything_below(key) && include_.could_match_below(key);
  if (exclude_.matches(key)) return false;  // Office lock files, *.tmp: the noisiest events
  if (include_.matches(key)) return true;
  // A new symbolic link to a directory reports as a plain entry; it matters
  // if it may bring files the globs want.
  if (!s_.follow_symlinks || !include_.could_match_below(key)) return false;
  FileStat st;
  return !env_->lstat(join_path(dir_path, raw_name), st) && st.kind == FileKind::Symlink;
}

std::string FolderSource::resolve_root(std::string& problem) const {
  const std::string head = "source '" + s_.instance + "': root " + s_.root;
  FileStat st;
  std::error_code ec = env_->stat(s_.root, st);
  if ((ec && (ec.value() == ENOENT || ec.value() == ENOTDIR)) || (!ec && st.kind != FileKind::Directory)) {
    problem = head + " does not exist or is not a directory: check that the share is mounted";
    return {};
  }
  std::string real;
  if (!ec) ec = env_->real_path(s_.root, real);
  if (ec) {
    problem = head + " cannot be reached (" + ec.message() + "): check that the share is mounted and its server "
                     "is reachable";
    return {};
  }
  return real;
}

std::string FolderSource::root_unreadable(const std::error_code& ec) const {
  const std::string head = "source '" + s_.instance + "': root " + s_.root + " cannot be read (" + ec.message() + ")";
  if (ec.value() == EACCES || ec.value() == EPERM) return head + ": give the agent's user read access to it";
  return head + ": check that the share is mounted and its server is reachable";
}

void FolderSource::log_notes(sdk::Emitter& out) {
  for (const auto& n : watcher_->take_notes()) out.log(sdk::LogLevel::Warn, n);
}

sdk::Cursor FolderSource::harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) {
  log_notes(out);
  std::string problem;
  const std::string root = resolve_root(problem);
  if (root.empty()) throw std::runtime_error(problem);

  HarvestPass pass(s_, env_, root, out, stop, pending_, watcher_.get());
  const WalkOptions options{root, s_.follow_symlinks, s_.max_depth, &include_, &exclude_};
  watcher_->begin_pass();
  const WalkResult result = walk(*env_, options, pass);
  if (result.root_error) throw std::runtime_error(root_unreadable(result.root_error));
  watcher_->end_pass(result.complete);
  log_notes(out);

  if (result.complete) {
    pending_ = pass.take_pending();
  } else {
    // Keep what the stopped pass did not get to look at.
    for (auto& [key, p] : pass.take_pending()) pending_[key] = p;
  }
  next_due_.reset();
  if (const auto due = pass.next_due()) next_due_ = std::chrono::steady_clock::now() + *due;

  if (!result.complete) {
    last_pass_ = pass.counters();
    out.log(sdk::LogLevel::Info, "pass stopped before the walk ended; " + pass.summary());
    return from;
  }
  if (!pass.report_gone(result.root_entries) && !gone_unsupported_logged_) {
    gone_unsupported_logged_ = true;
    out.log(sdk::LogLevel::Debug, "the agent cannot list known items, so removed files are not marked gone");
  }
  last_pass_ = pass.counters();
  const PassCounters& c = last_pass_;
  const bool news = c.stored + c.quarantined + c.deferred + c.gone > 0;
  out.log(news ? sdk::LogLevel::Info : sdk::LogLevel::Debug, pass.summary());
  return sdk::Cursor{"folder-v1 complete=" + rfc3339_utc(now_ns(*env_))};
}

void FolderSource::wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) {
  if (next_due_) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*next_due_ - std::chrono::steady_clock::now());
    timeout = std::min(timeout, std::max(left, std::chrono::milliseconds(0)));
  }
  last_wake_ = watcher_->wait(timeout, std::move(stop));
  // Due or not, the next pass decides afresh; a second wait without a pass
  // in between must not return at once again.
  next_due_.reset();
}

std::string FolderSource::probe() {
  std::string problem;
  const std::string root = resolve_root(problem);
  if (root.empty()) return problem;
  std::vector<DirEntry> entries;
  std::string resolved;
  if (const std::error_code ec = env_->list_dir(root, entries, resolved)) return root_unreadable(ec);
  return {};
}

}  // namespace sseccoe::folder
