// `catalog import`: reads a PAT (Programa Anual de Trabajo) document saved as
// plain text (Word/PDF "text" export: sections with roman numerals, one
// "Indicador / Objetivo / Meta" table per indicator, tab-separated activity
// rows) and produces the program catalog. The shape, the quirks it tolerates
// and the errors it raises are in docs/catalog.md.
#pragma once

#include <cstddef>
#include <istream>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/catalog.hpp"

namespace sseccoe::catalog {

struct ImportOptions {
  std::string program;      // "" = "PAT-<year the document declares>"
  std::string institution;  // "" = the acronym the document uses ("INM")
};

struct ImportResult {
  model::Catalog catalog;
  // What the importer repaired or doubts, each naming the line or activity:
  // the operator should read these before using the catalog.
  std::vector<std::string> warnings;
};

// Thrown for a document that cannot become a usable catalog. what() reads
// "line N: <detail>", or "FILE:N: <detail>" from import_pat_file, or just
// the detail when the document as a whole is to blame.
struct ImportError : std::runtime_error {
  ImportError(std::size_t line, const std::string& detail, const std::string& file = {});
  std::size_t line;    // 1-based; 0 when no single line is to blame
  std::string detail;  // what is wrong and what to do
  std::string file;
};

// Streams the document line by line (memory does not grow with its size).
// Accepts UTF-8 (with or without BOM) and Windows-1252/Latin-1, LF, CRLF or
// CR line ends. Throws ImportError.
ImportResult import_pat_text(std::istream& in, const ImportOptions& options = {});

// Opens `path` and imports it; errors are prefixed with the path.
ImportResult import_pat_file(const std::string& path, const ImportOptions& options = {});

// The one pretty form of a catalog (config/catalog/*.json, `catalog show
// --json`, `catalog import` output), also reachable from this namespace.
using model::catalog_to_pretty_json;

}  // namespace sseccoe::catalog
