// Masking of personal data for logs. The agent's logs go to the journal,
// which more people can read than the committee's evidence: CURP, RFC, e-mail
// addresses and the names that appear in file names must not reach it.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::util {

// Replaces anything shaped like a CURP, an RFC or an e-mail address in free
// text with a masked form that keeps a few characters for correlation.
std::string mask_personal(std::string_view text);

// A natural key for logs: the first path segment is kept (a share's top-level
// folder says which kind of evidence it is), every later segment keeps its
// first three characters and its extension. Identification in logs is by
// record id; `records show ID` gives the full key to an operator.
std::string mask_key(std::string_view key);

}  // namespace sseccoe::util
