#include "csv_source.hpp"

#include <algorithm>
#include <stdexcept>

#include "byte_source.hpp"
#include "csv_cursor.hpp"
#include "file_set.hpp"
#include "file_text.hpp"
#include "table_reader.hpp"

namespace sseccoe::csv {

namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::system_clock;

Clock::time_point time_of(std::int64_t ns) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

CsvSource::CsvSource(CsvSettings settings) : s_(std::move(settings)), fingerprint_(settings_fingerprint(s_)) {
  // The header is the first line (there is no header_row option): a title
  // taken as the header is named in the missing-column error.
  s_.table.title_rows = sdk::table::TitleRows::FirstLine;
}

bool CsvSource::settled(const std::string& path, const std::string& version, std::int64_t mtime_ns,
                        Clock::time_point now, std::map<std::string, Pending>& still) {
  if (s_.settle.count() == 0) return true;
  const Clock::time_point mtime = time_of(mtime_ns);
  if (now - mtime >= s_.settle) return true;
  // Written recently, or stamped in the future by a share whose clock runs
  // ahead: count from when a pass first saw this version.
  Clock::time_point first_seen = now;
  if (auto it = pending_.find(path); it != pending_.end() && it->second.version == version)
    first_seen = it->second.first_seen;
  if (now - first_seen >= s_.settle) return true;
  still[path] = Pending{version, first_seen};
  const auto due = std::chrono::steady_clock::now() +
                   std::chrono::ceil<milliseconds>(std::min(mtime, first_seen) + s_.settle - now);
  if (!next_due_ || due < *next_due_) next_due_ = due;
  return false;
}

sdk::Cursor CsvSource::harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) {
  last_ = {};
  next_due_.reset();
  const FileSet set = find_files(s_.instance, s_.path);  // throws when the path is missing
  last_.files = set.files.size();
  for (const auto& dir : set.unlisted)
    out.log(sdk::LogLevel::Warn, "source '" + s_.instance + "': a directory below the path cannot be listed: " +
                                     dir + "; its files are not read and nothing is marked gone");

  CsvCursor before = CsvCursor::parse(from);
  if (before.settings != fingerprint_) before = {};  // other settings read the rows differently

  // What changed since the cursor, and whether it has settled.
  const Clock::time_point now = Clock::now();
  std::map<std::string, Pending> still;
  bool anything_to_read = false;
  std::vector<bool> waiting(set.files.size(), false);
  for (std::size_t i = 0; i < set.files.size(); ++i) {
    const FoundFile& f = set.files[i];
    const auto known = before.files.find(f.path);
    if (known != before.files.end() && known->second == f.version()) continue;
    if (settled(f.path, f.version(), f.mtime_ns, now, still)) {
      anything_to_read = true;
    } else {
      waiting[i] = true;
      ++last_.settling;
    }
  }
  pending_ = std::move(still);
  for (const auto& [path, version] : before.files) {
    const bool listed = std::any_of(set.files.begin(), set.files.end(), [&](const FoundFile& f) { return f.path == path; });
    if (!listed) anything_to_read = true;  // a file removed: its rows may be gone
  }
  if (!anything_to_read) {
    last_.skipped = true;
    if (last_.settling > 0)
      out.log(sdk::LogLevel::Debug, "source '" + s_.instance + "': " + plural(last_.settling, "file is", "files are") +
                                        " still being written; read once unchanged for the settle time");
    return from;
  }

  sdk::table::TableHarvest harvest(s_.table, out);
  CsvCursor after;
  after.settings = fingerprint_;
  bool whole = set.unlisted.empty() && last_.settling == 0;
  bool lossy = false;
  for (std::size_t i = 0; i < set.files.size(); ++i) {
    if (waiting[i]) continue;
    const FoundFile& f = set.files[i];
    const FileReport r = read_file(s_, f, harvest, out, stop);
    using Status = FileReport::Status;
    if (r.status == Status::Stopped) {
      harvest.finish(false);
      out.log(sdk::LogLevel::Info, "source '" + s_.instance + "': pass stopped before every file was read");
      return from;
    }
    if (r.status == Status::Unreadable && !is_glob(s_.path)) {
      harvest.finish(false);
      throw std::runtime_error("source '" + s_.instance + "': " + r.problem +
                               ": check that the agent's user may read it and that its share is mounted");
    }
    switch (r.status) {
      case Status::Read:
        ++last_.read;
        after.files[f.path] = r.version;
        lossy |= r.recoveries > 0;
        out.log(sdk::LogLevel::Debug, "source '" + s_.instance + "': read '" + f.table + "': " +
                                          plural(r.records, "row", "rows") + " (" + std::to_string(r.broken) +
                                          " unreadable), delimiter " + r.delimiter + ", encoding " + r.encoding);
        break;
      case Status::Refused:
        ++last_.refused;
        whole = false;
        after.files[f.path] = f.version();  // quarantined; read again once it changes
        break;
      case Status::Unreadable:
        ++last_.retry;
        whole = false;
        out.quarantine(table_key(f.table), r.problem + ": check that the agent's user may read it",
                       file_locator(f.path));
        break;
      case Status::Changed:
      case Status::Stopped:
        ++last_.retry;
        whole = false;
        break;
    }
  }
  last_.complete = whole && !lossy;
  const sdk::table::Counts c = harvest.finish(last_.complete);
  last_.rows = c.rows;
  last_.emitted = c.emitted;
  last_.quarantined = c.quarantined;
  last_.gone = c.gone;

  const bool news = c.emitted + c.quarantined + c.gone + last_.refused + last_.retry > 0;
  out.log(news ? sdk::LogLevel::Info : sdk::LogLevel::Debug,
          "source '" + s_.instance + "': read " + std::to_string(last_.read) + " of " +
              plural(last_.files, "file", "files") + ": " + plural(c.rows, "row", "rows") + ", " +
              std::to_string(c.emitted) + " emitted, " + std::to_string(c.quarantined) + " quarantined, " +
              std::to_string(c.gone) + " gone; " + std::to_string(last_.refused) + " refused, " +
              std::to_string(last_.settling) + " settling, " + std::to_string(last_.retry) + " to retry" +
              (last_.complete ? "" : " (not a complete pass: nothing marked gone)"));
  return after.dump();
}

void CsvSource::wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) {
  if (next_due_) {
    const auto left = std::chrono::ceil<milliseconds>(*next_due_ - std::chrono::steady_clock::now());
    timeout = std::min(timeout, std::max(left, milliseconds(100)));
    next_due_.reset();
  }
  sdk::Source::wait_for_change(timeout, std::move(stop));
}

std::string CsvSource::probe() {
  FileSet set;
  try {
    set = find_files(s_.instance, s_.path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  for (const auto& f : set.files) {
    FileSource src;
    if (const std::error_code ec = src.open(f.path))
      return "source '" + s_.instance + "': " + f.path + " cannot be opened (" + ec.message() +
             "): give the agent's user read access to it";
  }
  if (!set.unlisted.empty())
    return "source '" + s_.instance + "': " + set.unlisted.front() +
           " below the path cannot be listed: give the agent's user read access to it";
  return {};
}

}  // namespace sseccoe::csv
