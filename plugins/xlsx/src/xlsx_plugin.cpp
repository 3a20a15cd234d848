#include "xlsx_plugin.hpp"

#include <stdexcept>

#include "file_set.hpp"
#include "sseccoe/sdk/table.hpp"
#include "xlsx_options.hpp"
#include "xlsx_source.hpp"

namespace sseccoe::xlsx {

std::string_view XlsxPlugin::description() const {
  return "Harvests the rows of one sheet of XLSX workbooks (HR exports: rosters, training, pledges, headcounts) "
         "as records, streaming the file so that memory stays flat however many rows it has";
}

std::span<const sdk::OptionSpec> XlsxPlugin::options() const { return option_table(); }

std::unique_ptr<sdk::Source> XlsxPlugin::create(const sdk::SourceConfig& config) const {
  XlsxSettings settings = read_settings(config);
  if (const std::string problem = glob_problem(settings.path); !problem.empty())
    throw std::invalid_argument("source '" + config.instance + "': " + problem);
  return std::make_unique<XlsxSource>(std::move(settings), sdk::table::read_settings(config));
}

}  // namespace sseccoe::xlsx
