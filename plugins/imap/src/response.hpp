// IMAP server responses (RFC 3501 section 7, RFC 9051): parsed from a
// WireReader one at a time. Data are parsed into small value trees; a
// literal is either read into memory (bounded) or, when a hook claims it (a
// message body in a FETCH), streamed straight to the hook's sink.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wire_reader.hpp"

namespace sseccoe::imap {

struct Value {
  enum class Kind { Atom, Number, String, Nil, List, Streamed };
  Kind kind = Kind::Nil;
  std::string text;             // Atom as sent, String decoded, Number's digits
  std::uint64_t number = 0;     // Number
  std::vector<Value> items;     // List

  bool is_atom(std::string_view upper) const;  // case-insensitive
  bool is_string_like() const { return kind == Kind::Atom || kind == Kind::String || kind == Kind::Number; }
};

struct Response {
  enum class Type { Untagged, Tagged, Continuation };
  Type type = Type::Untagged;
  std::string tag;                      // Tagged
  std::optional<std::uint32_t> number;  // "* 12 FETCH ..." -> 12
  std::string kind;                     // upper case: OK NO BAD BYE PREAUTH FETCH EXISTS LIST ESEARCH ...
  // Status responses (OK/NO/BAD/BYE/PREAUTH, tagged or not) and continuations.
  std::string code;  // inside [...] without the brackets, e.g. "UIDVALIDITY 3857529045"
  std::string text;  // the human-readable rest
  std::vector<Value> data;  // everything after `kind` for data responses

  bool is_status() const;
  // The response code's first word, upper case ("UIDVALIDITY"), or "".
  std::string code_name() const;
  // The rest of the response code ("3857529045"), or "".
  std::string code_argument() const;
};

struct Limits {
  std::size_t max_literal = 1 << 20;        // in-memory literal (headers, names)
  std::size_t max_response = 64ull << 20;   // everything of one response held in memory
  std::size_t max_depth = 32;               // nested lists
};

// Offered each literal before it is read. `kind` is the response's kind
// ("FETCH"), `key` the atom just before the literal in the same list (a
// FETCH item name such as "BODY[]"). Returns true when it read exactly
// `size` bytes itself from `reader`; the value is then Kind::Streamed.
using LiteralHook =
    std::function<bool(std::string_view kind, std::string_view key, std::uint64_t size, WireReader& reader)>;

// Reads the next response. Throws ProtocolError on malformed input and
// NetworkError when the connection ends mid-response.
Response read_response(WireReader& reader, const LiteralHook& hook = {}, const Limits& limits = {});

// For messages: a response shortened to something safe to log (no literal
// contents, at most `max` characters, control characters escaped).
std::string printable(std::string_view text, std::size_t max = 200);

}  // namespace sseccoe::imap
