// The csv source's cursor: which files were read, at which version, under
// which settings. Rows are keyed by their row key, so nothing per file is
// kept in the store; this small JSON is enough to leave unchanged exports
// unread on the next pass:
//   {"v":1,"settings":"<fingerprint>","files":{"/srv/rh/plantilla.csv":"1234:1621015200000000000"}}
#pragma once

#include <map>
#include <string>

#include "sseccoe/sdk/item.hpp"

namespace sseccoe::csv {

struct CsvCursor {
  std::string settings;                      // settings_fingerprint() when the files were read
  std::map<std::string, std::string> files;  // path -> "size:mtime_ns"

  // An empty, unreadable or foreign cursor gives an empty one: every file
  // is then read again, which is always safe (rows are deduplicated by key).
  static CsvCursor parse(const sdk::Cursor& cursor);
  sdk::Cursor dump() const;
};

}  // namespace sseccoe::csv
