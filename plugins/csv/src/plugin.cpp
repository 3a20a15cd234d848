// The library's manifest: what Poco::ClassLoader finds in libcsv.so.
// Poco's manifest macros must stand at global scope, once per library.
#include "csv_plugin.hpp"
#include "sseccoe/sdk/plugin_manifest.hpp"

using sseccoe::csv::CsvPlugin;

SSECCOE_PLUGIN(CsvPlugin)
