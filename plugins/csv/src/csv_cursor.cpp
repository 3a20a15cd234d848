#include "csv_cursor.hpp"

#include <nlohmann/json.hpp>

namespace sseccoe::csv {

CsvCursor CsvCursor::parse(const sdk::Cursor& cursor) {
  CsvCursor c;
  if (cursor.empty()) return c;
  const nlohmann::json j = nlohmann::json::parse(cursor.value, nullptr, false);
  if (!j.is_object() || j.value("v", 0) != 1) return c;
  const auto settings = j.find("settings");
  const auto files = j.find("files");
  if (settings == j.end() || !settings->is_string() || files == j.end() || !files->is_object()) return c;
  for (const auto& [path, version] : files->items()) {
    if (!version.is_string()) return {};
    c.files[path] = version.get<std::string>();
  }
  c.settings = settings->get<std::string>();
  return c;
}

sdk::Cursor CsvCursor::dump() const {
  nlohmann::json j = {{"v", 1}, {"settings", settings}, {"files", nlohmann::json::object()}};
  for (const auto& [path, version] : files) j["files"][path] = version;
  // A path that is not UTF-8 is written with U+FFFD: such a file is then
  // simply read again each pass, never mistaken for another.
  return sdk::Cursor{j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace sseccoe::csv
