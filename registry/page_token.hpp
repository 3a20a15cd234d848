// Opaque page tokens for GET /evidence: a keyset cursor (the listing order
// value of the last item returned) bound to the query's filters, so that a
// token is refused when replayed with other filters or by another
// institution instead of silently returning a wrong page.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::registry {

std::string encode_page_token(std::int64_t before, std::string_view filter_key);

// nullopt: not a token this registry made for these filters.
std::optional<std::int64_t> decode_page_token(std::string_view token, std::string_view filter_key);

}  // namespace sseccoe::registry
