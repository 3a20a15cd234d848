#include "maildir_plugin.hpp"

#include "maildir_options.hpp"
#include "maildir_source.hpp"

namespace sseccoe::maildir {

std::string_view MaildirPlugin::description() const {
  // The generated docs show only this line and the option table: it says
  // what an operator could otherwise expect wrongly.
  return "Harvests mail messages and their attachments from a Maildir tree (cur/new, Maildir++ subfolders), keyed "
         "by Message-ID; a message deleted from the mailbox stays registered (it is never reported gone)";
}

std::span<const sdk::OptionSpec> MaildirPlugin::options() const { return option_table(); }

std::unique_ptr<sdk::Source> MaildirPlugin::create(const sdk::SourceConfig& config) const {
  return std::make_unique<MaildirSource>(read_settings(config));
}

}  // namespace sseccoe::maildir
