#include "plugins/source_config.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace sseccoe::core {

std::string source_work_dir(const Config& config, const SourceSection& source) {
  return (std::filesystem::path(config.agent.state_dir) / "work" / source.name).string();
}

void reset_work_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (ec) throw std::runtime_error("cannot empty the work directory " + dir + ": " + ec.message());
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create the work directory " + dir + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
}

sdk::SourceConfig make_source_config(const Config& config, const SourceSection& source, std::string work_dir) {
  sdk::SourceConfig sc;
  sc.instance = source.name;
  sc.institution = config.agent.institution;
  sc.options = source.options;
  sc.work_dir = std::move(work_dir);
  sc.role = source.role;
  return sc;
}

}  // namespace sseccoe::core
