// What a source emits: one raw item with a stable natural key, flat string
// metadata for rules, and zero or more content streams.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sseccoe::sdk {

// A source's position, opaque to the core: the source writes it, the core
// stores it and hands it back on the next harvest. It is committed only
// after every item emitted before it is durable.
struct Cursor {
  std::string value;  // empty: start from the beginning
  bool empty() const { return value.empty(); }
};

// One content stream of an item (a file, a MIME part, ...). `open` is called
// at most once, when the core decides the bytes are needed; the stream is read
// to its end in fixed-size chunks, never into memory as a whole.
struct Content {
  std::string name;                 // file name shown to people ("constancia.pdf")
  std::string media_type;           // empty: the core detects it (libmagic)
  std::optional<std::uint64_t> size_hint;
  std::function<std::unique_ptr<std::istream>()> open;
  // What this stream is to the item, for the rule that picks the record's
  // files: "" (the item's file: a folder's file), "message" (a raw mail),
  // "attachment", "acuse" (a rendering made for the record). Every stream
  // is kept in the local store; a rule's `files` says which roles the
  // record cites (see docs/configuration.md).
  std::string role;
  // When set, the stream is opened only if the item is classified as this
  // evidence kind (an "acuse" PDF is rendered only for email_dispatch).
  std::string only_for_kind;
};

// A person an item concerns (a row of an HR export, a certificate's holder).
// Fields as found, trimmed; CURP and RFC upper-case without separators.
// The core never logs them unmasked.
struct Person {
  std::string name, curp, rfc, employee_id;
};

struct Item {
  // Stable across runs and machines: relative path, Message-ID, HR row key.
  std::string natural_key;
  // A cheap change token (for files: size and mtime). When it equals the
  // stored one the core treats the item as unchanged without reading it;
  // when it differs, the digest decides whether anything really changed.
  std::string version;
  // Flat metadata for rules and provenance: path, from, subject, sheet, ...
  std::map<std::string, std::string> metadata;
  // Where the evidence date comes from, when the item says it (a mail's
  // Date, an HR column): ISO date plus the field it was read from.
  std::string occurred_on;       // "2021-05-14" or empty
  std::string occurred_on_from;  // "mtime", "header:Date", "column:fecha", ...
  // A locator a person can follow back to the original.
  std::string locator;
  std::vector<Content> contents;
  // The people the item concerns, copied into the record.
  std::vector<Person> people;
};

}  // namespace sseccoe::sdk
