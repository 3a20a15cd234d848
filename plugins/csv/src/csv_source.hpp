// The csv source: the rows of one CSV export (or of every file a glob
// matches) as items, through the SDK's TableHarvest. See README.md here.
//
// A pass lists the files and compares their versions (size:mtime) with the
// cursor. When nothing changed, nothing is opened. When anything changed
// (a file new, changed or removed, or the settings), every file is read, so
// that the keys of the whole source are seen in one pass and a removed row
// can be reported gone; the core leaves rows whose cells did not change
// unchanged. A file modified less than `settle` ago is left for a later
// pass (and the pass is then not complete: nothing is marked gone).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <stop_token>
#include <string>

#include "csv_options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::csv {

struct PassCounts {
  std::size_t files = 0;       // listed
  std::size_t read = 0;        // read to their end
  std::size_t refused = 0;     // quarantined as a whole
  std::size_t settling = 0;    // changed less than `settle` ago
  std::size_t retry = 0;       // unreadable, changed while read, vanished: read again later
  std::uint64_t rows = 0, emitted = 0, quarantined = 0, gone = 0;
  bool skipped = false;        // nothing changed: no file opened
  bool complete = false;       // finish(complete) was called with true
};

class CsvSource final : public sdk::Source {
 public:
  explicit CsvSource(CsvSettings settings);

  sdk::Cursor harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) override;
  void wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) override;
  std::string probe() override;

  const PassCounts& last_pass() const { return last_; }
  // When a settling file is next due for a look, if any.
  std::optional<std::chrono::steady_clock::time_point> next_due() const { return next_due_; }

 private:
  struct Pending {
    std::string version;
    std::chrono::system_clock::time_point first_seen;
  };
  bool settled(const std::string& path, const std::string& version, std::int64_t mtime_ns,
               std::chrono::system_clock::time_point now, std::map<std::string, Pending>& still);

  CsvSettings s_;
  std::string fingerprint_;
  std::map<std::string, Pending> pending_;  // changed files not yet settled, by path
  std::optional<std::chrono::steady_clock::time_point> next_due_;
  PassCounts last_;
};

}  // namespace sseccoe::csv
