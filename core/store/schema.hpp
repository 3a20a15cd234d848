// The store's schema, versioned. Migrations run forward, each in its own
// transaction, on start; a database written by a newer agent is refused.
#pragma once

#include "store/sqlite.hpp"

namespace sseccoe::store {

constexpr int kSchemaVersion = 4;

// Brings the schema to kSchemaVersion. Throws std::runtime_error when the
// database is newer than this binary, saying what to do.
void migrate(Db& db, const std::string& path);

}  // namespace sseccoe::store
