// The options every mail source shares, and reading them with their
// defaults (a test or a source may pass values without them).
#include "mail_settings.hpp"

#include "sseccoe/sdk/mail.hpp"
#include "text.hpp"

namespace sseccoe::sdk::mail {

namespace {

constexpr OptionSpec kShared[] = {
    {"per_attachment", OptionType::Boolean, "false", false, false,
     "Make one item per attachment (key: the message's key plus '/N') instead of one per message, for a message "
     "that carries several certificates; a message without attachments stays one item"},
    {"max_message_size", OptionType::Size, "1GiB", false, false,
     "Messages larger than this (raw, as stored) are quarantined, with their size, instead of harvested"},
    {"acuse_body_limit", OptionType::Size, "64KiB", false, false,
     "How much of a dispatched message's text its acuse PDF shows; longer text is cut and marked as truncated"},
};

}  // namespace

std::span<const OptionSpec> shared_options() { return kShared; }

namespace detail {

MailSettings read_mail_settings(const OptionValues& o) {
  MailSettings s;
  if (o.has("per_attachment")) s.per_attachment = o.boolean("per_attachment");
  if (o.has("max_message_size")) s.max_message_size = o.size("max_message_size");
  if (o.has("acuse_body_limit")) s.acuse_body_limit = o.size("acuse_body_limit");
  return s;
}

}  // namespace detail

std::string size_problem(std::uint64_t size, const OptionValues& options) {
  const auto s = detail::read_mail_settings(options);
  if (size <= s.max_message_size) return {};
  return "the message is " + detail::human_size(size) + " (" + std::to_string(size) +
         " bytes), larger than max_message_size = " + detail::human_size(s.max_message_size) +
         "; raise max_message_size for this source to harvest it";
}

}  // namespace sseccoe::sdk::mail
