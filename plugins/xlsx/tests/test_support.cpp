#include "test_support.hpp"

#include "option_defaults.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "cell_ref.hpp"
#include "errors.hpp"
#include "workbook_reader.hpp"
#include "xlsx_options.hpp"

namespace fs = std::filesystem;

namespace sseccoe::xlsx::testing {

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/sseccoe-xlsx-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = fs::canonical(tmpl).string();
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

// ---- workbook XML ----------------------------------------------------------

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

std::string style_attr(int style) { return style < 0 ? "" : " s=\"" + std::to_string(style) + "\""; }

constexpr const char* kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kPkgRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";

}  // namespace

std::string c_str(const std::string& ref, std::string_view text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" + xml_escape(text) + "</t></is></c>";
}

std::string c_num(const std::string& ref, const std::string& value, int style) {
  return "<c r=\"" + ref + "\"" + style_attr(style) + "><v>" + value + "</v></c>";
}

std::string c_shared(const std::string& ref, std::size_t index, int style) {
  return "<c r=\"" + ref + "\"" + style_attr(style) + " t=\"s\"><v>" + std::to_string(index) + "</v></c>";
}

std::string c_bool(const std::string& ref, bool value) {
  return "<c r=\"" + ref + "\" t=\"b\"><v>" + (value ? "1" : "0") + "</v></c>";
}

std::string c_formula(const std::string& ref, const std::string& formula, const std::optional<std::string>& cached,
                      const std::string& type, int style) {
  std::string out = "<c r=\"" + ref + "\"" + style_attr(style) + (type.empty() ? "" : " t=\"" + type + "\"") +
                    "><f>" + xml_escape(formula) + "</f>";
  if (cached) out += "<v>" + xml_escape(*cached) + "</v>";
  return out + "</c>";
}

std::string row(std::uint64_t r, const std::string& cells) {
  return "<row r=\"" + std::to_string(r) + "\">" + cells + "</row>";
}

std::string sheet_xml(const std::string& rows, const std::string& after) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"") + kMainNs +
         "\" xmlns:r=\"" + kRelNs + "\"><dimension ref=\"A1\"/><sheetData>" + rows + "</sheetData>" + after +
         "</worksheet>";
}

std::string shared_strings_xml(const std::vector<std::string>& strings) {
  std::string out = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"") + kMainNs +
                    "\" count=\"" + std::to_string(strings.size()) + "\" uniqueCount=\"" +
                    std::to_string(strings.size()) + "\">";
  for (const auto& s : strings) out += "<si><t xml:space=\"preserve\">" + xml_escape(s) + "</t></si>";
  return out + "</sst>";
}

std::string standard_styles() {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<styleSheet xmlns=\"") + kMainNs +
         "\"><numFmts count=\"4\">"
         "<numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
         "<numFmt numFmtId=\"165\" formatCode=\"[h]:mm\"/>"
         "<numFmt numFmtId=\"166\" formatCode=\"000000\"/>"
         "<numFmt numFmtId=\"167\" formatCode=\"0.00E+00\"/>"
         "</numFmts>"
         "<fonts count=\"1\"><font><sz val=\"11\"/></font></fonts>"
         // Named styles' formats must not be taken for cell formats.
         "<cellStyleXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellStyleXfs>"
         "<cellXfs count=\"8\">"
         "<xf numFmtId=\"0\" fontId=\"0\"/>"
         "<xf numFmtId=\"14\" applyNumberFormat=\"1\"/>"
         "<xf numFmtId=\"164\" applyNumberFormat=\"1\"/>"
         "<xf numFmtId=\"165\" applyNumberFormat=\"1\"/>"
         "<xf numFmtId=\"20\" applyNumberFormat=\"1\"/>"
         "<xf numFmtId=\"166\" applyNumberFormat=\"1\"/>"
         "<xf numFmtId=\"167\" applyNumberFormat=\"1\"/>"
         "<xf numFmtId=\"22\" applyNumberFormat=\"1\"/>"
         "</cellXfs>"
         // A differential format's numFmt (conditional formatting) is not a cell format.
         "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"164\" formatCode=\"General\"/></dxf></dxfs>"
         "</styleSheet>";
}

std::vector<std::string> write_workbook(const std::string& path, const WorkbookSpec& spec) {
  std::vector<std::pair<std::string, std::string>> entries;
  entries.emplace_back("[Content_Types].xml",
                       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
                       "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"></Types>");
  entries.emplace_back("_rels/.rels", std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"") +
                                          kPkgRelNs + "\"><Relationship Id=\"rId1\" Type=\"" + kRelNs +
                                          "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
  std::string wb = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"") + kMainNs +
                   "\" xmlns:r=\"" + kRelNs + "\"><workbookPr" + (spec.date1904 ? " date1904=\"1\"" : "") +
                   "/><sheets>";
  std::string rels = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"") + kPkgRelNs + "\">";
  for (std::size_t i = 0; i < spec.sheets.size(); ++i) {
    const std::string id = "rId" + std::to_string(i + 1);
    wb += "<sheet name=\"" + xml_escape(spec.sheets[i].name) + "\" sheetId=\"" + std::to_string(i + 1) +
          "\" r:id=\"" + id + "\"/>";
    const std::string folder = spec.sheets[i].kind == "worksheet" ? "worksheets" : spec.sheets[i].kind + "s";
    rels += "<Relationship Id=\"" + id + "\" Type=\"" + kRelNs + "/" + spec.sheets[i].kind + "\" Target=\"" +
            folder + "/sheet" + std::to_string(i + 1) + ".xml\"/>";
  }
  wb += "</sheets></workbook>";
  if (spec.styles) rels += std::string("<Relationship Id=\"rIdS\" Type=\"") + kRelNs + "/styles\" Target=\"styles.xml\"/>";
  if (spec.shared_strings)
    rels += std::string("<Relationship Id=\"rIdT\" Type=\"") + kRelNs + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
  rels += "</Relationships>";
  entries.emplace_back("xl/workbook.xml", wb);
  entries.emplace_back("xl/_rels/workbook.xml.rels", rels);
  if (spec.styles) entries.emplace_back("xl/styles.xml", *spec.styles);
  if (spec.shared_strings) entries.emplace_back("xl/sharedStrings.xml", *spec.shared_strings);
  for (std::size_t i = 0; i < spec.sheets.size(); ++i) {
    const std::string folder = spec.sheets[i].kind == "worksheet" ? "worksheets" : spec.sheets[i].kind + "s";
    entries.emplace_back("xl/" + folder + "/sheet" + std::to_string(i + 1) + ".xml", spec.sheets[i].xml);
  }
  for (const auto& e : spec.extra_entries) entries.push_back(e);

  ZipWriter zip(path);
  std::vector<std::string> names;
  for (const auto& [name, data] : entries) {
    auto it = spec.options.find(name);
    zip.add(name, data, it == spec.options.end() ? EntryOptions{} : it->second);
    names.push_back(name);
  }
  if (spec.finish) zip.finish();
  return names;
}

std::string noise(std::size_t n) {
  std::string out(n, 'a');
  std::uint64_t x = 88172645463325252ull;  // xorshift64
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>('a' + x % 26);
  }
  return out;
}

std::string simple_sheet(const std::vector<std::vector<std::string>>& rows) {
  std::string xml;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string cells;
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      if (!rows[r][c].empty()) cells += c_str(cell_name(static_cast<std::uint32_t>(c), r + 1), rows[r][c]);
    xml += row(r + 1, cells);
  }
  return sheet_xml(xml);
}

// ---- reading ---------------------------------------------------------------

Collected read_rows(const std::string& path, const std::string& sheet) {
  WorkbookReader reader(path, ReaderLimits{});
  RowCollector rows;
  std::stop_source never;
  reader.read(reader.sheet(sheet), rows, never.get_token());
  return rows.got;
}

std::string read_error(const std::string& path, const std::string& sheet, Collected* partial) {
  RowCollector rows;
  try {
    WorkbookReader reader(path, ReaderLimits{});
    std::stop_source never;
    reader.read(reader.sheet(sheet), rows, never.get_token());
  } catch (const XlsxError& e) {
    if (partial != nullptr) *partial = rows.got;
    return e.what();
  }
  if (partial != nullptr) *partial = rows.got;
  return {};
}

// ---- emitters --------------------------------------------------------------

sdk::EmitResult FakeEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) {
  if (on_emit) on_emit(item);
  Emitted e{item, sdk::EmitOutcome::New};
  if (auto it = store.find(item.natural_key); it != store.end())
    e.outcome = it->second == item.version ? sdk::EmitOutcome::Unchanged : sdk::EmitOutcome::Changed;
  store[item.natural_key] = item.version;
  emitted.push_back(e);
  return {e.outcome, "ev-test", {}};
}

void FakeEmitter::quarantine(std::string_view key, std::string_view reason, std::string_view locator) {
  quarantined.push_back({std::string(key), std::string(reason), std::string(locator)});
}

std::optional<sdk::KnownItem> FakeEmitter::known(std::string_view key) {
  auto it = store.find(key);
  if (it == store.end()) return std::nullopt;
  return sdk::KnownItem{it->second, {}};
}

void FakeEmitter::gone(std::string_view key) {
  gone_keys.emplace_back(key);
  store.erase(std::string(key));
}

void FakeEmitter::log(sdk::LogLevel level, std::string_view message) { logs.emplace_back(level, std::string(message)); }

bool FakeEmitter::for_each_known(const std::function<void(std::string_view)>& visit) {
  for (const auto& [key, _] : store) visit(key);
  return true;
}

void FakeEmitter::clear_pass() {
  emitted.clear();
  quarantined.clear();
  gone_keys.clear();
  logs.clear();
}

const Emitted* FakeEmitter::find(const std::string& key) const {
  for (const auto& e : emitted)
    if (e.item.natural_key == key) return &e;
  return nullptr;
}

const Quarantined* FakeEmitter::find_quarantine(const std::string& key) const {
  for (const auto& q : quarantined)
    if (q.key == key) return &q;
  return nullptr;
}

std::set<std::string> FakeEmitter::keys() const {
  std::set<std::string> out;
  for (const auto& e : emitted) out.insert(e.item.natural_key);
  return out;
}

bool FakeEmitter::logged(const std::string& fragment) const {
  for (const auto& [level, message] : logs)
    if (message.find(fragment) != std::string::npos) return true;
  return false;
}

std::string FakeEmitter::all_logs() const {
  std::string out;
  for (const auto& [level, message] : logs) out += message + "\n";
  return out;
}

sdk::EmitResult CountingEmitter::emit(const sdk::Item& item, const std::optional<sdk::Cursor>&) {
  ++emitted;
  last_key = item.natural_key;
  last_occurred_on = item.occurred_on;
  if (!item.people.empty()) ++with_person;
  return {sdk::EmitOutcome::New, "ev-test", {}};
}

void CountingEmitter::quarantine(std::string_view, std::string_view reason, std::string_view) {
  if (quarantined++ == 0) first_quarantine = reason;
}

// ---- options ---------------------------------------------------------------


sdk::OptionValues default_options(const std::string& path, std::vector<std::string> key, sdk::StringPairs columns) {
  sdk::OptionValues v;
  for (const auto& spec : option_table())
    if (!spec.default_value.empty())
      v.set(std::string(spec.name), parse_default(spec.type, std::string(spec.default_value)));
  v.set("path", path);
  v.set("key", std::move(key));
  v.set("columns", std::move(columns));
  v.set("settle", std::int64_t{0});  // tests write files just before reading them
  return v;
}

sdk::SourceConfig config_for(const std::string& path, std::vector<std::string> key, sdk::StringPairs columns,
                             const std::string& instance) {
  sdk::SourceConfig c;
  c.instance = instance;
  c.institution = "INM";
  c.options = default_options(path, std::move(key), std::move(columns));
  return c;
}

std::uint64_t peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  return 0;
}

}  // namespace sseccoe::xlsx::testing
