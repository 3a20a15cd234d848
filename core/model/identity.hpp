// Validators for the Mexican personal identifiers a record may carry (CURP,
// RFC) and for ISO calendar dates, plus masking for logs. Shared by the agent
// (which checks what it harvested) and the registry (which refuses a record
// that does not pass). The reference for the algorithms is python-stdnum's
// mx.curp and mx.rfc modules; tests/unit/model/identity_test.cpp carries
// published examples.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::model {

// Empty when `curp` is a well-formed CURP: 18 characters
// (4 letters, birth date YYMMDD, sex H/M/X, one of the 33 state codes incl.
// NE "born abroad", 3 consonants, a differentiator, a check digit), a real
// birth date (century from the differentiator: digit 19xx, letter 20xx), not
// one of the words RENAPO never issues, and the check digit right.
// Otherwise a short English reason that never repeats the value.
// The input must already be upper case and without separators: a record
// carries the canonical form.
std::string curp_error(std::string_view curp);

// Empty when `rfc` is a well-formed RFC: 12 characters for a company
// (3 letters, incorporation date, 3-character homoclave) or 13 for a person
// (4 letters, birth date, homoclave). Letters include '&' and 'Ñ' (UTF-8).
// The check digit is NOT verified here: about 1.5% of the RFCs in real use
// fail it (python-stdnum's survey), so a failed check digit is a warning
// (see rfc_check_digit_ok), not a reason to refuse a record.
std::string rfc_error(std::string_view rfc);

// True when the homoclave's alphabet and the final check digit are right.
// Only meaningful for an RFC that rfc_error accepts; false otherwise.
bool rfc_check_digit_ok(std::string_view rfc);

// True for "YYYY-MM-DD" naming a real day of the proleptic Gregorian
// calendar (leap years included), years 0001..9999.
bool is_iso_date(std::string_view s);

// Masked forms for logs and operator messages: enough to tell two people
// apart in a list, never enough to identify one.
// A CURP keeps its 4 initials, sex and state and the last 2 characters:
// "GOMA******HDF***07". Anything that is not CURP-shaped keeps at most its
// first 2 characters, the rest becomes '*' (one per character).
std::string mask_curp(std::string_view curp);
// An RFC keeps its 3 or 4 initials and the last 2 characters:
// "GODE*******R8"; anything else keeps at most its first 2 characters.
std::string mask_rfc(std::string_view rfc);

}  // namespace sseccoe::model
