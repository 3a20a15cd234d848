// Reads one CSV file into the source's TableHarvest: byte-order mark,
// delimiter and encoding, then the header and every record, each broken
// record reported alone.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>

#include "csv_options.hpp"
#include "file_set.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::csv {

struct FileReport {
  enum class Status {
    Read,        // read to its end; rows may have been quarantined one by one
    Refused,     // the file as a whole cannot be used (UTF-16, not text, no header, a mapped
                 // column missing): quarantined under "table:<name>", `problem` says why
    Unreadable,  // could not be opened or read (permissions, I/O): `problem` says why
    Changed,     // changed while it was read: read again on a later pass
    Stopped,     // the pass was asked to stop
  };
  Status status = Status::Unreadable;
  std::string problem;
  std::string version;           // "size:mtime_ns" of what was read (Status::Read)
  std::uint64_t records = 0;     // data records, good or broken
  std::uint64_t broken = 0;      // of which the reader could not read
  std::uint64_t recoveries = 0;  // see RecordReader::recoveries()
  std::string delimiter;         // "';' (detected)", for the log
  std::string encoding;          // "windows-1252, detected (uchardet: ISO-8859-1)"
};

// The natural key a refused file is quarantined under.
std::string table_key(const std::string& table);

FileReport read_file(const CsvSettings& settings, const FoundFile& file, sdk::table::TableHarvest& harvest,
                     sdk::Emitter& out, std::stop_token stop);

}  // namespace sseccoe::csv
