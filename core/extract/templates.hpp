// Extraction templates (config/templates/*.toml, docs/templates.md): their
// parsed form and the text handling behind TemplateSet::read. Internal to
// the extract library; declared here so that tests can reach the pieces.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "extract/certificate.hpp"
#include "sseccoe/sdk/regex.hpp"

namespace sseccoe::core::extract {

struct Template {
  std::string id;
  std::string issuer;
  std::string description;
  std::string file;  // the path it was loaded from
  int line = 0;      // of its `id`
  sdk::Regex detect;
  std::optional<sdk::Regex> reject;  // the template does not apply when this matches
  // In kCertificateFields order; each field's patterns in the order written.
  std::vector<std::pair<std::string, std::vector<sdk::Regex>>> fields;
};

namespace template_detail {

// A template file larger than this is refused: a template is a few KiB.
constexpr std::size_t kMaxFileBytes = 256 * 1024;
// Text past this many bytes (after normalisation) is not read: a
// certificate has one or two pages; a 1 MiB "certificate" is not one.
constexpr std::size_t kMaxTextBytes = 1024 * 1024;
// How many matches of one field pattern are tried before the next pattern:
// the first CURP-shaped word may fail its check digit, the next not.
constexpr std::size_t kMatchesTried = 16;
// `source`: at most this many bytes of the matched text.
constexpr std::size_t kMaxSourceBytes = 200;

// Parses one template file's text; throws TemplateError("file:line: ...").
Template parse_template(const std::string& file, std::string_view text);

// The pages as one line of text: invalid UTF-8 replaced by U+FFFD, NFC,
// words broken by a hyphen at a line's end joined ("capaci-\ntación"),
// ligatures (U+FB00..U+FB04) spelled out, invisible format characters
// dropped, every run of white space (line breaks, no-break spaces, page
// breaks) one space, the ends trimmed; pages joined by one space.
std::string normalise_text(const std::vector<std::string>& pages);

// A name as printed, tidied: surrounding spaces, quotes and punctuation
// dropped; a name printed all in capitals put in title case with Spanish
// particles in lower case ("MARÍA DE LOS ÁNGELES LÓPEZ" -> "María de los
// Ángeles López"). A name in mixed case is kept as printed.
std::string tidy_name(std::string_view name);

// The value of `field` read from `raw` (a pattern's `value` group), or
// nullopt when it is no valid value of that field: a name or course
// without letters or implausibly long, hours not a number of 1..999, an
// invalid date, a CURP failing its check, a folio without a digit.
std::optional<std::string> field_value(const std::string& field, std::string_view raw);

// At most `max` bytes of `s`, cut at a UTF-8 boundary.
std::string cut_utf8(std::string_view s, std::size_t max);

}  // namespace template_detail

}  // namespace sseccoe::core::extract
