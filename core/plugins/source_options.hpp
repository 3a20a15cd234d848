// The options every [[source]] has, whatever its plugin: the core reads them,
// the plugin never sees them. One table, shared by the configuration loader
// (validation, suggestions) and the plugin documentation generator, so the two
// cannot disagree. A plugin may not declare an option of the same name.
#pragma once

#include <array>
#include <span>
#include <string_view>

#include "sseccoe/sdk/options.hpp"

namespace sseccoe::core {

inline constexpr std::array<sdk::OptionSpec, 5> kCoreSourceOptions{{
    {"name", sdk::OptionType::String, "", true, false,
     "Unique name of this source ([a-z0-9_-]+); part of every record id, so do not rename it"},
    {"plugin", sdk::OptionType::String, "", true, false,
     "The plugin that reads this source (see 'sseccoe-agent plugins list')"},
    {"enabled", sdk::OptionType::Boolean, "true", false, false,
     "false keeps the source configured but does not harvest it"},
    {"interval", sdk::OptionType::Duration, "5m", false, false,
     "How often to poll when the plugin cannot be told of changes (at least 1s)"},
    {"role", sdk::OptionType::String, "\"evidence\"", false, false,
     "\"evidence\": items become records; \"census\": an HR headcount export whose rows never leave the "
     "machine, only their count is registered (kind headcount)"},
}};

inline std::span<const sdk::OptionSpec> core_source_options() { return kCoreSourceOptions; }

}  // namespace sseccoe::core
