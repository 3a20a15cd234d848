// People matched later. A certificate may be harvested before the HR export
// that names its holder (sources run in parallel, and an HR list arrives
// once a month): its holder is then registered as read, with
// attributes.unmatched. When the people register grows, those holders are
// matched again; a record whose people become known gets a new revision
// (queued again when registered: the registry learns the CURP and employee
// id), and its unmatched list shrinks. Ambiguous stays ambiguous: nothing
// is guessed.
#pragma once

#include <cstddef>
#include <string>

#include "store/store.hpp"

namespace sseccoe::core {

struct RematchReport {
  std::size_t examined = 0;  // records with unmatched people
  std::size_t matched = 0;   // people matched now
  std::size_t revised = 0;   // records given a new revision
};

RematchReport rematch_unmatched(store::Store& store, const std::string& actor = "rematch");

}  // namespace sseccoe::core
