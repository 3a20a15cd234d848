#include "option_defaults.hpp"

#include <stdexcept>

#include <toml++/toml.h>

#include "config/values.hpp"

namespace sseccoe::testing {

sdk::OptionValue parse_default(sdk::OptionType type, const std::string& text) {
  // Tests also pass values as people write them on a command line ("5s",
  // "10MiB", "/srv/x"); what is not TOML is read as a TOML string.
  toml::table table;
  try {
    table = toml::parse("v = " + text);
  } catch (const toml::parse_error&) {
    table.insert_or_assign("v", text);
  }
  const auto conversion = core::config_detail::convert_value(*table.get("v"), type, false);
  if (!conversion.value) throw std::invalid_argument("default " + text + ": " + conversion.error);
  return *conversion.value;
}

sdk::OptionValues option_defaults(std::span<const sdk::OptionSpec> specs) {
  sdk::OptionValues values;
  for (const auto& spec : specs)
    if (!spec.default_value.empty())
      values.set(std::string(spec.name), parse_default(spec.type, std::string(spec.default_value)));
  return values;
}

}  // namespace sseccoe::testing
