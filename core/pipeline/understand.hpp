// Understanding what an item's files say, once it is classified and its
// files are stored: a course certificate's holder, course, hours, folio and
// date read from its PDF text (extract/certificate.hpp, through the
// out-of-process reader), a diffusion image's size and EXIF date. A holder is
// matched against the people register: CURP exactly, else the name in any
// order; an ambiguous or missing match keeps the person as read and says so.
// What could not be read is listed in attributes.unread, never guessed.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/record.hpp"
#include "pipeline/normalize.hpp"

namespace sseccoe::core {

struct Understanding {
  std::vector<model::Person> people;  // read from the files (matched ones completed from HR)
  std::string occurred_on, occurred_on_from;  // a date the files give ("text", "exif:DateTimeOriginal")
  nlohmann::json attributes = nlohmann::json::object();
  nlohmann::json explain = nlohmann::json::object();
  // Set when a file made the reader fail in a way that may be an attack or
  // a bug (a crash, a limit): the item is quarantined with this reason.
  std::string quarantine_reason;
};

// The people register's verdict on one person read from a file: CURP
// exactly, else the name in any order of given names and surnames; two
// register entries that could be different people make it ambiguous, and
// nothing is guessed. A match completes the person with HR's CURP, RFC and
// employee id.
struct PersonMatch {
  bool matched = false;
  std::string why;  // "curp", "name", or why not
  model::Person person;
};
PersonMatch match_person(store::Store& store, const model::Person& read);

// `blobs` as StoreEmitter has them: one per item.contents entry, an empty
// digest for a stream not read.
Understanding understand(const EmitterContext& ctx, const sdk::Item& item, const Classification& c,
                         const std::vector<store::BlobInfo>& blobs);

// Applies an understanding to the record normalize() is building, before its
// status is decided: people added (without repeating one the item already
// names), attributes merged, the date a certificate's text gives preferred
// to any other, an EXIF date to a file's mtime; `explain` gets the
// extraction.
void apply(const Understanding& u, model::Record& r, nlohmann::json& explain);

}  // namespace sseccoe::core
