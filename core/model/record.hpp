// The evidence record as registry-api.md defines it. Shared by the agent
// (core) and the reference registry; nothing here knows about either.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sseccoe::model {

struct Person {
  std::string name, curp, rfc, employee_id;
};

struct FileRef {
  std::string sha256;  // lower-case hex
  std::string name;
  std::string media_type;
  std::uint64_t size = 0;
};

struct SourceRef {
  std::string plugin, instance, locator, harvested_at;  // harvested_at: RFC 3339 UTC
};

struct Record {
  std::string id;  // "ev-" + 32 hex
  std::string program, activity, kind, institution, title, occurred_on;
  std::vector<Person> people;
  std::vector<FileRef> files;
  SourceRef source;
  nlohmann::json attributes = nlohmann::json::object();
};

// The stable record id of architecture.md: "ev-" + the first 32 hex digits of
// SHA-256 over "institution/source instance/natural key".
std::string make_record_id(std::string_view institution, std::string_view instance,
                           std::string_view natural_key);

nlohmann::json to_json(const Record& r);

// Parses a record; throws RecordError naming the offending field.
Record record_from_json(const nlohmann::json& j);

struct RecordError : std::runtime_error {
  RecordError(std::string field, const std::string& message)
      : std::runtime_error(message), field(std::move(field)) {}
  std::string field;
};

// Canonical content of a record for "same content?" decisions: the JSON with
// sorted keys and without source.harvested_at (a re-harvest of identical
// evidence is not a revision).
std::string content_fingerprint(const Record& r);

}  // namespace sseccoe::model
