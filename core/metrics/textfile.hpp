// Publishing metrics as a file, node_exporter's textfile-collector way:
// the text goes to "<path>.<pid>.tmp" beside the target, then a rename
// replaces the target, so a reader sees the old file or the new one, never
// a half-written one. The temporary name does not end in ".prom", so the
// collector never reads it.
//
// No fsync: the file is rewritten every few seconds and describes the
// running process; after a crash a stale or empty file is harmless, and a
// sync every few seconds would only wear the disk.
#pragma once

#include <string>

namespace sseccoe::metrics {

// Replaces `path` with `text` atomically (mode 0644: the collector usually
// runs as another user). Throws std::system_error naming the file; the
// temporary file is removed on failure and `path` keeps its old content.
void write_textfile(const std::string& path, const std::string& text);

}  // namespace sseccoe::metrics
