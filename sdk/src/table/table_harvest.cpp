// One pass over a tabular source: rows in, items (or one census count) out.
#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>

#include "cells.hpp"
#include "dates.hpp"
#include "header_binding.hpp"
#include "key_set.hpp"
#include "sha256.hpp"
#include "sseccoe/sdk/identity.hpp"
#include "sseccoe/sdk/table.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::sdk::table {

namespace {

using detail::Binding;
using detail::FieldRole;

// RFC check-digit warnings are logged one by one up to this many per table,
// then counted: a legacy export where every RFC fails must not flood the log.
constexpr std::uint64_t kRfcWarningsPerTable = 20;

// A location in the pass that needs no table name in the key set: lines of
// later tables are shifted past those of earlier ones (see Impl::base).
constexpr std::uint32_t kUnknownLocation = std::numeric_limits<std::uint32_t>::max();

// The first C0 control character in `cell` that no text holds (0x00-0x1F but
// tab, CR and LF, which a cell may hold), or -1.
int first_control(std::string_view cell) {
  for (const char ch : cell) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') return c;
  }
  return -1;
}

// "0x00 (NUL)": a control character as an operator can look it up.
std::string control_name(int c) {
  static constexpr const char* kNames[32] = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
                                             "BS",  "HT",  "LF",  "VT",  "FF",  "CR",  "SO",  "SI",
                                             "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
                                             "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "0x";
  out += kHex[(c >> 4) & 0xF];
  out += kHex[c & 0xF];
  if (c >= 0 && c < 32) out += std::string(" (") + kNames[c] + ")";
  return out;
}

// A refused date as an operator message shows it. A date is digits and
// separators; a cell with several letters is more likely a misplaced name
// (occurred_on mapped to the wrong column), so its letters are masked:
// "mayo 2021" is shown as "xxxx 2021", "Lucía Pérez" as "xxxxx xxxxx".
std::string shown_date(std::string_view cell) {
  std::string v = detail::for_message(cell, 40);
  std::size_t letters = 0;
  for (char32_t cp : utf8::code_points(v)) letters += (cp >= 0x80 || std::isalpha(static_cast<int>(cp))) ? 1 : 0;
  if (letters < 3) return v;
  std::string masked;
  for (char32_t cp : utf8::code_points(v)) {
    if (cp >= 0x80 || std::isalpha(static_cast<int>(cp))) masked += 'x';
    else utf8::append(masked, cp);
  }
  return masked;
}

}  // namespace

struct TableHarvest::Impl {
  enum class State { Idle, Open, Bound, Failed, Finished };

  struct TableSpan {
    std::uint64_t base;  // first pass location of this table
    std::string name;
  };

  Impl(Settings s, Emitter& e) : settings(std::move(s)), out(e), census(settings.role == "census") {
    if (settings.role != "evidence" && settings.role != "census")
      throw std::invalid_argument("source '" + settings.instance + "': role '" + settings.role +
                                  "' is neither \"evidence\" nor \"census\"");
    if (census) return;
    if (settings.key.empty())
      throw std::invalid_argument("source '" + settings.instance + "': option 'key' is empty");
    for (const auto& k : settings.key) {
      const bool mapped = std::any_of(settings.columns.begin(), settings.columns.end(),
                                      [&](const auto& c) { return c.first == k; });
      if (!mapped)
        throw std::invalid_argument("source '" + settings.instance + "': option 'key' names field '" + k +
                                    "', which option 'columns' does not map");
    }
  }

  Settings settings;
  Emitter& out;
  const bool census;

  // The pass.
  State state = State::Idle;
  Counts counts;
  detail::KeySet seen;
  detail::Sha256 sha;
  std::vector<TableSpan> spans;
  std::uint64_t next_base = 0;
  std::string unreadable;          // the first table that could not be read, if any
  std::uint64_t unkeyed = 0;       // rows refused before their key was known

  // The current table.
  std::string table, locator, export_date, export_date_from, where;
  Binding binding;
  bool dated_by_export = false;    // no occurred_on field is mapped: rows take export_date
  std::uint64_t base = 0;
  std::uint64_t max_line = 0;
  std::uint64_t census_rows = 0, census_ragged = 0;
  // A census's people on their way to the people register, a batch at a time
  // so that memory stays flat whatever the staff's size.
  static constexpr std::size_t kCensusPeopleBatch = 1000;
  std::vector<Person> census_people;
  std::uint64_t rfc_warnings = 0;
  std::uint64_t control_rows = 0, first_control_line = 0;
  int first_control_code = 0;

  void require(bool ok, const char* call) const {
    if (!ok) throw std::logic_error(std::string("TableHarvest::") + call + " called out of order");
  }

  std::string line_locator(std::uint64_t line) const { return locator + "#line=" + std::to_string(line); }

  // A row with no usable key is quarantined under its position: the table is
  // part of it, so that line 5 of two sheets are two entries.
  std::string line_key(std::uint64_t line) const { return "line:" + table + "#" + std::to_string(line); }

  void seen_line(std::uint64_t line) { max_line = std::max(max_line, line); }

  std::uint32_t location(std::uint64_t line) const {
    const std::uint64_t loc = base + line;
    return loc < kUnknownLocation && loc >= base ? static_cast<std::uint32_t>(loc) : kUnknownLocation;
  }

  // "line 3" or "line 3 of plantilla.xlsx#Hoja1" for a location of the pass.
  std::string describe(std::uint32_t loc) const {
    if (loc == kUnknownLocation) return "an earlier line";
    const auto it = std::upper_bound(spans.begin(), spans.end(), std::uint64_t{loc},
                                     [](std::uint64_t v, const TableSpan& t) { return v < t.base; });
    if (it == spans.begin()) return "an earlier line";
    const TableSpan& t = *(it - 1);
    const std::string line = "line " + std::to_string(loc - t.base);
    return &t == &spans.back() ? line : line + " of '" + t.name + "'";
  }

  EmitOutcome refuse(const std::string& key, std::uint64_t line, const std::string& reason) {
    out.quarantine(key, reason, line_locator(line));
    ++counts.quarantined;
    return EmitOutcome::Quarantined;
  }

  EmitOutcome refuse_unkeyed(std::uint64_t line, const std::string& reason) {
    ++unkeyed;
    return refuse(line_key(line), line, reason);
  }

  void begin_table(std::string t, std::string l, std::string date, std::string date_from) {
    require(state != State::Finished, "begin_table");
    if (!date.empty() && !identity::is_iso_date(date))
      throw std::invalid_argument("TableHarvest::begin_table: export date '" + detail::for_message(date, 40) +
                                  "' is not YYYY-MM-DD");
    if (state == State::Open || state == State::Bound) abandon();
    // The table's name goes into keys and metadata, which must be text: a
    // file name in another encoding keeps its readable part.
    table = utf8::is_valid(t) ? std::move(t) : detail::for_message(t, t.size());
    locator = std::move(l);
    export_date = std::move(date);
    export_date_from = date_from.empty() ? std::string("export") : std::move(date_from);
    where = "source '" + settings.instance + "', table '" + table + "'";
    binding = {};
    base = next_base;
    max_line = 0;
    census_rows = census_ragged = rfc_warnings = 0;
    control_rows = first_control_line = 0;
    first_control_code = 0;
    dated_by_export = false;
    spans.push_back({base, table});
    state = State::Open;
    // A table's rows are many small items: the core commits them together
    // (every few hundred milliseconds) instead of one fsync per row.
    out.batch_begin();
  }

  // A table left without end_table (the reader failed half-way): nothing
  // of it is counted as a census, and no key may be reported gone.
  void abandon() {
    if (unreadable.empty()) unreadable = table;
    close();
  }

  void close() {
    warn_controls();
    next_base = base + max_line + 1;
    state = State::Idle;
    out.batch_end();
  }

  void header(const std::vector<std::string>& cells, std::uint64_t line) {
    require(state == State::Open, "header");
    seen_line(line);
    try {
      binding = detail::bind_header(settings, cells, line, where);
    } catch (const TableError&) {
      state = State::Failed;
      if (unreadable.empty()) unreadable = table;
      throw;
    }
    dated_by_export = std::none_of(binding.fields.begin(), binding.fields.end(),
                                   [](const detail::BoundField& f) { return f.role == FieldRole::OccurredOn; });
    state = State::Bound;
  }

  // One warning per table for the rows refused for control characters: a
  // mis-encoded export would otherwise log a million lines.
  void warn_controls() {
    if (control_rows == 0) return;
    out.log(LogLevel::Warn,
            where + ": " + std::to_string(control_rows) + (control_rows == 1 ? " row holds" : " rows hold") +
                " control characters (bytes 0x00-0x1F other than tab, CR and LF), the first at line " +
                std::to_string(first_control_line) + " (" + control_name(first_control_code) +
                "); such rows are quarantined. The export is mis-encoded (UTF-16 read as 8-bit text?) or holds "
                "binary junk: export it again as UTF-8 text");
    control_rows = 0;
  }

  EmitOutcome row(const std::vector<std::string>& cells, std::uint64_t line) {
    require(state == State::Bound, "row");
    seen_line(line);
    if (detail::is_blank_row(cells)) return EmitOutcome::Unchanged;
    ++counts.rows;
    if (census) {
      const bool whole = cells.size() == binding.width;
      ++(whole ? census_rows : census_ragged);
      if (whole) remember_census_person(cells);
      return EmitOutcome::Unchanged;
    }
    if (cells.size() != binding.width)
      return refuse_unkeyed(line, "line " + std::to_string(line) + " has " + std::to_string(cells.size()) +
                                      " fields, the header has " + std::to_string(binding.width));

    // The mapped cells, trimmed and in NFC, in the order of `columns`.
    std::vector<std::string> values;
    values.reserve(binding.fields.size());
    for (const auto& f : binding.fields) {
      const std::string_view cell = detail::trim(cells[f.column]);
      if (!utf8::is_valid(cell))
        return refuse_unkeyed(line, "line " + std::to_string(line) + ", column \"" + f.header +
                                        "\": the cell is not UTF-8 text (the reader should have converted it)");
      if (const int c = first_control(cell); c >= 0) {
        if (control_rows++ == 0) first_control_line = line, first_control_code = c;
        return refuse_unkeyed(line, "line " + std::to_string(line) + ", column \"" + f.header +
                                        "\": the cell holds the control character " + control_name(c) +
                                        ", which no text has (a mis-encoded export, or binary junk); the cell "
                                        "is not shown, it may be personal data");
      }
      std::string v = utf8::nfc(cell);
      if (f.role == FieldRole::Curp) v = identity::canonical_curp(v);
      if (f.role == FieldRole::Rfc) v = identity::canonical_rfc(v);
      values.push_back(std::move(v));
    }

    std::vector<std::string> parts;
    parts.reserve(binding.key.size());
    for (std::size_t k : binding.key) {
      if (values[k].empty())
        return refuse_unkeyed(line, "line " + std::to_string(line) + ": the key field '" + binding.fields[k].field +
                                        "' (column \"" + binding.fields[k].header + "\") is empty");
      parts.push_back(values[k]);
    }
    const std::string key = detail::row_key(parts);
    // Taken before the other checks: a key belongs to its first line even
    // when that line is refused for a bad CURP.
    if (auto first = seen.insert(sha.digest64(key), location(line)))
      return refuse(key, line, "duplicate key (" + describe(*first) + " and line " + std::to_string(line) + ")");

    Item item;
    Person person;
    for (std::size_t i = 0; i < binding.fields.size(); ++i) {
      const auto& f = binding.fields[i];
      const std::string& v = values[i];
      const std::string at = "line " + std::to_string(line) + ", column \"" + f.header + "\": ";
      switch (f.role) {
        case FieldRole::Curp:
          if (!v.empty()) {
            if (auto err = identity::curp_error(v); !err.empty())
              return refuse(key, line, at + "malformed CURP " + identity::mask_curp(v) + ": " + err);
          }
          person.curp = v;
          break;
        case FieldRole::Rfc:
          if (!v.empty()) {
            if (auto err = identity::rfc_error(v); !err.empty())
              return refuse(key, line, at + "malformed RFC " + identity::mask_rfc(v) + ": " + err);
            if (!identity::rfc_check_digit_ok(v) && ++rfc_warnings <= kRfcWarningsPerTable)
              out.log(LogLevel::Warn, where + ", " + at + "the RFC " + identity::mask_rfc(v) +
                                          " fails its check digit; the row is kept (about 1.5% of the RFCs in "
                                          "use do), but check it against the person's tax certificate");
          }
          person.rfc = v;
          break;
        case FieldRole::Name: person.name = v; break;
        case FieldRole::EmployeeId: person.employee_id = v; break;
        case FieldRole::OccurredOn:
          if (!v.empty()) {
            auto date = detail::to_iso_date(v);
            if (!date)
              return refuse(key, line, at + "\"" + shown_date(v) + "\" is not a date: write " +
                                           std::string(detail::kDateForms));
            item.occurred_on = std::move(*date);
            item.occurred_on_from = "column:" + f.header;
          }
          item.metadata[f.field] = v;
          break;
        case FieldRole::Other: item.metadata[f.field] = v; break;
      }
    }

    // The change token covers every mapped cell (people included) and
    // nothing positional: a row that only moved is unchanged.
    sha.begin();
    sha.update("sseccoe-table-row/1");
    for (std::size_t i = 0; i < binding.fields.size(); ++i) {
      sha.update(std::string_view("\0", 1));
      sha.update(binding.fields[i].field);
      sha.update(std::string_view("\0", 1));
      sha.update(values[i]);
    }
    // A row dated by its export: the date itself stays out of the version
    // (a re-export with a newer mtime and the same cells is unchanged), but
    // the fact does not, so that a row an older agent stored undated is
    // revised once and gets its date. No field name holds a NUL.
    if (dated_by_export && !export_date.empty()) {
      sha.update(std::string_view("\0\0", 2));
      sha.update("dated-by-export");
      item.occurred_on = export_date;
      item.occurred_on_from = export_date_from;
    }
    item.version = detail::Sha256::hex(sha.end());
    item.natural_key = key;
    item.locator = line_locator(line);
    item.metadata["table"] = table;
    item.metadata["line"] = std::to_string(line);
    item.metadata["source_row"] = table + "#line=" + std::to_string(line);
    if (!person.name.empty() || !person.curp.empty() || !person.rfc.empty() || !person.employee_id.empty())
      item.people.push_back(std::move(person));
    ++counts.emitted;
    return out.emit(item).outcome;
  }

  void broken_row(std::uint64_t line, std::string_view reason) {
    require(state == State::Open || state == State::Bound, "broken_row");
    seen_line(line);
    ++counts.rows;
    refuse_unkeyed(line, "line " + std::to_string(line) + ": " + std::string(reason));
  }

  void end_table() {
    require(state == State::Open || state == State::Bound || state == State::Failed, "end_table");
    if (state == State::Failed) return close();
    if (state == State::Open) {
      abandon();
      throw TableError(where + ": no header row, the export is empty; nothing of it is harvested");
    }
    if (rfc_warnings > kRfcWarningsPerTable)
      out.log(LogLevel::Warn, where + ": " + std::to_string(rfc_warnings - kRfcWarningsPerTable) +
                                  " more RFCs fail their check digit (the first " +
                                  std::to_string(kRfcWarningsPerTable) + " are logged above); the rows are kept");
    if (census) emit_census();
    close();
  }

  // A census row's person, for the people register only (Emitter::
  // people_seen): never an item, never sent. A cell that is not clean text
  // or a malformed CURP leaves that part out; nothing is refused, since a
  // census only counts.
  void remember_census_person(const std::vector<std::string>& cells) {
    Person p;
    for (const auto& f : binding.fields) {
      if (f.role == FieldRole::Other || f.role == FieldRole::OccurredOn) continue;
      const std::string_view cell = detail::trim(cells[f.column]);
      if (cell.empty() || !utf8::is_valid(cell) || first_control(cell) >= 0) continue;
      std::string v = utf8::nfc(cell);
      switch (f.role) {
        case FieldRole::Name: p.name = std::move(v); break;
        case FieldRole::EmployeeId: p.employee_id = std::move(v); break;
        case FieldRole::Curp:
          v = identity::canonical_curp(v);
          if (identity::curp_error(v).empty()) p.curp = std::move(v);
          break;
        case FieldRole::Rfc:
          v = identity::canonical_rfc(v);
          if (identity::rfc_error(v).empty()) p.rfc = std::move(v);
          break;
        default: break;
      }
    }
    if (p.name.empty() && p.curp.empty() && p.employee_id.empty()) return;
    census_people.push_back(std::move(p));
    if (census_people.size() >= kCensusPeopleBatch) flush_census_people();
  }

  void flush_census_people() {
    if (census_people.empty()) return;
    out.people_seen(census_people);
    census_people.clear();
  }

  void emit_census() {
    flush_census_people();
    if (census_ragged > 0)
      out.log(LogLevel::Warn, where + ": " + std::to_string(census_ragged) +
                                  " rows have another number of fields than the header and are not counted");
    Item item;
    item.natural_key = "census:" + table;
    item.version = std::to_string(census_rows) + "@" + export_date;
    item.metadata["count"] = std::to_string(census_rows);
    item.metadata["table"] = table;
    item.metadata["as_of"] = export_date;
    item.occurred_on = export_date;
    if (!export_date.empty()) item.occurred_on_from = export_date_from;
    item.locator = locator;
    ++counts.emitted;
    out.emit(item);
  }

  Counts finish(bool complete) {
    require(state != State::Finished, "finish");
    if (state == State::Open || state == State::Bound) abandon();
    state = State::Finished;
    if (census || !complete) return counts;
    if (!unreadable.empty()) {
      out.log(LogLevel::Info, "source '" + settings.instance + "': table '" + unreadable +
                                  "' could not be read to its end, so no row is reported gone in this pass");
      return counts;
    }
    if (unkeyed > 0) {
      out.log(LogLevel::Warn, "source '" + settings.instance + "': " + std::to_string(unkeyed) +
                                  " rows could not be keyed (see the quarantine), so no row is reported gone in "
                                  "this pass: one of them may be a row that is still there");
      return counts;
    }
    // Collected first: `visit` must not call back into the emitter.
    std::vector<std::string> gone;
    const bool listed = out.for_each_known([&](std::string_view key) {
      if (key.starts_with("row:") && !seen.contains(sha.digest64(key))) gone.emplace_back(key);
    });
    if (!listed) return counts;
    for (const auto& key : gone) {
      out.gone(key);
      ++counts.gone;
    }
    return counts;
  }
};

TableHarvest::TableHarvest(Settings settings, Emitter& out) : impl_(std::make_unique<Impl>(std::move(settings), out)) {}
TableHarvest::~TableHarvest() = default;

void TableHarvest::begin_table(std::string table, std::string locator, std::string export_date,
                               std::string export_date_from) {
  impl_->begin_table(std::move(table), std::move(locator), std::move(export_date), std::move(export_date_from));
}
void TableHarvest::header(const std::vector<std::string>& cells, std::uint64_t line) { impl_->header(cells, line); }
EmitOutcome TableHarvest::row(const std::vector<std::string>& cells, std::uint64_t line) {
  return impl_->row(cells, line);
}
void TableHarvest::broken_row(std::uint64_t line, std::string_view reason) { impl_->broken_row(line, reason); }
void TableHarvest::end_table() { impl_->end_table(); }
Counts TableHarvest::finish(bool complete) { return impl_->finish(complete); }

}  // namespace sseccoe::sdk::table
