#include "harvest_cursor.hpp"

#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace sseccoe::xlsx {

namespace {

// FNV-1a, 64 bits: stable across builds and machines (std::hash is not
// promised to be), and collisions here only cost a re-read.
struct Fnv {
  std::uint64_t h = 14695981039346656037ull;
  void add(std::string_view s) {
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    h = (h ^ 0xFF) * 1099511628211ull;  // a separator no text byte can fake
  }
};

}  // namespace

HarvestCursor HarvestCursor::parse(const std::string& value) {
  HarvestCursor out;
  if (value.empty()) return out;
  const auto j = nlohmann::json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1) return out;
  if (auto s = j.find("settings"); s != j.end() && s->is_string()) out.settings = s->get<std::string>();
  const auto files = j.find("files");
  if (files == j.end() || !files->is_object()) return out;
  for (const auto& [path, stamp] : files->items())
    if (stamp.is_string()) out.files[path] = stamp.get<std::string>();
  return out;
}

std::string HarvestCursor::dump() const {
  nlohmann::json j;
  j["v"] = 1;
  j["settings"] = settings;
  j["files"] = nlohmann::json::object();
  for (const auto& [path, stamp] : files) j["files"][path] = stamp;
  // Keys are percent-encoded locators (ASCII); replace only guards the
  // format against a caller that breaks that rule.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string settings_fingerprint(const XlsxSettings& s, const sdk::table::Settings& t) {
  Fnv f;
  f.add("xlsx-settings/1");
  f.add(s.sheet);
  f.add(std::to_string(s.header_row));
  f.add(std::to_string(s.max_uncompressed_size));
  f.add(std::to_string(s.max_compression_ratio));
  f.add(std::to_string(s.max_shared_strings_size));
  f.add(t.role);
  for (const auto& k : t.key) f.add(k);
  f.add("|");
  for (const auto& [field, header] : t.columns) {
    f.add(field);
    f.add(header);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(f.h));
  return hex;
}

}  // namespace sseccoe::xlsx
