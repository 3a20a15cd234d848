// Mexican personal identifiers (CURP, RFC), ISO calendar dates, masks for
// logs, and the normal forms under which identifiers and names are compared.
// Shared by the plugins (which check what they read), the agent's core and
// the registry (which refuses a record that does not pass), so that a CURP
// means the same everywhere. The reference for the CURP and RFC algorithms
// is python-stdnum's mx.curp and mx.rfc modules; tests/unit/model/
// identity_test.cpp carries published examples.
#pragma once

#include <string>
#include <string_view>

namespace sseccoe::sdk::identity {

// Empty when `curp` is a well-formed CURP: 18 characters
// (4 letters, birth date YYMMDD, sex H/M/X, one of the 33 state codes incl.
// NE "born abroad", 3 consonants, a differentiator, a check digit), a real
// birth date (century from the differentiator: digit 19xx, letter 20xx), not
// one of the words RENAPO never issues, and the check digit right.
// Otherwise a short English reason that never repeats the value.
// The input must already be canonical (see canonical_curp): a record
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

// The canonical form of an identifier as people type it in a spreadsheet:
// surrounding and inner white space (including no-break spaces) and dashes
// dropped, letters upper-cased (ñ -> Ñ). " pegl-890909-mjcrms08 " becomes
// "PEGL890909MJCRMS08". Nothing else changes: the result may still be
// malformed, which curp_error / rfc_error then say. Bytes that are not
// well-formed UTF-8 are kept as they are (and make the value malformed).
std::string canonical_curp(std::string_view curp);
std::string canonical_rfc(std::string_view rfc);

// Text folded for comparison, not for display: compatibility forms unified
// (a no-break space is a space, "ﬁ" is "fi"), case folded, accents and other
// combining marks removed (so "ñ" folds to "n"), invisible format characters
// (a byte-order mark, zero-width spaces) removed, runs of white space
// collapsed to one space, and the ends trimmed.
// "  Año de  Ingreso" folds to "ano de ingreso". Bytes that are not
// well-formed UTF-8 become U+FFFD. The table header matcher and name_key
// both build on it.
std::string fold_text(std::string_view text);

// A person's name normalised for comparison: fold_text, then apostrophes
// dropped ("O'Brien" == "OBrien"), every other punctuation mark or symbol
// made a separator ("Pérez-López" == "Perez Lopez"), and the words sorted and
// joined by one space, so that the order of given names and surnames does
// not matter: "LÓPEZ  Pérez, Ana María" and "Ana Maria Lopez Perez" both
// give "ana lopez maria perez". Empty when the name has no letter or digit.
std::string name_key(std::string_view name);

}  // namespace sseccoe::sdk::identity
