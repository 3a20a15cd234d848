// The imap plugin object the agent loads (Poco::ClassLoader manifest in
// plugin.cpp): its name, option table and source factory.
#pragma once

#include "sseccoe/sdk/source.hpp"

namespace sseccoe::imap {

class ImapPlugin final : public sdk::Plugin {
 public:
  std::string_view name() const override { return "imap"; }
  std::string_view description() const override;
  std::span<const sdk::OptionSpec> options() const override;
  // Throws std::invalid_argument (naming the source and option) for option
  // values the table's types cannot rule out: a malformed url, both or
  // neither of password_file and token_file.
  std::unique_ptr<sdk::Source> create(const sdk::SourceConfig& config) const override;
};

}  // namespace sseccoe::imap
