// The xlsx source: each pass lists the files `path` names and, unless the
// settings and every file are exactly as the cursor recorded them, streams
// the configured sheet of each through one TableHarvest (rows become items;
// see sdk/table.hpp).
//
// A file that cannot be read (not a ZIP, truncated, a zip bomb, a DTD, a
// missing sheet, a missing header) is quarantined under "table:<name>" with
// the reason and the file's name, once: its stamp goes into the cursor, so it
// is not read again until it changes. Rows read before a failure half-way
// are kept, and the pass is incomplete, so nothing is reported gone. A file
// that changed while being read, or has not settled, is read on a later pass.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <stop_token>
#include <string>

#include "file_set.hpp"
#include "sseccoe/sdk/source.hpp"
#include "sseccoe/sdk/table.hpp"
#include "xlsx_options.hpp"

namespace sseccoe::xlsx {

class XlsxSource final : public sdk::Source {
 public:
  XlsxSource(XlsxSettings settings, sdk::table::Settings table);

  sdk::Cursor harvest(const sdk::Cursor& from, sdk::Emitter& out, std::stop_token stop) override;
  // Polls on the interval, but comes back as soon as a file that was still
  // settling should have settled.
  void wait_for_change(std::chrono::milliseconds timeout, std::stop_token stop) override;
  std::string probe() override;

 private:
  enum class FileOutcome { Read, Failed, Deferred, Stopped };

  FileOutcome read_file(const FoundFile& file, sdk::table::TableHarvest& table, sdk::Emitter& out,
                        const std::stop_token& stop);
  FileOutcome failed(const FoundFile& file, const std::string& reason, std::uint64_t rows_read, sdk::Emitter& out);
  bool settled(const FoundFile& file, std::chrono::system_clock::time_point now);

  struct Sighting {
    std::string stamp;
    std::chrono::system_clock::time_point first;
  };

  XlsxSettings s_;
  sdk::table::Settings table_;
  std::string fingerprint_;
  // When each file was first seen as it is now, for files whose clock says
  // they are younger than `settle` (or stamped in the future by a share
  // whose clock disagrees). Only the files of the last pass are kept.
  std::map<std::string, Sighting> sightings_;
  std::optional<std::chrono::steady_clock::time_point> next_due_;
};

}  // namespace sseccoe::xlsx
