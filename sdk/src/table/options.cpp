// The options every tabular plugin shares, and the settings read from them.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "sseccoe/sdk/identity.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::sdk::table {

namespace {

constexpr OptionSpec kSharedOptions[] = {
    {"key", OptionType::StringList, "", true, false,
     "Record fields that identify a row, e.g. [\"employee_id\"] or [\"employee_id\", \"course\"]; each must be "
     "mapped in 'columns' (or be one of the headers it maps to). A row's natural key is \"row:\" and these "
     "fields' values; two rows with the same key in one pass are a duplicate and the second is quarantined. "
     "A census source only counts rows: write key = []"},
    {"columns", OptionType::StringMap, "", false, false,
     "Record field -> header in the export, e.g. { employee_id = \"No. Empleado\", name = \"Nombre\", curp = "
     "\"CURP\", occurred_on = \"Fecha de conclusion\", course = \"Curso\" }. Headers match without regard to "
     "case, accents or spaces. employee_id, name, curp and rfc become the row's person (CURP and RFC are "
     "checked); occurred_on is the evidence date (YYYY-MM-DD, DD/MM/YYYY or YYYY/MM/DD); any other field "
     "becomes metadata for rules. Columns not mapped here are never read"},
};

// Metadata names the harvest sets itself; a field of the same name would
// silently overwrite them (or be overwritten).
constexpr std::string_view kReserved[] = {"table", "line", "source_row"};

}  // namespace

std::span<const OptionSpec> shared_options() { return kSharedOptions; }

std::string fold_header(std::string_view header) { return identity::fold_text(header); }

Settings read_settings(const SourceConfig& config) {
  Settings s;
  s.instance = config.instance;
  s.role = config.role.empty() ? "evidence" : config.role;
  const std::string where = "source '" + s.instance + "': ";
  if (s.role != "evidence" && s.role != "census")
    throw std::invalid_argument(where + "role '" + s.role + "' is neither \"evidence\" nor \"census\"");
  if (config.options.has("columns")) s.columns = config.options.map("columns");
  if (config.options.has("key")) s.key = config.options.list("key");

  std::set<std::string> fields;
  for (const auto& [field, header] : s.columns) {
    if (field.empty()) throw std::invalid_argument(where + "option 'columns' has an empty field name");
    if (fold_header(header).empty())
      throw std::invalid_argument(where + "option 'columns' maps field '" + field +
                                  "' to an empty header: write the header as it appears in the export");
    if (std::find(std::begin(kReserved), std::end(kReserved), field) != std::end(kReserved))
      throw std::invalid_argument(where + "option 'columns' maps field '" + field +
                                  "', a name the row's metadata already uses (table, line, source_row): "
                                  "call the field something else");
    if (!fields.insert(field).second)
      throw std::invalid_argument(where + "option 'columns' maps field '" + field + "' twice");
  }

  // A census only counts rows: its key is never used.
  if (s.role == "census") return s;

  if (s.key.empty())
    throw std::invalid_argument(where + "option 'key' is empty: list the fields that identify a row, e.g. "
                                        "key = [\"employee_id\"] (mapped in 'columns')");
  std::vector<std::string> key;
  for (const auto& entry : s.key) {
    std::string field;
    if (fields.count(entry) != 0) {
      field = entry;
    } else {
      // The header itself is accepted for a field ("No. Empleado" for employee_id).
      for (const auto& [f, header] : s.columns)
        if (!entry.empty() && fold_header(header) == fold_header(entry)) field = f;
    }
    if (field.empty()) {
      std::string mapped;
      for (const auto& [f, header] : s.columns) mapped += (mapped.empty() ? "" : ", ") + f;
      throw std::invalid_argument(where + "option 'key' names '" + entry +
                                  "', which option 'columns' does not map: add it to 'columns' (e.g. columns = { " +
                                  (entry.empty() ? std::string("employee_id") : entry) +
                                  " = \"<header in the export>\" })" +
                                  (mapped.empty() ? std::string() : " or use one of the mapped fields: " + mapped));
    }
    if (std::find(key.begin(), key.end(), field) != key.end())
      throw std::invalid_argument(where + "option 'key' names field '" + field + "' twice");
    key.push_back(field);
  }
  s.key = std::move(key);
  return s;
}

}  // namespace sseccoe::sdk::table
