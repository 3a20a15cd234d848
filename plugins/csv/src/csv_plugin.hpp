// The csv plugin object the agent loads (Poco::ClassLoader manifest in
// plugin.cpp): its name, option table and source factory.
#pragma once

#include "sseccoe/sdk/source.hpp"

namespace sseccoe::csv {

class CsvPlugin final : public sdk::Plugin {
 public:
  std::string_view name() const override { return "csv"; }
  std::string_view description() const override;
  std::span<const sdk::OptionSpec> options() const override;
  // Throws std::invalid_argument (naming the source and option) for values
  // the table's types cannot rule out: an unknown encoding, a letter as
  // delimiter, a key field that `columns` does not map.
  std::unique_ptr<sdk::Source> create(const sdk::SourceConfig& config) const override;
};

}  // namespace sseccoe::csv
