// IMAP INTERNALDATE ("14-May-2021 10:00:00 -0500"): when the server received
// the message. A message without a readable Date header is dated by it.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::imap {

// The day in this machine's local time zone, "YYYY-MM-DD", or "" when the
// text is not a valid date-time.
std::string internal_date_local_day(std::string_view text);

}  // namespace sseccoe::imap
