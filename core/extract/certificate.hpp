// Reading a course certificate: the text of its pages matched against
// extraction templates (config/templates/*.toml, docs/templates.md): one
// file per issuing platform and wording, named-group regular expressions in
// RE2 syntax as the rules use. What could not be read is listed, never
// guessed.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::core::extract {

// The fields a certificate may give: "name", "curp", "course", "hours",
// "certificate_folio", "occurred_on" (ISO date). `required` fields missing
// from a reading are listed in CertificateReading::unread.
inline const std::vector<std::string> kCertificateFields = {"name", "curp", "course", "hours",
                                                            "certificate_folio", "occurred_on"};
inline const std::vector<std::string> kRequiredCertificateFields = {"name", "course", "occurred_on"};

struct ExtractedField {
  std::string value;   // normalised: a name in title case as printed, hours as digits, a date as YYYY-MM-DD
  std::string source;  // the text it was read from (at most 200 bytes), for `explain`
};

struct CertificateReading {
  std::string template_id;  // "" when no template recognised the text
  std::string template_file;
  std::map<std::string, ExtractedField> fields;
  std::vector<std::string> unread;  // required fields not found (all of them without text)
};

struct TemplateError : std::runtime_error {
  using std::runtime_error::runtime_error;  // "file:line: what is wrong"
};

struct Template;  // defined in templates.hpp

class TemplateSet {
 public:
  // Every *.toml in each directory, in file-name order within a directory
  // and directories in the order given (the operator's own directory first
  // lets it override a shipped template with the same id). Throws
  // TemplateError naming the file and line of the first problem: TOML
  // syntax, an unknown key or field ("did you mean"), a pattern RE2 refuses,
  // a field pattern without a `value` group, one id twice in a directory.
  // An empty string in `dirs` is skipped; a directory that does not exist
  // is an error. Hidden files and other names are ignored.
  static TemplateSet load(const std::vector<std::string>& dirs);
  // The templates shipped beside the agent: <exe>/../share/sseccoe-agent/templates.
  static std::string default_dir();

  std::size_t size() const;
  ~TemplateSet();
  TemplateSet();
  TemplateSet(TemplateSet&&) noexcept;
  TemplateSet& operator=(TemplateSet&&) noexcept;

  // The first template whose `detect` pattern matches the text decides; its
  // field patterns fill the reading. Without any text, every required field
  // is unread. The pages are normalised first (NFC, invalid UTF-8 replaced,
  // white space collapsed, words broken at a line's end joined): see
  // docs/templates.md. Never throws for any text; thread-safe (const, and
  // the compiled patterns are immutable).
  CertificateReading read(const std::vector<std::string>& pages) const;

 private:
  std::unique_ptr<std::vector<Template>> templates_;  // in the order they are tried; null once moved from
};

// "14 de mayo de 2021", "3 de septiembre del 2021", "14/05/2021",
// "14-05-2021", "2021-05-14", "a los catorce días del mes de mayo de dos mil
// veintiuno": the ISO date, or nullopt when the text is no date or an
// impossible one.
std::optional<std::string> parse_spanish_date(std::string_view text);

}  // namespace sseccoe::core::extract
