// The package's relationships (OPC, ECMA-376 part 2): which part is the
// workbook, and which parts its sheets, styles and shared strings are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::xlsx {

class ZipPackage;

struct Relationship {
  std::string id;
  std::string type;    // a URI; compare with type_is()
  std::string target;  // resolved to a part name ("xl/worksheets/sheet1.xml"); empty for external targets
};

// "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels"; "" (the package) -> "_rels/.rels".
std::string rels_part_for(std::string_view part);

// `target` (a relative URI, or one starting with '/') resolved against the
// folder of `source_part`, percent-escapes decoded: the ZIP entry it names.
// Returns empty when the target climbs out of the package.
std::string resolve_target(std::string_view source_part, std::string_view target);

// True when a relationship type ends with "/" + `kind` ("worksheet",
// "styles"): the transitional and the strict namespaces differ only before.
bool type_is(std::string_view type, std::string_view kind);

// The relationships of `source_part` ("" for the package's own), or none
// when it has no .rels entry. Throws XlsxError for a damaged .rels.
std::vector<Relationship> read_relationships(ZipPackage& zip, std::string_view source_part);

}  // namespace sseccoe::xlsx
