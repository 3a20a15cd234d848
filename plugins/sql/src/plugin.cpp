// The library's manifest: what Poco::ClassLoader finds in libsql.so.
// Poco's manifest macros must stand at global scope, once per library.
#include "sql_plugin.hpp"
#include "sseccoe/sdk/plugin_manifest.hpp"

using sseccoe::sql::SqlPlugin;

SSECCOE_PLUGIN(SqlPlugin)
