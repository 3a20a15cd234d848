// Whether a pass reads the whole result or only the rows changed since the
// last one, and the cursor that remembers it.
//
// Without updated_column every pass is full: the store's row digests decide
// what changed, and a row no longer returned is reported gone.
//
// With updated_column a pass reads only rows whose value is at least the
// largest seen so far. Such a pass cannot see a deleted row, nor a row whose
// update committed later with an older value (a long transaction), so a full
// pass still runs every full_every; only a full pass reports rows gone.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::sql {

// What the cursor holds between passes.
struct SyncState {
  std::string fingerprint;      // of the query and updated_column it was made with
  std::int64_t last_full = 0;   // unix seconds of the start of the last full pass
  std::string max_value;        // largest updated_column value seen, as the server printed it
};

std::string encode(const SyncState& state);
// nullopt for anything this version did not write (an empty cursor, another
// format): the next pass is then full.
std::optional<SyncState> decode(std::string_view cursor);

// Changes when the query or updated_column change, so that a cursor made for
// another query is never applied to this one.
std::string fingerprint(std::string_view query, std::string_view updated_column);

struct PassPlan {
  bool full = true;
  std::string lower_bound;  // with !full: rows at or after this value
  std::string why;          // for the log: "first pass", "full_every elapsed", ...
};

PassPlan plan_pass(std::string_view cursor, std::string_view query, std::string_view updated_column,
                   std::chrono::milliseconds full_every, std::int64_t now_unix);

// The cursor after a pass that read to its end. `pass_max` is the largest
// updated_column value the pass saw (nullopt: none, all NULL or no rows).
// Empty without updated_column.
std::string next_cursor(std::string_view cursor, const PassPlan& plan, std::string_view query,
                        std::string_view updated_column, const std::optional<std::string>& pass_max,
                        std::int64_t started_unix);

}  // namespace sseccoe::sql
