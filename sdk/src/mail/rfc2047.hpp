// RFC 2047 encoded words, decoded by us rather than by GMime: Debian 12's
// GMime 3.2.13 drops every encoded word that follows a base64 word ending in
// padding ("=?UTF-8?B?YWI=?= =?UTF-8?B?Y2Q=?=" decodes to "ab"; upstream
// gmime#133, fixed after 3.2.13). Long accented attachment names, subjects
// and display names are split exactly that way, and a cut name no longer
// matches the rule that would classify the certificate.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::sdk::mail::detail {

// A header value (or a parameter value) with its encoded words decoded to
// UTF-8: each word decoded on its own (base64 or Q), the bytes of adjacent
// words of one charset joined before conversion (a character may be split
// between two words), white space between encoded words dropped, folding
// removed, other text kept as it is (made valid UTF-8). A malformed word is
// kept literally.
std::string decode_rfc2047(std::string_view raw);

// Whether `raw` holds something that looks like an encoded word.
bool has_encoded_word(std::string_view raw);

// The value of parameter `name` (e.g. "filename") in a raw Content-Type or
// Content-Disposition header value, unquoted; empty when absent or given in
// RFC 2231 form (name*=...), which GMime decodes correctly.
std::string plain_parameter(std::string_view header_value, std::string_view name);

}  // namespace sseccoe::sdk::mail::detail
