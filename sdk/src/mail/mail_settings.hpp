// The shared mail options as typed settings.
#pragma once

#include <cstdint>

#include "sseccoe/sdk/options.hpp"

namespace sseccoe::sdk::mail::detail {

struct MailSettings {
  bool per_attachment = false;
  std::uint64_t max_message_size = 1ull << 30;
  std::uint64_t acuse_body_limit = 64 * 1024;
};

// Values present in `o` override the defaults above (which are the table's).
MailSettings read_mail_settings(const OptionValues& o);

}  // namespace sseccoe::sdk::mail::detail
