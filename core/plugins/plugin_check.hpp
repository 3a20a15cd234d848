// What a plugin must satisfy before the registry accepts it. A plugin whose
// option table is inconsistent would produce wrong validation and wrong
// documentation, so it is refused whole, with the reason.
#pragma once

#include <string>

#include "sseccoe/sdk/source.hpp"

namespace sseccoe::core {

// Empty when `plugin` is acceptable, else what is wrong (for the plugin's
// author: the message names the option).
std::string check_plugin(const sdk::Plugin& plugin);

}  // namespace sseccoe::core
