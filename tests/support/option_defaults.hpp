// Plugin tests build a source's options from its option table's defaults.
// They parse them with the agent's own configuration code, so that a test
// sees exactly the value the agent would give an option left unset.
#pragma once

#include <span>
#include <string>

#include "sseccoe/sdk/options.hpp"

namespace sseccoe::testing {

// `text` is a default as written in an option table (TOML: "\"5s\"", "true",
// "[\"**\"]"), or a plain value a test writes ("5s", "/srv/x"), read as a
// TOML string. Throws std::invalid_argument saying why it does not convert.
sdk::OptionValue parse_default(sdk::OptionType type, const std::string& text);

// Every option of `specs` that has a default, parsed.
sdk::OptionValues option_defaults(std::span<const sdk::OptionSpec> specs);

}  // namespace sseccoe::testing
