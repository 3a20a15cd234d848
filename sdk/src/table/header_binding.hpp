// Which column of the export holds each record field: the header row
// matched against the source's `columns`, once per table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sseccoe/sdk/table.hpp"

namespace sseccoe::sdk::table::detail {

enum class FieldRole { Other, Name, Curp, Rfc, EmployeeId, OccurredOn };

struct BoundField {
  std::string field;    // record field ("curp")
  std::string header;   // the header as the export writes it ("C U R P"), for messages
  std::size_t column;   // 0-based index into a row's cells
  FieldRole role;
};

struct Binding {
  std::vector<BoundField> fields;  // in the order of `columns`
  std::vector<std::size_t> key;    // indexes into `fields`, in the order of `key`
  std::size_t width = 0;           // cells in the header row
};

FieldRole role_of(std::string_view field);

// Matches `cells` (the header row at `line`) against `settings.columns` with
// fold_header. Throws TableError, prefixed with `where`, when the header is
// empty, when mapped headers are missing (each named with the closest header
// present) or when a mapped header appears in more than one column.
Binding bind_header(const Settings& settings, const std::vector<std::string>& cells, std::uint64_t line,
                    const std::string& where);

}  // namespace sseccoe::sdk::table::detail
