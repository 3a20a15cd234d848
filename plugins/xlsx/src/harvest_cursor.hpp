// The source's cursor: under which settings, and which files as what (size,
// mtime, inode) were read. When the settings are the same and every file
// `path` names is exactly as recorded, a pass reads nothing at all; when
// anything differs (a file changed, added or removed, an option changed)
// every file is read again, so that rows gone from the export can be told
// apart from rows merely not read:
//   {"v":1,"settings":"<fingerprint>","files":{"file:///srv/rh/plantilla.xlsx":"<stamp>"}}
#pragma once

#include <map>
#include <string>

#include "xlsx_options.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::xlsx {

struct HarvestCursor {
  std::string settings;                      // settings_fingerprint() when the files were read
  // file_locator(path) (percent-encoded, so any file name is exact JSON
  // text) -> FileStamp::text()
  std::map<std::string, std::string> files;

  // An empty, unreadable or foreign cursor gives an empty one, which only
  // costs one full read.
  static HarvestCursor parse(const std::string& value);
  std::string dump() const;
  bool operator==(const HarvestCursor&) const = default;
};

// What decides how rows are read: the sheet, the header row, the limits
// (raising one must let a refused file be read again), the role, key and
// columns. 16 hex digits.
std::string settings_fingerprint(const XlsxSettings& s, const sdk::table::Settings& t);

}  // namespace sseccoe::xlsx
