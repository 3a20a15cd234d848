// The record model: parsing with the offending field named, serialising, the
// content fingerprint that decides "unchanged" versus "revised", record ids.
#include "model/record.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace sseccoe::model;
using nlohmann::json;

namespace {

json sample() {
  return json::parse(R"({
    "id": "ev-3f9c0000000000000000000000000001",
    "program": "PAT-2021", "activity": "1.1.1", "kind": "course_certificate",
    "institution": "INM",
    "title": "Constancia: Los conflictos de intereses en el ejercicio del servicio público",
    "occurred_on": "2021-05-14",
    "people": [{"name": "Gloria Hernández García", "curp": "HEGG560427MVZRRL04", "employee_id": "E-1"}],
    "files": [{"sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
               "name": "constancia.pdf", "media_type": "application/pdf", "size": 81234}],
    "source": {"plugin": "imap", "instance": "buzon-comite",
               "locator": "imap://mail.example/INBOX;UIDVALIDITY=7;UID=4411",
               "harvested_at": "2021-05-15T10:02:11Z"},
    "attributes": {"course": "Conflictos de intereses", "hours": 10}
  })");
}

std::string field_of(const json& j) {
  try {
    record_from_json(j);
  } catch (const RecordError& e) {
    return e.field;
  }
  return "<accepted>";
}

}  // namespace

TEST(Record, ParsesTheContractExampleAndRoundTrips) {
  Record r = record_from_json(sample());
  EXPECT_EQ(r.activity, "1.1.1");
  ASSERT_EQ(r.people.size(), 1u);
  EXPECT_EQ(r.people[0].curp, "HEGG560427MVZRRL04");
  EXPECT_EQ(r.people[0].rfc, "");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].size, 81234u);
  EXPECT_EQ(r.attributes["hours"], 10);
  Record again = record_from_json(to_json(r));
  EXPECT_EQ(content_fingerprint(again), content_fingerprint(r));
  EXPECT_EQ(to_json(again), to_json(r));
}

TEST(Record, ErrorsNameTheOffendingField) {
  json j = sample();
  j.erase("activity");
  EXPECT_EQ(field_of(j), "activity");
  j = sample();
  j["occurred_on"] = 20210514;
  EXPECT_EQ(field_of(j), "occurred_on");
  j = sample();
  j["people"][0]["curp"] = 5;
  EXPECT_EQ(field_of(j), "people[0].curp");
  j = sample();
  j["people"] = json::array({"x"});
  EXPECT_EQ(field_of(j), "people[0]");
  j = sample();
  j["files"][0]["sha256"] = "ABC";
  EXPECT_EQ(field_of(j), "files[0].sha256");
  j = sample();
  j["files"][0]["sha256"] = std::string(64, 'A');  // upper-case hex is not canonical
  EXPECT_EQ(field_of(j), "files[0].sha256");
  j = sample();
  j["files"][0]["size"] = -1;
  EXPECT_EQ(field_of(j), "files[0].size");
  j = sample();
  j["files"][0]["size"] = 1.5;
  EXPECT_EQ(field_of(j), "files[0].size");
  j = sample();
  j["attributes"] = json::array();
  EXPECT_EQ(field_of(j), "attributes");
  j = sample();
  j["source"] = "imap";
  EXPECT_EQ(field_of(j), "source");
  EXPECT_EQ(field_of(json::array()), "");
  EXPECT_EQ(field_of(json("text")), "");
}

TEST(Record, OptionalPartsMayBeAbsentOrNull) {
  json j = sample();
  j.erase("people");
  j["files"] = nullptr;
  j.erase("source");
  j.erase("attributes");
  j.erase("title");
  Record r = record_from_json(j);
  EXPECT_TRUE(r.people.empty());
  EXPECT_TRUE(r.files.empty());
  EXPECT_TRUE(r.attributes.is_object());
}

TEST(Record, FingerprintIgnoresHarvestTimeOnly) {
  Record a = record_from_json(sample());
  Record b = a;
  b.source.harvested_at = "2022-01-01T00:00:00Z";
  EXPECT_EQ(content_fingerprint(a), content_fingerprint(b));
  b.title += ".";
  EXPECT_NE(content_fingerprint(a), content_fingerprint(b));
  Record c = a;
  c.attributes["hours"] = 11;
  EXPECT_NE(content_fingerprint(a), content_fingerprint(c));
  Record d = a;
  d.source.locator += "0";
  EXPECT_NE(content_fingerprint(a), content_fingerprint(d));
}

TEST(Record, FingerprintDoesNotDependOnKeyOrder) {
  json j = sample();
  std::string text = R"({"hours":10,"course":"Conflictos de intereses"})";
  j["attributes"] = json::parse(text);
  EXPECT_EQ(content_fingerprint(record_from_json(j)), content_fingerprint(record_from_json(sample())));
}

TEST(Record, IdsAreStableAndShaped) {
  std::string id = make_record_id("INM", "constancias", "2021/curso.pdf");
  EXPECT_EQ(id, make_record_id("INM", "constancias", "2021/curso.pdf"));
  EXPECT_NE(id, make_record_id("INM", "constancias", "2021/curso2.pdf"));
  ASSERT_EQ(id.size(), 35u);
  EXPECT_EQ(id.substr(0, 3), "ev-");
  for (char c : id.substr(3)) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}
