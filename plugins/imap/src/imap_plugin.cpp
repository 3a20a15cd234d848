#include "imap_plugin.hpp"

#include "imap_options.hpp"
#include "imap_source.hpp"

namespace sseccoe::imap {

std::string_view ImapPlugin::description() const {
  return "Harvests mail from IMAP/IMAPS folders (Inbox, Sent, ...), waiting for new mail with IDLE";
}

std::span<const sdk::OptionSpec> ImapPlugin::options() const { return option_table(); }

std::unique_ptr<sdk::Source> ImapPlugin::create(const sdk::SourceConfig& config) const {
  return std::make_unique<ImapSource>(read_settings(config));
}

}  // namespace sseccoe::imap
