// Message-ID handling: the normalisation behind natural keys and threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::sdk::mail::detail {

// Every id of an In-Reply-To / References value, normalised, in order,
// without duplicates (at most `limit`).
std::vector<std::string> message_ids(std::string_view header_value, std::size_t limit = 256);

std::string join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace sseccoe::sdk::mail::detail
