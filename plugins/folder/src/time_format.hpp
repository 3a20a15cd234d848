// Timestamps and sizes as the folder source writes them into metadata,
// quarantine reasons and the cursor.
#pragma once

#include <cstdint>
#include <string>

namespace sseccoe::folder {

// "2021-05-14T10:02:11Z": whole seconds, UTC (RFC 3339).
std::string rfc3339_utc(std::int64_t ns_since_epoch);

// "2021-05-14": the calendar date in the process's local time zone (TZ), the
// date a person at the institution would say the file is from.
std::string local_date(std::int64_t ns_since_epoch);

// "8 GiB", "1.5 MiB", "512 bytes": for messages.
std::string human_size(std::uint64_t bytes);

}  // namespace sseccoe::folder
