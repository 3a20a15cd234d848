// The Message-ID header's value out of the header lines an IMAP server
// returns for BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)], so that the pre-check
// computes the same key (sdk mail key_from_message_id) as the full parse.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::imap {

// The value of the first Message-ID field (continuation lines joined), or ""
// when there is none.
std::string message_id_value(std::string_view header_fields);

}  // namespace sseccoe::imap
