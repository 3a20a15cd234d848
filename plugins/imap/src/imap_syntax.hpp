// Small pieces of IMAP command syntax: quoted strings and base64 (SASL).
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::imap {

// True when `s` can be sent as a quoted string: 7-bit, no NUL, CR or LF.
bool quotable(std::string_view s);
// "\"a\\\"b\"" for a"b. Precondition: quotable(s).
std::string quote(std::string_view s);
// Standard base64 with padding (RFC 4648), as SASL wants it.
std::string base64_encode(std::string_view data);

}  // namespace sseccoe::imap
