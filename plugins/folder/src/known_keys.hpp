// Gone-detection needs the keys the core holds for this source: this is the
// one place that asks for them (sdk::Emitter::for_each_known).
#pragma once

#include <functional>
#include <string_view>

#include "sseccoe/sdk/emitter.hpp"

namespace sseccoe::folder {

// Visits every key the core knows for this source. False when `out` cannot
// list them; the source then reports nothing as gone (never a wrong guess).
inline bool list_known_keys(sdk::Emitter& out, const std::function<void(std::string_view natural_key)>& visit) {
  return out.for_each_known(visit);
}

}  // namespace sseccoe::folder
