#include "csv_plugin.hpp"

#include "csv_options.hpp"
#include "csv_source.hpp"

namespace sseccoe::csv {

std::string_view CsvPlugin::description() const {
  return "Harvests the rows of CSV exports (HR training lists, rosters, census) as items, one per row key";
}

std::span<const sdk::OptionSpec> CsvPlugin::options() const { return option_table(); }

std::unique_ptr<sdk::Source> CsvPlugin::create(const sdk::SourceConfig& config) const {
  return std::make_unique<CsvSource>(read_settings(config));
}

}  // namespace sseccoe::csv
