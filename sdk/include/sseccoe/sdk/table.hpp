// Rows of an HR export (a CSV, an XLSX sheet, a SQL view) as items. Every
// tabular source feeds its rows through one TableHarvest, so that a row means
// the same whatever it was read from: the same column matching, the same key,
// the same people checks, the same quarantine reasons, the same census count.
//
// A reader (csv, xlsx, sql) only turns its format into cells: header() once,
// then row() for each data row in order, broken_row() for a row it could not
// read, finish() at the end. Cells are UTF-8; dates already in ISO form where
// the format knows them to be dates (an XLSX date cell, a SQL date column).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::sdk::table {

// The options every tabular plugin appends to its own table:
//   key     (list of strings, required) record fields that identify a row
//           (a census source, which only counts rows, writes key = [])
//   columns (table of strings) record field -> header in the export
// Record fields with a meaning: employee_id, name, curp, rfc (the row's
// person), occurred_on (the evidence date), and any other (unit, course,
// hours, ...) which becomes row metadata for rules and templates. Columns
// that `columns` does not map are never read. The field names table, line
// and source_row are reserved (see TableHarvest).
std::span<const OptionSpec> shared_options();

// How headers are compared: case, accents and surrounding or repeated
// spaces are ignored ("  Año de  Ingreso" == "ano de ingreso").
std::string fold_header(std::string_view header);

// What a person can do when a title row above the column names ("Directorio
// del Comité de Ética 2021" in A1, the rest of the row empty) was taken as
// the header: the missing-column error then says so, and how to fix it.
enum class TitleRows {
  Impossible,       // the header is not typed by a person (a SQL result's column names): no advice
  FirstLine,        // the header must be the export's first line (csv): remove the title
  HeaderRowOption,  // the reader's option `header_row` names the header's row (xlsx)
};

struct Settings {
  std::string instance;                 // the [[source]] name, for messages
  std::vector<std::string> key;         // record fields
  StringPairs columns;                  // record field -> header
  std::string role = "evidence";        // or "census"
  TitleRows title_rows = TitleRows::Impossible;  // set by the reader, not by read_settings
};

// Reads `key`, `columns` and the role from a validated SourceConfig. Throws
// std::invalid_argument naming the option when `key` names a field that
// `columns` does not map and that is not itself a header name `columns` maps
// to (key = ["No. Empleado"] is read as the field mapped to that header),
// when an evidence source's `key` is empty, or when `columns` maps an empty
// header or a reserved field name.
Settings read_settings(const SourceConfig& config);

// The whole table is unusable (a mapped column missing from the header, an
// empty file): the source reports it and nothing of the table is emitted.
struct TableError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Counts {
  std::uint64_t rows = 0;         // data rows seen (good or bad)
  std::uint64_t emitted = 0;      // rows handed to the emitter (a census: its count items)
  std::uint64_t quarantined = 0;  // rows refused (ragged, bad CURP, duplicate key, ...)
  std::uint64_t gone = 0;         // keys known before and absent now
};

// One pass over one source's tables. Remembers the keys seen in this pass
// (a 64-bit digest of the key and a 32-bit line per row in an open-addressing
// table: 12 bytes a slot, 14 to 18 bytes a row with the table's free slots;
// never the keys, never the rows) to refuse duplicates and to report rows
// that are gone.
//
// An evidence row becomes one Item:
//   natural_key  "row:" + the key fields' values joined by '|' (a '|' or '\'
//                inside a value escaped with '\'); CURP and RFC in their
//                canonical form, other values trimmed, in NFC
//   version      hex SHA-256 over the mapped cells (field names and values),
//                nothing positional: a row that only moved is unchanged
//   metadata     every mapped field but name, curp, rfc and employee_id, plus
//                "table", "line" and "source_row" ("<table>#line=<N>")
//   people       one Person when name, curp, rfc or employee_id is non-empty
//   occurred_on  from the occurred_on field (YYYY-MM-DD, DD/MM/YYYY,
//                D/M/YYYY or YYYY/MM/DD; a time of day after it is ignored),
//                occurred_on_from "column:<header>"; a row whose cell is
//                empty has no date (the core holds it). When `columns` maps
//                no occurred_on field at all (a roster without a date
//                column), every row takes the export's date: occurred_on =
//                begin_table's export_date, occurred_on_from = its
//                export_date_from ("export:mtime" for a file, the day of its
//                modification time; "export:query_time" for a SQL result,
//                the server's current_date in the query's transaction).
//                The export date is never part of the version: a re-export
//                with the same cells and a newer mtime is unchanged (no
//                revision); the version of such a row carries only a marker
//                that it is dated by its export, so that rows stored undated
//                by an older agent are revised once to take the date
//   locator      the table's locator + "#line=<N>"; no contents
// A refused row is quarantined under its key, or "line:<table>#<N>" when the
// key is not known (a ragged row, a cell that is not UTF-8, an empty key
// part, a broken row), with the locator "<locator>#line=<N>". Reasons never
// carry a CURP, RFC or name unmasked. A mapped cell holding a C0 control
// character (0x00-0x1F but tab, CR and LF: a mis-encoded export such as
// UTF-16 read as 8-bit text, or binary junk) is no text: its row is
// quarantined under its line with the character's code (never the cell),
// and one warning per table gives the first such line and how many rows.
// Not thread-safe: one reader drives one TableHarvest.
class TableHarvest {
 public:
  TableHarvest(Settings settings, Emitter& out);
  ~TableHarvest();
  TableHarvest(const TableHarvest&) = delete;
  TableHarvest& operator=(const TableHarvest&) = delete;

  // Starts a table. `table` names it within the source ("plantilla.csv",
  // "plantilla.xlsx#Hoja1", "query"); `locator` is what a person follows
  // back ("file:///srv/rh/plantilla.csv"); `export_date` (ISO) is the date
  // of the export (the file's mtime, the query's time): a census's date,
  // and the date of every row when no occurred_on field is mapped.
  // `export_date_from` says where that date came from, as occurred_on_from
  // ("export:mtime", "export:query_time"; "export" when the reader does not
  // say); it is ignored while export_date is empty.
  void begin_table(std::string table, std::string locator, std::string export_date,
                   std::string export_date_from = "export");

  // The header row. Throws TableError naming every mapped header that is
  // missing (and the closest header present), so that a renamed column in a
  // view is one clear error, not a million quarantined rows. When the row
  // has only one non-empty cell and Settings::title_rows allows a title,
  // the error says that the row looks like a title and how to skip it.
  void header(const std::vector<std::string>& cells, std::uint64_t line);

  // A data row (`line` as a person would count it: the file's line, the
  // sheet's row number, the query's row ordinal). Blank rows are skipped.
  // A row with another number of cells than the header, a key with an empty
  // part, a malformed CURP (column named, value masked), a malformed RFC, or
  // a key already seen in this pass (both lines named) is quarantined alone.
  // An RFC whose check digit fails is kept, with a warning. Returns the
  // emitter's outcome (Quarantined for a refused row; Unchanged for a blank
  // row and for every row of a census, which are only counted).
  EmitOutcome row(const std::vector<std::string>& cells, std::uint64_t line);

  // A row the reader itself could not read (an unterminated quote, bytes
  // that are not text): quarantined with `reason`; the table goes on.
  void broken_row(std::uint64_t line, std::string_view reason);

  // Ends the current table. A census table emits its one item here: the
  // count of data rows and the export date, no people, no rows
  // (natural_key "census:<table>", version "<count>@<export_date>",
  // metadata count, table and as_of, occurred_on the export date with
  // export_date_from). Rows with another number of cells than
  // the header are not counted (one warning says how many). Throws
  // TableError when the table had no header row (an empty export).
  void end_table();

  // Ends the pass. When `complete` (every table of the source was read to
  // its end) the keys known from earlier passes and not seen in this one are
  // reported gone; otherwise nothing is (a missing file is not a fired staff).
  // Nothing is reported gone either when a table of the pass failed
  // (TableError, or begin_table/finish without end_table), when a row could
  // not be keyed (it may be a person still there), for a census, or when the
  // emitter cannot list its keys. Only "row:" keys are ever reported gone.
  Counts finish(bool complete);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sseccoe::sdk::table
