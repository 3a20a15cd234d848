// Normalisation: one harvested item becomes one evidence record. Which rule
// (if any) classifies it, which date it carries and where that date came
// from, which of its streams the record cites, and whether it may be sent
// (inside its activity's window) or must be held for an operator.
#pragma once

#include <optional>
#include <vector>

#include "pipeline/store_emitter.hpp"

namespace sseccoe::core {

// What an item is, decided from its key and metadata alone (before any of its
// content is read, so that a stream meant only for one kind is opened only
// for that kind).
struct Classification {
  std::string kind, activity, title;
  nlohmann::json attributes = nlohmann::json::object();
  std::string classified_by;  // "rule[2] agent.toml:31", "manual:<who>", "census", "" (unclassified)
  std::vector<std::string> file_roles;  // the content roles the record cites
  // Set when the rule groups items (group_by): the key of the one record
  // they share, "group:<field>:<value>"; empty: the item's own record.
  std::string group_key;
  nlohmann::json explain = nlohmann::json::object();
};

Classification classify_item(const EmitterContext& ctx, const sdk::Item& item,
                             const std::optional<store::StoredRecord>& existing);

// Whether a stream is read at all for an item of this kind.
bool content_wanted(const sdk::Content& content, const std::string& kind);

struct NormalizeInput {
  const EmitterContext& ctx;
  const sdk::Item& item;
  const std::string& record_id;
  // One per item.contents entry, in order; an empty digest marks a stream
  // that was not read (content_wanted said no).
  const std::vector<store::BlobInfo>& blobs;
  std::optional<store::StoredRecord> existing;
  const Classification* classification = nullptr;  // computed when null
  const struct Understanding* understanding = nullptr;  // what the files say (understand.hpp), if read
};

store::Harvested normalize(const NormalizeInput& in);

// Whether a classified record may be sent: empty when yes, else the reason it
// is held (unknown activity, a kind the activity does not take, a date
// outside the activity's window).
std::string hold_reason(const model::Catalog* catalog, const std::string& activity, const std::string& kind,
                        const std::string& occurred_on);

}  // namespace sseccoe::core
