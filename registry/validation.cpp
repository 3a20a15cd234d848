#include "validation.hpp"

#include "api_error.hpp"
#include "model/identity.hpp"

namespace sseccoe::registry {

namespace {
// Client-supplied values are echoed in messages so that an operator sees
// what was refused; cut so that a huge value does not make a huge answer.
std::string quoted(const std::string& v) {
  return "'" + (v.size() > 64 ? v.substr(0, 64) + "..." : v) + "'";
}

ApiError unprocessable(std::string code, const std::string& message, std::string field) {
  return ApiError(422, std::move(code), message, std::move(field));
}
}  // namespace

bool kind_accepted(const model::Catalog& c, const std::string& activity, const std::string& kind) {
  if (c.allows(activity, kind)) return true;
  return kind == "headcount" && c.activity(activity) != nullptr;
}

std::vector<Warning> validate_record(const model::Record& r, const Catalogs& catalogs, Storage& storage,
                                     const model::Catalog*& catalog) {
  catalog = catalogs.find(r.program);
  if (!catalog) throw unprocessable("unknown_program", "this registry has no program named " + quoted(r.program), "program");
  if (!catalog->institution.empty() && catalog->institution != r.institution)
    throw unprocessable("unknown_program",
                        "program " + r.program + " is the work program of " + catalog->institution +
                            "; an institution registers evidence against its own program",
                        "program");
  const model::Activity* act = catalog->activity(r.activity);
  if (!act)
    throw unprocessable("unknown_activity", "program " + r.program + " has no activity " + quoted(r.activity),
                        "activity");
  if (!kind_accepted(*catalog, r.activity, r.kind)) {
    std::string kinds;
    for (const auto& k : act->evidence_kinds) kinds += (kinds.empty() ? "" : ", ") + k;
    throw unprocessable("kind_not_allowed",
                        "activity " + r.activity + " does not take evidence of kind " + quoted(r.kind) +
                            " (it takes: " + (kinds.empty() ? "none" : kinds) + ")",
                        "kind");
  }
  if (!model::is_iso_date(r.occurred_on))
    throw unprocessable("invalid_date", "occurred_on must be a real calendar date YYYY-MM-DD", "occurred_on");

  std::vector<Warning> warnings;
  for (std::size_t i = 0; i < r.people.size(); ++i) {
    const auto& p = r.people[i];
    std::string at = "people[" + std::to_string(i) + "]";
    if (!p.curp.empty())
      if (auto err = model::curp_error(p.curp); !err.empty())
        throw unprocessable("invalid_curp", at + ".curp: " + err, at + ".curp");
    if (!p.rfc.empty()) {
      if (auto err = model::rfc_error(p.rfc); !err.empty())
        throw unprocessable("invalid_rfc", at + ".rfc: " + err, at + ".rfc");
      if (!model::rfc_check_digit_ok(p.rfc))
        warnings.push_back({"rfc_check_digit", at + ".rfc",
                            "the RFC's check digit does not verify; it was accepted because many RFCs in use "
                            "fail it, but check it against the source"});
    }
  }
  for (std::size_t i = 0; i < r.files.size(); ++i) {
    const auto& f = r.files[i];
    std::string at = "files[" + std::to_string(i) + "]";
    auto stored = storage.file(f.sha256);
    if (!stored)
      throw unprocessable("file_not_uploaded",
                          at + ": upload the file (PUT /files/" + f.sha256 + ") before the record that cites it",
                          at + ".sha256");
    if (f.size != 0 && f.size != stored->size)
      throw unprocessable("file_size_mismatch",
                          at + ": the record says " + std::to_string(f.size) + " bytes, the uploaded file has " +
                              std::to_string(stored->size),
                          at + ".size");
  }
  return warnings;
}

}  // namespace sseccoe::registry
