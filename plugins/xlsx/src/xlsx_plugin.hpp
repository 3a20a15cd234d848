// The xlsx plugin object the agent loads (Poco::ClassLoader manifest in
// plugin.cpp): its name, option table and source factory.
#pragma once

#include "sseccoe/sdk/source.hpp"

namespace sseccoe::xlsx {

class XlsxPlugin final : public sdk::Plugin {
 public:
  std::string_view name() const override { return "xlsx"; }
  std::string_view description() const override;
  std::span<const sdk::OptionSpec> options() const override;
  // Throws std::invalid_argument (naming the source and option) for values
  // the option types cannot rule out: a malformed glob, a key that columns
  // does not map, a compression ratio out of range.
  std::unique_ptr<sdk::Source> create(const sdk::SourceConfig& config) const override;
};

}  // namespace sseccoe::xlsx
