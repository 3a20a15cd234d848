// Normalisation: one harvested item becomes one evidence record. Which rule
// (if any) classifies it, which date it carries and where that date came
// from, and whether it may be sent (inside its activity's window) or must be
// held for an operator.
#pragma once

#include <optional>
#include <vector>

#include "pipeline/store_emitter.hpp"

namespace sseccoe::core {

struct NormalizeInput {
  const EmitterContext& ctx;
  const sdk::Item& item;
  const std::string& record_id;
  const std::vector<store::BlobInfo>& blobs;
  std::optional<store::StoredRecord> existing;
};

store::Harvested normalize(const NormalizeInput& in);

// Whether a classified record may be sent: empty when yes, else the reason it
// is held (unknown activity, a kind the activity does not take, a date
// outside the activity's window).
std::string hold_reason(const model::Catalog* catalog, const std::string& activity, const std::string& kind,
                        const std::string& occurred_on);

}  // namespace sseccoe::core
