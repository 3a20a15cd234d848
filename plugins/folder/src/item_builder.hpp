// Turns a file found by the walk into the SDK item the core stores.
//
// Metadata (flat strings, for rules and titles):
//   path   the natural key: relative path, NFC, escaped (natural_key.hpp)
//   name   the file name for people: NFC, '%' as is, bad bytes as U+FFFD
//   stem   name without its last extension ("informe.final" of "informe.final.pdf")
//   ext    the last extension, lower-case, without the dot ("pdf"; "" for ".bashrc")
//   dir    the directory part of the path, for people ("" for the root)
//   size   bytes, decimal
//   mtime  modification time, RFC 3339 UTC ("2021-05-14T10:02:11Z")
// occurred_on is the mtime's local date (occurred_on_from = "mtime"); the
// locator is "file://" + the absolute path, percent-encoded.
#pragma once

#include <memory>
#include <string>

#include "env.hpp"
#include "sseccoe/sdk/item.hpp"
#include "walker.hpp"

namespace sseccoe::folder {

// The change token: "size:mtime_ns", plus ":inode" when tracked, so that a
// file replaced by rename with the same size and mtime (cp -p, rsync -t) is
// noticed. The core reads the file only when the token differs, and then
// its digest decides whether anything really changed.
std::string file_version(const FileStat& st, bool track_inode);

// `root` is the canonical root the opened file must lie in.
sdk::Item make_item(const FoundFile& file, std::string version, std::shared_ptr<Env> env, const std::string& root,
                    bool track_inode);

}  // namespace sseccoe::folder
