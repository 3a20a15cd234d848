// Reclassification: today's rules and catalog applied to records that were
// never sent (unclassified, or held), from what their items said when they
// were harvested (items.snapshot), so that a rule IT corrects takes effect
// on the backlog without the source offering anything again. Registered
// records are never touched: they change only through a new revision of
// their content or an audited `classify`.
//
// Runs as `sseccoe-agent reclassify [--dry-run] [--source S]`, and by itself
// when the service starts and after a configuration reload is applied.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/store_emitter.hpp"

namespace sseccoe::core {

struct ReclassifyOptions {
  bool dry_run = false;
  std::string source;  // empty: every source
  std::string actor = "reclassify";
};

struct ReclassifyChange {
  std::string record_id, source, natural_key;
  std::string new_record_id;  // differs from record_id when a rule's group_by joins it to another record
  std::string before_status, before_activity, before_kind;
  std::string after_status, after_activity, after_kind, after_reason, classified_by;
  // Set when the stored item cannot be judged again from the store: a
  // stream the new kind needs was never read (an acuse), or the item was
  // harvested before snapshots were kept. Its source reads it again on its
  // next pass (sources that offer items again: folders, Maildir, HR
  // exports; an IMAP message behind its folder's cursor is not).
  bool reread = false;
  std::string reread_why;
};

struct ReclassifyReport {
  std::vector<ReclassifyChange> changes;
  std::size_t examined = 0;        // unclassified or held records looked at
  std::size_t unchanged = 0;       // today's rules say the same
  std::size_t refreshed = 0;       // same verdict, explanation or title brought up to date
  std::size_t registered = 0;      // held revisions of registered records: left alone
  std::size_t unknown_source = 0;  // the source is no longer configured
  std::size_t conflicts = 0;       // changed by the daemon meanwhile: left for the next run
};

// How the pipeline is set up for a source today (rules, catalog, role), or
// null when the source is not configured.
using ContextFor = std::function<const EmitterContext*(const std::string& source)>;

ReclassifyReport reclassify(store::Store& store, const ContextFor& context_for, const ReclassifyOptions& options);

// One line per change, for the log and the CLI.
std::string describe(const ReclassifyChange& c);

}  // namespace sseccoe::core
