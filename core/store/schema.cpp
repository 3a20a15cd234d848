#include "store/schema.hpp"

#include <array>
#include <string>

namespace sseccoe::store {

namespace {

// Each entry takes the schema from version i to i+1. Never edit a shipped
// entry: append a new one.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- One row per item a source has emitted: what it was last time.
CREATE TABLE items(
  source      TEXT NOT NULL,
  natural_key TEXT NOT NULL,
  version     TEXT NOT NULL DEFAULT '',
  digest      TEXT NOT NULL DEFAULT '',
  record_id   TEXT NOT NULL,
  locator     TEXT NOT NULL DEFAULT '',
  first_seen  TEXT NOT NULL,
  last_seen   TEXT NOT NULL,
  gone_at     TEXT,
  PRIMARY KEY(source, natural_key));
-- One row per evidence record; body is the registry JSON of the newest
-- local revision.
CREATE TABLE records(
  id            TEXT PRIMARY KEY,
  source        TEXT NOT NULL,
  natural_key   TEXT NOT NULL,
  revision      INTEGER NOT NULL,
  kind          TEXT NOT NULL DEFAULT '',
  activity      TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL CHECK(status IN ('unclassified','held','pending','synced','quarantined')),
  status_reason TEXT NOT NULL DEFAULT '',
  classified_by TEXT NOT NULL DEFAULT '',
  explain       TEXT NOT NULL DEFAULT '',
  body          TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  folio         TEXT,
  registry_revision INTEGER,
  synced_fingerprint TEXT,
  synced_at     TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL);
CREATE INDEX records_status ON records(status);
-- Content-addressed blobs under blobs/ab/cdef...
CREATE TABLE files(
  digest     TEXT PRIMARY KEY,
  size       INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE cursors(source TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
-- Records waiting to be registered.
CREATE TABLE outbox(
  record_id       TEXT PRIMARY KEY REFERENCES records(id),
  enqueued_at     TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '');
CREATE INDEX outbox_due ON outbox(next_attempt_at);
-- What could not be harvested or was refused for good by the registry.
CREATE TABLE quarantine(
  id            INTEGER PRIMARY KEY,
  source        TEXT NOT NULL,
  natural_key   TEXT NOT NULL,
  stage         TEXT NOT NULL CHECK(stage IN ('harvest','sync')),
  record_id     TEXT,
  reason        TEXT NOT NULL,
  code          TEXT NOT NULL DEFAULT '',
  field         TEXT NOT NULL DEFAULT '',
  locator       TEXT NOT NULL DEFAULT '',
  attempts      INTEGER NOT NULL DEFAULT 1,
  first_attempt TEXT NOT NULL,
  last_attempt  TEXT NOT NULL,
  UNIQUE(source, natural_key, stage));
-- Who or what changed what, when.
CREATE TABLE audit(
  id     INTEGER PRIMARY KEY,
  at     TEXT NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '');
)sql",
    // 1 -> 2: the people register: everyone seen in an HR source (or any
    // item that names people), one row per identity. `identity` is
    // "curp:<CURP>" when the CURP is known, else "employee:<source>:<id>",
    // else "name:<name key>". Later stages match certificate holders and
    // committee members against it by CURP or by name key.
    R"sql(
CREATE TABLE people(
  id INTEGER PRIMARY KEY,
  identity TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  name_key TEXT NOT NULL DEFAULT '',
  curp TEXT NOT NULL DEFAULT '',
  rfc TEXT NOT NULL DEFAULT '',
  employee_id TEXT NOT NULL DEFAULT '',
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL);
CREATE INDEX people_name_key ON people(name_key);
CREATE INDEX people_curp ON people(curp) WHERE curp <> '';
CREATE TABLE person_records(
  person_id INTEGER NOT NULL REFERENCES people(id),
  record_id TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY(person_id, record_id));
)sql",
    // 2 -> 3: what an item said when it was harvested (metadata, streams
    // and their digests, people, date), kept while its record is
    // unclassified or held, so that `reclassify` can apply corrected rules
    // without the source offering the item again (an IMAP message behind
    // its folder's cursor never is). Empty for items harvested before.
    R"sql(
ALTER TABLE items ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';
CREATE INDEX items_record ON items(record_id);
)sql",
    // 3 -> 4: never count twice. record_files says which stored files each
    // classified record cites, so that the same content reaching the same
    // activity from another place (a certificate mailed and also saved in the
    // share, a forward) is found; such a later sighting becomes an alias of
    // the first record, kept locally with its locator, and no second record.
    R"sql(
CREATE TABLE record_files(
  record_id TEXT NOT NULL,
  digest    TEXT NOT NULL,
  activity  TEXT NOT NULL,
  PRIMARY KEY(record_id, digest));
CREATE INDEX record_files_digest ON record_files(activity, digest);
INSERT OR IGNORE INTO record_files(record_id, digest, activity)
  SELECT r.id, json_extract(f.value, '$.sha256'), r.activity
  FROM records r, json_each(r.body, '$.files') f
  WHERE r.activity <> '' AND json_valid(r.body);
CREATE TABLE aliases(
  source      TEXT NOT NULL,
  natural_key TEXT NOT NULL,
  record_id   TEXT NOT NULL,
  locator     TEXT NOT NULL DEFAULT '',
  first_seen  TEXT NOT NULL,
  last_seen   TEXT NOT NULL,
  PRIMARY KEY(source, natural_key));
CREATE INDEX aliases_record ON aliases(record_id);
)sql",
};

int current_version(Db& db) {
  auto st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
  st.step();
  if (st.integer(0) == 0) return 0;
  auto v = db.prepare("SELECT value FROM meta WHERE key='schema_version'");
  return v.step() ? std::stoi(v.text(0)) : 0;
}

}  // namespace

void migrate(Db& db, const std::string& path) {
  int version = current_version(db);
  if (version > kSchemaVersion)
    throw std::runtime_error("store " + path + " has schema version " + std::to_string(version) +
                             ", newer than this agent understands (" + std::to_string(kSchemaVersion) +
                             "): run the newer sseccoe-agent, or restore a backup made by this version");
  for (int v = version; v < kSchemaVersion; ++v) {
    Transaction tx(db);
    db.exec(kMigrations[static_cast<std::size_t>(v)]);
    db.prepare("INSERT INTO meta(key, value) VALUES('schema_version', ?1) "
               "ON CONFLICT(key) DO UPDATE SET value=excluded.value")
        .bind(1, std::to_string(v + 1))
        .run();
    tx.commit();
  }
}

}  // namespace sseccoe::store
