// Internal to the configuration loader: one conversion from a TOML value to a
// typed option value, shared by users' values and option-table defaults.
#pragma once

#include <optional>
#include <string>

#include <toml++/toml.h>

#include "sseccoe/sdk/options.hpp"

namespace sseccoe::core::config_detail {

struct Conversion {
  std::optional<sdk::OptionValue> value;
  std::string error;  // set when value is not: what was expected, what to write
};

// `secret`: the value is never quoted back in the error.
Conversion convert_value(const toml::node& node, sdk::OptionType type, bool secret);

// "a string", "an integer", "a table", ... for messages.
std::string describe_node_type(const toml::node& node);

// "a duration (\"250ms\", \"30s\", \"5m\", \"2h\", \"1d\" or whole seconds)", ...
std::string expected_form(sdk::OptionType type);

}  // namespace sseccoe::core::config_detail
