#include "model/record.hpp"

#include "model/sha256.hpp"

namespace sseccoe::model {

using nlohmann::json;

std::string make_record_id(std::string_view institution, std::string_view instance,
                           std::string_view natural_key) {
  Sha256 h;
  h.update(institution);
  h.update("/");
  h.update(instance);
  h.update("/");
  h.update(natural_key);
  return "ev-" + h.hex_digest().substr(0, 32);
}

json to_json(const Record& r) {
  json people = json::array();
  for (const auto& p : r.people) {
    json o = json::object();
    if (!p.name.empty()) o["name"] = p.name;
    if (!p.curp.empty()) o["curp"] = p.curp;
    if (!p.rfc.empty()) o["rfc"] = p.rfc;
    if (!p.employee_id.empty()) o["employee_id"] = p.employee_id;
    people.push_back(std::move(o));
  }
  json files = json::array();
  for (const auto& f : r.files)
    files.push_back({{"sha256", f.sha256}, {"name", f.name}, {"media_type", f.media_type}, {"size", f.size}});
  return json{{"id", r.id},
              {"program", r.program},
              {"activity", r.activity},
              {"kind", r.kind},
              {"institution", r.institution},
              {"title", r.title},
              {"occurred_on", r.occurred_on},
              {"people", people},
              {"files", files},
              {"source",
               {{"plugin", r.source.plugin},
                {"instance", r.source.instance},
                {"locator", r.source.locator},
                {"harvested_at", r.source.harvested_at}}},
              {"attributes", r.attributes.is_null() ? json::object() : r.attributes}};
}

namespace {

std::string str_field(const json& j, const char* key, const std::string& path, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) throw RecordError(path + key, std::string("'") + path + key + "' is required");
    return {};
  }
  if (!it->is_string()) throw RecordError(path + key, std::string("'") + path + key + "' must be a string");
  return it->get<std::string>();
}

}  // namespace

Record record_from_json(const json& j) {
  if (!j.is_object()) throw RecordError("", "a record must be a JSON object");
  Record r;
  r.id = str_field(j, "id", "", true);
  r.program = str_field(j, "program", "", true);
  r.activity = str_field(j, "activity", "", true);
  r.kind = str_field(j, "kind", "", true);
  r.institution = str_field(j, "institution", "", true);
  r.title = str_field(j, "title", "", false);
  r.occurred_on = str_field(j, "occurred_on", "", true);
  if (auto it = j.find("people"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw RecordError("people", "'people' must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& p = (*it)[i];
      std::string path = "people[" + std::to_string(i) + "].";
      if (!p.is_object()) throw RecordError("people[" + std::to_string(i) + "]", "each person must be an object");
      r.people.push_back({str_field(p, "name", path, false), str_field(p, "curp", path, false),
                          str_field(p, "rfc", path, false), str_field(p, "employee_id", path, false)});
    }
  }
  if (auto it = j.find("files"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw RecordError("files", "'files' must be an array");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const auto& f = (*it)[i];
      std::string path = "files[" + std::to_string(i) + "].";
      if (!f.is_object()) throw RecordError("files[" + std::to_string(i) + "]", "each file must be an object");
      FileRef ref{str_field(f, "sha256", path, true), str_field(f, "name", path, true),
                  str_field(f, "media_type", path, false), 0};
      if (!is_sha256_hex(ref.sha256))
        throw RecordError(path + "sha256", "'" + path + "sha256' must be 64 lower-case hex digits");
      if (auto s = f.find("size"); s != f.end()) {
        if (!s->is_number_unsigned() && !(s->is_number_integer() && s->get<std::int64_t>() >= 0))
          throw RecordError(path + "size", "'" + path + "size' must be a non-negative integer");
        ref.size = s->get<std::uint64_t>();
      }
      r.files.push_back(std::move(ref));
    }
  }
  if (auto it = j.find("source"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) throw RecordError("source", "'source' must be an object");
    r.source = {str_field(*it, "plugin", "source.", false), str_field(*it, "instance", "source.", false),
                str_field(*it, "locator", "source.", false), str_field(*it, "harvested_at", "source.", false)};
  }
  if (auto it = j.find("attributes"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) throw RecordError("attributes", "'attributes' must be an object");
    r.attributes = *it;
  }
  return r;
}

std::string content_fingerprint(const Record& r) {
  json j = to_json(r);
  j["source"].erase("harvested_at");
  return sha256_hex(j.dump());  // nlohmann::json objects are key-sorted
}

}  // namespace sseccoe::model
