// Test doubles for the xlsx plugin: workbooks written by the tests
// themselves (no binary fixture), a row collector, emitters that behave like
// the core, and the plugin's option defaults as the core would pass them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sheet_reader.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/options.hpp"
#include "sseccoe/sdk/source.hpp"
#include "zip_writer.hpp"
#include "option_defaults.hpp"

namespace sseccoe::xlsx::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// ---- workbook XML ----------------------------------------------------------

std::string xml_escape(std::string_view s);
// <c r="A1" t="inlineStr"><is><t>text</t></is></c>
std::string c_str(const std::string& ref, std::string_view text);
// <c r="A1" s="style"><v>value</v></c> (style -1: none)
std::string c_num(const std::string& ref, const std::string& value, int style = -1);
std::string c_shared(const std::string& ref, std::size_t index, int style = -1);
std::string c_bool(const std::string& ref, bool value);
// A formula cell with a cached value (`type` is the t attribute: "", "str", "b", "e").
std::string c_formula(const std::string& ref, const std::string& formula, const std::optional<std::string>& cached,
                      const std::string& type = "", int style = -1);
std::string row(std::uint64_t r, const std::string& cells);
// A worksheet whose <sheetData> holds `rows`; `after` follows </sheetData> (mergeCells, ...).
std::string sheet_xml(const std::string& rows, const std::string& after = "");
std::string shared_strings_xml(const std::vector<std::string>& strings);

// Cell styles of standard_styles(), by index into <cellXfs>.
enum Style : int {
  kGeneral = 0,
  kDateBuiltin = 1,   // numFmtId 14 (m/d/yyyy)
  kDateCustom = 2,    // "dd/mm/yyyy"
  kElapsed = 3,       // "[h]:mm"
  kTime = 4,          // built-in 20 (h:mm)
  kZeroPadded = 5,    // "000000"
  kScientific = 6,    // "0.00E+00"
  kDateTime = 7,      // built-in 22 (m/d/yyyy h:mm)
};
std::string standard_styles();

struct SheetSpec {
  std::string name;
  std::string xml;
  std::string kind = "worksheet";  // the relationship type's last word
};

struct WorkbookSpec {
  std::vector<SheetSpec> sheets;
  std::optional<std::string> shared_strings;  // xl/sharedStrings.xml
  std::optional<std::string> styles = standard_styles();
  bool date1904 = false;
  std::map<std::string, EntryOptions> options;  // by entry name
  std::vector<std::pair<std::string, std::string>> extra_entries;  // appended as they are
  bool finish = true;  // false: no central directory (a file cut short)
};

// Writes an XLSX package; returns the entry names in the order written.
std::vector<std::string> write_workbook(const std::string& path, const WorkbookSpec& spec);

// `n` letters that deflate poorly (a big cell must not look like a bomb).
std::string noise(std::size_t n);

// One sheet of rows given as cell vectors (inline strings; "" leaves a gap).
std::string simple_sheet(const std::vector<std::vector<std::string>>& rows);

// ---- reading ---------------------------------------------------------------

struct Collected {
  std::vector<std::pair<std::uint64_t, std::vector<std::string>>> rows;
  std::vector<std::pair<std::uint64_t, std::string>> broken;
};

class RowCollector final : public RowSink {
 public:
  void row(std::uint64_t line, std::span<const std::string> cells) override {
    got.rows.emplace_back(line, std::vector<std::string>(cells.begin(), cells.end()));
  }
  void broken_row(std::uint64_t line, std::string_view reason) override {
    got.broken.emplace_back(line, std::string(reason));
  }
  Collected got;
};

// Reads sheet `spec` of `path` with default limits; throws what the reader throws.
Collected read_rows(const std::string& path, const std::string& sheet = "1");
// The XlsxError message reading `path` produces, or "" when it reads.
std::string read_error(const std::string& path, const std::string& sheet = "1", Collected* partial = nullptr);

// ---- emitters --------------------------------------------------------------

struct Emitted {
  sdk::Item item;
  sdk::EmitOutcome outcome = sdk::EmitOutcome::New;
};

struct Quarantined {
  std::string key, reason, locator;
};

// Behaves like the core for a table: an item without contents is unchanged
// when its version is the stored one.
class FakeEmitter : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) override;
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override;
  std::optional<sdk::KnownItem> known(std::string_view key) override;
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view key) override;
  void log(sdk::LogLevel level, std::string_view message) override;
  bool for_each_known(const std::function<void(std::string_view)>& visit) override;

  void clear_pass();
  const Emitted* find(const std::string& key) const;
  const Quarantined* find_quarantine(const std::string& key) const;
  std::set<std::string> keys() const;
  bool logged(const std::string& fragment) const;
  std::string all_logs() const;

  std::map<std::string, std::string, std::less<>> store;  // key -> version
  std::vector<Emitted> emitted;
  std::vector<Quarantined> quarantined;
  std::vector<std::string> gone_keys;
  std::vector<std::pair<sdk::LogLevel, std::string>> logs;
  std::function<void(const sdk::Item&)> on_emit;  // may throw, like the core's disk-full guard
};

// Counts and forgets: for the million-row test, where keeping items would
// measure the test, not the reader.
class CountingEmitter : public sdk::Emitter {
 public:
  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) override;
  void quarantine(std::string_view, std::string_view reason, std::string_view) override;
  std::optional<sdk::KnownItem> known(std::string_view) override { return std::nullopt; }
  void checkpoint(const sdk::Cursor&) override {}
  void gone(std::string_view) override {}
  void log(sdk::LogLevel, std::string_view) override {}

  std::uint64_t emitted = 0;
  std::uint64_t quarantined = 0;
  std::string first_quarantine;
  std::string last_key, last_occurred_on;
  std::uint64_t with_person = 0;
};

// ---- options ---------------------------------------------------------------

// Option-table defaults parsed by the agent's own configuration code.
using sseccoe::testing::parse_default;
// Every default of the plugin's table plus path, key and columns.
sdk::OptionValues default_options(const std::string& path, std::vector<std::string> key, sdk::StringPairs columns);
sdk::SourceConfig config_for(const std::string& path, std::vector<std::string> key, sdk::StringPairs columns,
                             const std::string& instance = "rh");

// Peak resident memory of this process (VmHWM), in bytes.
std::uint64_t peak_rss();

}  // namespace sseccoe::xlsx::testing
