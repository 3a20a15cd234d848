#include "pipeline/store_emitter.hpp"

#include <spdlog/spdlog.h>

#include "model/sha256.hpp"
#include "util/log.hpp"
#include "pipeline/item_snapshot.hpp"
#include "pipeline/normalize.hpp"
#include "pipeline/understand.hpp"
#include "util/mask.hpp"

namespace sseccoe::core {

namespace {

// The item's digest, what decides whether a re-read item really changed: its
// content's, or for several streams a digest over their names and digests in
// order. Streams read only for some kinds (a rendered acuse, which embeds its
// creation time) do not count. An item without streams (an HR row, a census
// count) is digested from what it says: metadata, people and date.
std::string item_digest(const std::vector<store::BlobInfo>& blobs, const sdk::Item& item) {
  std::vector<std::size_t> counted;
  for (std::size_t i = 0; i < blobs.size(); ++i)
    if (item.contents[i].only_for_kind.empty()) counted.push_back(i);
  if (counted.size() == 1) return blobs[counted[0]].digest;
  model::Sha256 h;
  if (item.contents.empty()) {
    // Length-prefixed fields: no value can fake a boundary.
    auto field = [&h](std::string_view v) {
      h.update(std::to_string(v.size()));
      h.update(":");
      h.update(v);
    };
    field("item/v1");
    for (const auto& [k, v] : item.metadata) field(k), field(v);
    field("people");
    for (const auto& p : item.people) field(p.name), field(p.curp), field(p.rfc), field(p.employee_id);
    field(item.occurred_on);
    return h.hex_digest();
  }
  for (std::size_t i : counted) {
    h.update(item.contents[i].name);
    h.update(":");
    h.update(blobs[i].digest);
    h.update("\n");
  }
  return h.hex_digest();
}

}  // namespace

sdk::EmitResult StoreEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) {
  auto& store = *ctx_.store;
  std::string record_id = model::make_record_id(ctx_.institution, ctx_.source, item.natural_key);
  std::optional<std::string> cursor;
  if (cursor_after) cursor = cursor_after->value;

  auto known = store.item(ctx_.source, item.natural_key);
  if (known && !item.version.empty() && known->version == item.version) {
    if (cursor) store.set_cursor(ctx_.source, *cursor);
    ++stats_.unchanged;
    return {sdk::EmitOutcome::Unchanged, known->record_id.empty() ? record_id : known->record_id, {}};
  }

  // Classified before anything is read: a stream meant for one kind only (an
  // acuse) is rendered only for that kind.
  auto existing = store.record(record_id);
  Classification classification = classify_item(ctx_, item, existing);
  auto join_group = [&] {
    if (classification.group_key.empty()) return;
    // Items of one group (a consultation and its answer) share one record.
    record_id = model::make_record_id(ctx_.institution, ctx_.source, classification.group_key);
    existing = store.record(record_id);
  };
  join_group();

  std::vector<store::BlobInfo> blobs(item.contents.size());
  // Reads the streams the current classification wants and has not read.
  auto read_streams = [&]() -> std::optional<sdk::EmitResult> {
    for (std::size_t i = 0; i < item.contents.size(); ++i) {
      const auto& content = item.contents[i];
      if (!blobs[i].digest.empty() || !content_wanted(content, classification.kind)) continue;
      try {
        auto stream = content.open();
        if (!stream) throw sdk::ContentError("the source could not open '" + content.name + "'", true);
        blobs[i] = store.blobs().put(*stream, content.media_type);
      } catch (const sdk::ContentError& e) {
        if (e.transient) {
          spdlog::info("source '{}': {} deferred to the next pass: {}", ctx_.source,
                       util::mask_key(item.natural_key), e.what());
          ++stats_.deferred;
          return sdk::EmitResult{sdk::EmitOutcome::Deferred, record_id, e.what()};
        }
        quarantine(item.natural_key, e.what(), item.locator);
        return sdk::EmitResult{sdk::EmitOutcome::Quarantined, record_id, e.what()};
      }
    }
    return std::nullopt;
  };
  if (auto stop = read_streams()) return *stop;

  // What the content is (libmagic) is known only now: a rule on media_type
  // is applied with it, and a stream the new kind wants is read then.
  const sdk::Item* judged = &item;
  sdk::Item typed;
  if (!item.contents.empty() && !blobs.empty() && !blobs[0].digest.empty()) {
    typed = item;
    typed.metadata["media_type"] = blobs[0].media_type;
    judged = &typed;
    if (ctx_.rules && ctx_.rules->uses_field("media_type")) {
      const std::string before = classification.kind + "/" + classification.activity;
      classification = classify_item(ctx_, typed, existing);
      if (classification.kind + "/" + classification.activity != before) {
        record_id = model::make_record_id(ctx_.institution, ctx_.source, item.natural_key);
        existing = store.record(record_id);
        join_group();
        if (auto stop = read_streams()) return *stop;
      }
    }
  }
  const std::string digest = item_digest(blobs, item);
  if (known && known->digest == digest) {
    // Touched but identical (a copy, a new mtime): no new revision.
    store.touch_item(ctx_.source, item.natural_key, item.version, cursor);
    ++stats_.unchanged;
    return {sdk::EmitOutcome::Unchanged, record_id, {}};
  }

  // What the files say: a certificate's holder and date, an image's EXIF.
  const Understanding understanding = understand(ctx_, *judged, classification, blobs);
  if (!understanding.quarantine_reason.empty()) {
    quarantine(item.natural_key, understanding.quarantine_reason, item.locator);
    return {sdk::EmitOutcome::Quarantined, record_id, understanding.quarantine_reason};
  }
  const bool own_record = existing.has_value();
  NormalizeInput in{ctx_, *judged, record_id, blobs, std::move(existing), &classification, &understanding};
  store::Harvested h = normalize(in);
  h.digest = digest;
  h.registered_people = item.people.size();
  // What reclassify needs to judge the item again once IT corrects a rule.
  if (h.status == "unclassified" || h.status == "held") h.snapshot = to_snapshot(*judged, blobs);
  // Never count twice: the same files reaching the same activity from
  // another place (a certificate mailed and saved in the share, a forward)
  // are a later sighting of the record that has them, not a new record.
  if (!own_record && !h.record.activity.empty() && !h.record.files.empty()) {
    std::vector<std::string> digests;
    for (const auto& f : h.record.files) digests.push_back(f.sha256);
    if (auto canonical = store.record_citing(h.record.activity, digests, h.record.id)) {
      store.commit_alias(h, *canonical, cursor);
      spdlog::info("source '{}': {} ({}) has the same content as {} for {}: kept as its alias, not counted twice",
                   ctx_.source, h.record.id, util::mask_key(item.natural_key), *canonical, h.record.activity);
      ++stats_.unchanged;
      return {sdk::EmitOutcome::Unchanged, *canonical, {}};
    }
  }
  auto outcome = store.commit_harvest(h, cursor);
  const char* verb = outcome == store::HarvestOutcome::New       ? "new"
                     : outcome == store::HarvestOutcome::Changed ? "revised"
                                                                 : "unchanged";
  spdlog::info("source '{}': {} {} ({}) -> {}{}{}", ctx_.source, verb, record_id, util::mask_key(item.natural_key),
               h.status, h.record.activity.empty() ? "" : " " + h.record.activity + "/" + h.record.kind,
               h.status_reason.empty() ? "" : ": " + h.status_reason);
  switch (outcome) {
    case store::HarvestOutcome::New: ++stats_.new_items; break;
    case store::HarvestOutcome::Changed: ++stats_.changed; break;
    case store::HarvestOutcome::Unchanged: ++stats_.unchanged; break;
  }
  if (h.status == "pending" && outcome != store::HarvestOutcome::Unchanged && on_pending) on_pending();
  return {outcome == store::HarvestOutcome::New       ? sdk::EmitOutcome::New
          : outcome == store::HarvestOutcome::Changed ? sdk::EmitOutcome::Changed
                                                      : sdk::EmitOutcome::Unchanged,
          record_id, {}};
}

void StoreEmitter::quarantine(std::string_view natural_key, std::string_view reason, std::string_view locator) {
  bool fresh =
      ctx_.store->quarantine_item(ctx_.source, std::string(natural_key), std::string(reason), std::string(locator));
  spdlog::log(fresh ? spdlog::level::warn : spdlog::level::debug, "source '{}': quarantined {}: {}", ctx_.source,
              util::mask_key(natural_key), reason);
  ++stats_.quarantined;
}

std::optional<sdk::KnownItem> StoreEmitter::known(std::string_view natural_key) {
  auto s = ctx_.store->item(ctx_.source, std::string(natural_key));
  if (!s) return std::nullopt;
  return sdk::KnownItem{s->version, s->digest};
}

void StoreEmitter::checkpoint(const sdk::Cursor& cursor) { ctx_.store->set_cursor(ctx_.source, cursor.value); }

bool StoreEmitter::for_each_known(const std::function<void(std::string_view)>& visit) {
  ctx_.store->for_each_item_key(ctx_.source, visit);
  return true;
}

void StoreEmitter::gone(std::string_view natural_key) {
  ctx_.store->mark_gone(ctx_.source, std::string(natural_key));
  ++stats_.gone;
  spdlog::info("source '{}': {} is gone from the source (kept locally and in the registry)", ctx_.source,
               util::mask_key(natural_key));
}

void StoreEmitter::people_seen(const std::vector<sdk::Person>& people) {
  std::vector<model::Person> list;
  list.reserve(people.size());
  for (const auto& p : people) list.push_back({p.name, p.curp, p.rfc, p.employee_id});
  ctx_.store->register_known_people(ctx_.source, list);
}

void StoreEmitter::log(sdk::LogLevel level, std::string_view message) {
  auto lvl = level == sdk::LogLevel::Debug  ? spdlog::level::debug
             : level == sdk::LogLevel::Info ? spdlog::level::info
             : level == sdk::LogLevel::Warn ? spdlog::level::warn
                                            : spdlog::level::err;
  spdlog::log(lvl, "{}", util::source_message(ctx_.source, std::string(message)));
}

}  // namespace sseccoe::core
