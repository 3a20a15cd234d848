// Small text helpers for cells: trimming, blank rows, and the row key.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::sdk::table::detail {

// `cell` without surrounding white space: ASCII blanks, no-break spaces
// (U+00A0, U+202F) and a byte-order mark, which exports leave around values.
std::string_view trim(std::string_view cell);

// True when every cell is empty or white space: a spreadsheet's blank row.
bool is_blank_row(const std::vector<std::string>& cells);

// "row:" + the key's parts joined by '|'. A '|' or '\' inside a part is
// escaped with '\', so that ("a|b", "c") and ("a", "b|c") stay two keys.
std::string row_key(std::span<const std::string> parts);

// `s` made fit for an operator message: at most `max_chars` code points
// (then "..."), a byte that is not well-formed UTF-8 shown as U+FFFD, a
// control character as '?', so that a mis-encoded or huge cell can neither
// break the log's encoding nor flood it.
std::string for_message(std::string_view s, std::size_t max_chars);

}  // namespace sseccoe::sdk::table::detail
