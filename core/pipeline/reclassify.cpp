#include "pipeline/reclassify.hpp"

#include "model/record.hpp"
#include "pipeline/item_snapshot.hpp"
#include "pipeline/normalize.hpp"
#include "pipeline/understand.hpp"

namespace sseccoe::core {

namespace {

std::string verdict(const std::string& status, const std::string& activity, const std::string& kind) {
  return activity.empty() ? status : status + " " + activity + "/" + kind;
}

// A stream the new kind wants that was not read at harvest time.
bool misses_stream(const ItemSnapshot& s, const std::string& kind) {
  for (std::size_t i = 0; i < s.item.contents.size(); ++i)
    if (!s.item.contents[i].only_for_kind.empty() && s.item.contents[i].only_for_kind == kind &&
        (i >= s.blobs.size() || s.blobs[i].digest.empty()))
      return true;
  return false;
}

void judge_item(store::Store& store, const EmitterContext& ctx, const store::StoredRecord& record,
                const store::StoredItem& stored, const ReclassifyOptions& options, ReclassifyReport& report) {
  ReclassifyChange change{record.id, record.source, stored.natural_key, record.id,
                          record.status, record.activity, record.kind, {}, {}, {}, {}, {}, false, {}};
  if (stored.snapshot.empty()) {
    // Harvested by an agent that kept no snapshots (schema 2): only the
    // source can say again what the item is.
    if (stored.version.empty()) {
      ++report.unchanged;  // already waiting for its re-read
      return;
    }
    change.reread = true;
    change.reread_why = "harvested before this agent kept item snapshots";
    if (!options.dry_run) store.mark_for_reread(stored.source, stored.natural_key, options.actor, change.reread_why);
    report.changes.push_back(std::move(change));
    return;
  }
  ItemSnapshot snap = from_snapshot(stored.snapshot);
  auto existing = store.record(record.id);
  const Classification c = classify_item(ctx, snap.item, existing);
  std::string target = record.id;
  if (!c.group_key.empty()) target = model::make_record_id(ctx.institution, ctx.source, c.group_key);
  if (target != record.id) existing = store.record(target);

  // The files are in the store: what they say is read again with today's
  // templates (a certificate's holder and date may release a held record).
  const Understanding u = understand(ctx, snap.item, c, snap.blobs);
  if (!u.quarantine_reason.empty()) {
    ++report.unchanged;  // the reader refused the file; the harvest's verdict stands
    return;
  }
  NormalizeInput in{ctx, snap.item, target, snap.blobs, existing, &c, &u};
  store::Harvested h = normalize(in);
  h.registered_people = snap.item.people.size();
  h.version = stored.version;
  h.digest = stored.digest;
  if (h.status == "unclassified" || h.status == "held") h.snapshot = stored.snapshot;

  change.new_record_id = target;
  change.after_status = h.status;
  change.after_activity = h.record.activity;
  change.after_kind = h.record.kind;
  change.after_reason = h.status_reason;
  change.classified_by = h.classified_by;
  const bool same_verdict = target == record.id && h.status == record.status &&
                            h.record.activity == record.activity && h.record.kind == record.kind &&
                            h.status_reason == record.status_reason;
  if (same_verdict) {
    const bool stale = h.explain != record.explain || model::content_fingerprint(h.record) != record.fingerprint ||
                       h.classified_by != record.classified_by;
    if (!stale) {
      ++report.unchanged;
      return;
    }
    // The verdict stands, but `explain` must show today's rules.
    if (!options.dry_run) {
      if (store.apply_reclassification(h, record.id, options.actor, "explanation refreshed"))
        ++report.refreshed;
      else
        ++report.conflicts;
    } else {
      ++report.refreshed;
    }
    return;
  }
  if (misses_stream(snap, h.record.kind)) {
    change.reread = true;
    change.reread_why = "a " + h.record.kind + " record cites a stream that was not read when the item was harvested";
    if (!options.dry_run) store.mark_for_reread(stored.source, stored.natural_key, options.actor, change.reread_why);
    report.changes.push_back(std::move(change));
    return;
  }
  if (!options.dry_run &&
      !store.apply_reclassification(h, record.id, options.actor,
                                    verdict(record.status, record.activity, record.kind) + " -> " +
                                        verdict(h.status, h.record.activity, h.record.kind) +
                                        (h.classified_by.empty() ? "" : " by " + h.classified_by))) {
    ++report.conflicts;
    return;
  }
  report.changes.push_back(std::move(change));
}

}  // namespace

ReclassifyReport reclassify(store::Store& store, const ContextFor& context_for, const ReclassifyOptions& options) {
  ReclassifyReport report;
  for (const char* status : {"unclassified", "held"}) {
    for (const auto& record : store.records(status)) {
      if (!options.source.empty() && record.source != options.source) continue;
      ++report.examined;
      if (!record.folio.empty()) {
        ++report.registered;  // a held revision of a registered record
        continue;
      }
      const EmitterContext* ctx = context_for(record.source);
      if (ctx == nullptr) {
        ++report.unknown_source;
        continue;
      }
      // Items of a grouped record are judged one by one; the first one that
      // moves the record changes what the next one sees.
      for (const auto& item : store.items_of_record(record.id)) {
        auto now = store.record(record.id);
        if (!now || (now->status != "unclassified" && now->status != "held")) break;
        judge_item(store, *ctx, *now, item, options, report);
      }
    }
  }
  return report;
}

std::string describe(const ReclassifyChange& c) {
  std::string line = c.record_id + "  " + verdict(c.before_status, c.before_activity, c.before_kind) + " -> ";
  if (c.reread) return line + "re-read by its source (" + c.reread_why + ")";
  line += verdict(c.after_status, c.after_activity, c.after_kind);
  if (!c.classified_by.empty()) line += "  " + c.classified_by;
  if (c.new_record_id != c.record_id) line += "  (joins " + c.new_record_id + ")";
  if (!c.after_reason.empty()) line += ": " + c.after_reason;
  return line;
}

}  // namespace sseccoe::core
