#include "folder_plugin.hpp"

#include "env.hpp"
#include "folder_options.hpp"
#include "folder_source.hpp"

namespace sseccoe::folder {

std::string_view FolderPlugin::description() const {
  return "Harvests files from a directory or a mounted SMB/NFS share, watching it for changes";
}

std::span<const sdk::OptionSpec> FolderPlugin::options() const { return option_table(); }

std::unique_ptr<sdk::Source> FolderPlugin::create(const sdk::SourceConfig& config) const {
  return std::make_unique<FolderSource>(read_settings(config), Env::posix());
}

}  // namespace sseccoe::folder
