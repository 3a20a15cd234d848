// Which of , ; TAB | separates the fields of a file, judged on its first
// lines with quotes respected (a quoted "Pérez, Juan" is one field).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sseccoe::csv {

// The candidates, in the order that breaks ties.
inline constexpr char kDelimiterCandidates[] = {',', ';', '\t', '|'};

struct DelimiterGuess {
  char delimiter = ',';
  // False when no candidate splits the header into two or more fields: a
  // single-column file, where the delimiter does not matter.
  bool found = false;
};

// `sample` is the start of the file after any byte-order mark; `whole` says
// it is the entire file (else its last, possibly cut, record is not judged).
// The winner splits the header into at least two fields and the most of
// the following records (up to 100) into as many; ties go to the candidate
// with more fields, then to the order above.
DelimiterGuess detect_delimiter(std::string_view sample, bool whole);

// Excel's delimiter declaration: a first line "sep=;" (LF, CRLF or the end
// of the sample after it). Gives the delimiter and the line's length with
// its line break, or nullopt.
struct SepLine {
  char delimiter;
  std::size_t length;
};
std::optional<SepLine> excel_sep_line(std::string_view sample);

// "','", "';'", "tab", "'|'": for logs and messages.
std::string describe_delimiter(char d);

// The `delimiter` option: "auto" gives 0; "tab" or "\t" a tab; otherwise one
// ASCII character that is not a letter, digit, quote, CR, LF or space.
// Throws std::invalid_argument saying what is accepted.
char parse_delimiter_option(std::string_view text);

}  // namespace sseccoe::csv
