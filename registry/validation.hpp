// What the registry checks in a record beyond its JSON shape, in the order a
// person fixing it would want: the program, the activity, the kind, the date,
// the people's identifiers, the cited files. A failure is 422 with a code and
// the field at fault (an ApiError); some findings are only warnings.
#pragma once

#include <string>
#include <vector>

#include "catalogs.hpp"
#include "model/record.hpp"
#include "storage.hpp"

namespace sseccoe::registry {

struct Warning {
  std::string code, field, message;
};

// Throws ApiError(422, ...). `catalog` is set to the record's program.
std::vector<Warning> validate_record(const model::Record& r, const Catalogs& catalogs, Storage& storage,
                                     const model::Catalog*& catalog);

// "headcount" is the HR census count that is the denominator of people-based
// indicators (product.md); it proves no activity, so catalogs never list it.
// The registry accepts it under any activity of the program.
bool kind_accepted(const model::Catalog& c, const std::string& activity, const std::string& kind);

}  // namespace sseccoe::registry
