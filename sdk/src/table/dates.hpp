// Evidence dates as HR exports write them, turned into ISO dates.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::sdk::table::detail {

// The ISO date ("2021-05-14") that `cell` names, or nothing. Accepted:
// YYYY-MM-DD, DD/MM/YYYY and D/M/YYYY (day first, as Mexico writes dates:
// "05/04/2021" is the 5th of April), YYYY/MM/DD; each optionally followed
// by a time of day (" 10:30", "T10:30:00", "T10:30:00.5-06:00"), which is
// dropped. The date must be a real calendar day.
std::optional<std::string> to_iso_date(std::string_view cell);

// The accepted forms, for messages.
inline constexpr std::string_view kDateForms = "YYYY-MM-DD, DD/MM/YYYY or YYYY/MM/DD";

}  // namespace sseccoe::sdk::table::detail
