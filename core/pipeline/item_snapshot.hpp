// What an item said when it was harvested, as JSON in the store
// (items.snapshot), so that `reclassify` can judge it again with corrected
// rules without asking its source: metadata, date, locator, people, and each
// stream's name, role and stored digest (empty for a stream that was not
// read, such as an acuse rendered only for email_dispatch).
#pragma once

#include <string>
#include <vector>

#include "sseccoe/sdk/item.hpp"
#include "store/blob_store.hpp"

namespace sseccoe::core {

struct ItemSnapshot {
  sdk::Item item;                     // contents carry no open(): the bytes are in the blob store
  std::vector<store::BlobInfo> blobs;  // one per item.contents entry
};

std::string to_snapshot(const sdk::Item& item, const std::vector<store::BlobInfo>& blobs);
// Throws std::invalid_argument for text that is not a snapshot.
ItemSnapshot from_snapshot(const std::string& json);

}  // namespace sseccoe::core
