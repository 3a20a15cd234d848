// The registry's metadata storage: which files are present, evidence records
// with every revision, folios, listing. File bytes live in the FileStore
// (content-addressed directory); this interface only knows their digests.
//
// SqliteStorage is the implementation today; a PostgreSQL back end
// implements the same interface (one transaction per put_record, a sequence
// row per institution+year locked FOR UPDATE) without touching the HTTP layer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sseccoe::registry {

// The database stayed locked or unreachable: the request may succeed later
// (the HTTP layer answers 503 with Retry-After).
struct StorageBusy : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The id exists and belongs to another institution.
struct ForeignRecord : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct StoredFile {
  std::string sha256;
  std::uint64_t size = 0;
  std::string media_type;
  std::string stored_at;
};

// One revision to register, already validated.
struct RecordWrite {
  std::string id, institution, program, activity;
  int folio_year = 0;        // the program catalog's year
  std::string body;          // canonical JSON of the record (model::to_json)
  std::string fingerprint;   // model::content_fingerprint
  std::string now;           // RFC 3339 UTC, the registration time
};

enum class PutStatus { created, unchanged, revised };

struct PutResult {
  PutStatus status = PutStatus::created;
  int revision = 0;
  std::string folio;
  std::string registered_at;  // of the returned (newest) revision
};

struct StoredRecord {
  std::string id, institution, folio;
  int revision = 0;
  std::string registered_at;       // of this revision
  std::string first_registered_at;  // when the folio was assigned
  std::string body;                // canonical JSON of this revision
};

struct ListQuery {
  std::string institution;              // always set: a token sees its own records
  std::string program, activity;        // empty: no filter
  std::optional<std::int64_t> before;   // keyset cursor: changes older than this
  int limit = 50;
};

struct ListPage {
  std::vector<StoredRecord> items;
  std::optional<std::int64_t> next;  // cursor for the next page; empty on the last
};

class Storage {
 public:
  virtual ~Storage() = default;

  virtual std::optional<StoredFile> file(const std::string& sha256) = 0;
  // Records that the bytes are on disk; false when the row already existed.
  virtual bool add_file(const StoredFile& f) = 0;

  // Creates, leaves unchanged or revises, atomically; the folio is assigned
  // in the same transaction as the creation. Throws ForeignRecord.
  virtual PutResult put_record(const RecordWrite& w) = 0;
  virtual std::optional<StoredRecord> record(const std::string& id) = 0;
  virtual ListPage list(const ListQuery& q) = 0;
  // Calls `fn` with the newest revision of every record of one institution
  // and program, oldest first, one at a time (memory does not grow with the
  // number of records): the input of the progress computation.
  virtual void each_current_record(const std::string& institution, const std::string& program,
                                   const std::function<void(const StoredRecord&)>& fn) = 0;
};

}  // namespace sseccoe::registry
