#include "xlsx_source.hpp"

#include <algorithm>
#include <ctime>

#include "errors.hpp"
#include "harvest_cursor.hpp"
#include "table_adapter.hpp"
#include "text_util.hpp"
#include "workbook_reader.hpp"

namespace sseccoe::xlsx {

namespace {

using Clock = std::chrono::system_clock;
using std::chrono::milliseconds;

// The local calendar day of a file's modification time: the export's date.
std::string local_date(std::int64_t mtime_ns) {
  const std::time_t t = static_cast<std::time_t>(mtime_ns / 1'000'000'000);
  std::tm tm{};
  if (::localtime_r(&t, &tm) == nullptr) return {};
  char buf[16];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0) return {};
  return buf;
}

Clock::time_point time_of(std::int64_t ns) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

std::string rows_phrase(std::uint64_t n) { return n == 1 ? "1 row" : std::to_string(n) + " rows"; }

// A problem with a whole file is quarantined under its table name, beside
// the rows' "row:" and "line:" keys (the csv plugin uses the same form).
std::string table_key(const FoundFile& f) { return "table:" + f.name; }

ReaderLimits limits_of(const XlsxSettings& s) {
  ReaderLimits limits;
  limits.zip.max_uncompressed = s.max_uncompressed_size;
  limits.zip.max_ratio = s.max_compression_ratio;
  limits.max_shared_strings = s.max_shared_strings_size;
  limits.spill_dir = s.work_dir;
  return limits;
}

}  // namespace

XlsxSource::XlsxSource(XlsxSettings settings, sdk::table::Settings table)
    : s_(std::move(settings)), table_(std::move(table)), fingerprint_(settings_fingerprint(s_, table_)) {
  // A title above the header is skipped with header_row: the missing-column
  // error says so when one was taken as the header.
  table_.title_rows = sdk::table::TitleRows::HeaderRowOption;
}

sdk::Cursor XlsxSource::harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) {
  next_due_.reset();
  const FileSet set = find_files(s_.path);  // throws when the path or the glob's base is missing
  for (const auto& dir : set.unlisted)
    out.log(sdk::LogLevel::Warn, "cannot list " + dir + ": its files are not read, and no row is reported gone");

  HarvestCursor now_seen;
  now_seen.settings = fingerprint_;
  for (const auto& f : set.files) now_seen.files[file_locator(f.path)] = f.stamp.text();
  const HarvestCursor before = HarvestCursor::parse(from.value);
  if (set.files.empty()) {
    // Said once: the cursor then records the empty set, and stays equal.
    if (from.empty() || !(before == now_seen))
      out.log(sdk::LogLevel::Warn, "no file matches " + s_.path +
                                       " (option 'path'): nothing to read; the rows already harvested are kept");
    sightings_.clear();
    return sdk::Cursor{now_seen.dump()};
  }
  // Nothing changed since the last pass: nothing is read at all.
  if (!from.empty() && before == now_seen && set.unlisted.empty()) return from;

  std::map<std::string, Sighting> seen_now;
  for (const auto& f : set.files)
    if (auto it = sightings_.find(f.path); it != sightings_.end()) seen_now.insert(*it);
  sightings_ = std::move(seen_now);

  sdk::table::TableHarvest table(table_, out);
  const auto now = Clock::now();
  bool complete = set.unlisted.empty();
  HarvestCursor after;
  after.settings = fingerprint_;
  for (const auto& f : set.files) {
    if (stop.stop_requested()) {
      complete = false;
      break;
    }
    if (!settled(f, now)) {
      out.log(sdk::LogLevel::Info,
              f.name + " changed less than " + std::to_string(s_.settle.count() / 1000) +
                  "s ago (option 'settle'): it is read once it has stayed unchanged that long");
      complete = false;
      continue;
    }
    const FileOutcome outcome = read_file(f, table, out, stop);
    if (outcome == FileOutcome::Read || outcome == FileOutcome::Failed)
      after.files[file_locator(f.path)] = f.stamp.text();
    if (outcome != FileOutcome::Read) complete = false;
    if (outcome == FileOutcome::Stopped) break;
  }
  const sdk::table::Counts counts = table.finish(complete);
  out.log(sdk::LogLevel::Debug, std::to_string(set.files.size()) + " file(s): " + rows_phrase(counts.rows) + ", " +
                                    std::to_string(counts.emitted) + " emitted, " +
                                    std::to_string(counts.quarantined) + " quarantined, " +
                                    std::to_string(counts.gone) + " gone" + (complete ? "" : " (incomplete pass)"));
  return sdk::Cursor{after.dump()};
}

bool XlsxSource::settled(const FoundFile& f, Clock::time_point now) {
  if (s_.settle.count() == 0) return true;
  const Clock::time_point mtime = time_of(f.stamp.mtime_ns);
  if (now - mtime >= s_.settle) return true;
  // Written recently, or stamped in the future by a share whose clock runs
  // ahead: count from when a pass first saw it as it is.
  Sighting& seen = sightings_[f.path];
  if (seen.stamp != f.stamp.text()) seen = {f.stamp.text(), now};
  if (now - seen.first >= s_.settle) return true;
  const auto due = std::chrono::steady_clock::now() +
                   std::chrono::ceil<milliseconds>(std::min(mtime, seen.first) + s_.settle - now);
  if (!next_due_ || due < *next_due_) next_due_ = due;
  return false;
}

void XlsxSource::wait_for_change(milliseconds timeout, std::stop_token stop) {
  if (next_due_) {
    const auto left = std::chrono::ceil<milliseconds>(*next_due_ - std::chrono::steady_clock::now());
    timeout = std::min(timeout, std::max(left, milliseconds(100)));
    next_due_.reset();
  }
  sdk::Source::wait_for_change(timeout, std::move(stop));
}

XlsxSource::FileOutcome XlsxSource::read_file(const FoundFile& f, sdk::table::TableHarvest& table, sdk::Emitter& out,
                                              const std::stop_token& stop) {
  std::optional<WorkbookReader> reader;
  const SheetRef* sheet = nullptr;
  try {
    reader.emplace(f.path, limits_of(s_));
    sheet = &reader->sheet(s_.sheet);
  } catch (const XlsxError& e) {
    return failed(f, e.what(), 0, out);
  }

  table.begin_table(f.name + "#" + sheet->name, file_locator(f.path), local_date(f.stamp.mtime_ns), "export:mtime");
  TableAdapter adapter(table, s_.header_row);
  try {
    reader->read(*sheet, adapter, stop);
    adapter.finish();
    table.end_table();
    return FileOutcome::Read;
  } catch (const StopRequested&) {
    // The table is left open: TableHarvest counts it unread (no census, no
    // rows reported gone), and the file is read again on the next pass.
    return FileOutcome::Stopped;
  } catch (const XlsxError& e) {
    return failed(f, e.what(), adapter.data_rows(), out);
  } catch (const sdk::table::TableError& e) {
    return failed(f, e.what(), adapter.data_rows(), out);
  }
}

XlsxSource::FileOutcome XlsxSource::failed(const FoundFile& f, const std::string& reason, std::uint64_t rows_read,
                                           sdk::Emitter& out) {
  // A file replaced or still written while it was read fails for that
  // reason alone: it is read again, not quarantined.
  FileStamp again;
  if (!stamp_of(f.path, again) || !(again == f.stamp)) {
    out.log(sdk::LogLevel::Info, f.name + " changed while it was read: it is read again on the next pass");
    return FileOutcome::Deferred;
  }
  std::string why = f.name + ": " + reason;
  if (rows_read > 0)
    why += "; the " + rows_phrase(rows_read) + " before that point were read, the rest of the sheet was not";
  why += "; no row of this source is reported gone until the file is read whole";
  out.quarantine(table_key(f), why, file_locator(f.path));
  return FileOutcome::Failed;
}

std::string XlsxSource::probe() {
  FileSet set;
  try {
    set = find_files(s_.path);
  } catch (const std::exception& e) {
    return e.what();
  }
  if (set.files.empty()) return "no file matches " + s_.path + " (option 'path') yet";
  if (!set.unlisted.empty())
    return "cannot list " + set.unlisted.front() + ": give the agent's user read access to it";
  for (const auto& f : set.files) {
    try {
      WorkbookReader reader(f.path, limits_of(s_));
      reader.sheet(s_.sheet);
    } catch (const XlsxError& e) {
      return f.name + ": " + e.what();
    }
  }
  return {};
}

}  // namespace sseccoe::xlsx
