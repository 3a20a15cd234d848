#include "sql_plugin.hpp"

#include "sql_options.hpp"
#include "sql_source.hpp"

namespace sseccoe::sql {

std::string_view SqlPlugin::description() const {
  return "Harvests the rows of a PostgreSQL view or query (an HR export) as records, read-only and streamed, "
         "incrementally when the rows carry a last-modified column";
}

std::span<const sdk::OptionSpec> SqlPlugin::options() const { return option_table(); }

std::unique_ptr<sdk::Source> SqlPlugin::create(const sdk::SourceConfig& config) const {
  return std::make_unique<SqlSource>(read_settings(config));
}

}  // namespace sseccoe::sql
