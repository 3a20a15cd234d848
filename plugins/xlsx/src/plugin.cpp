// The library's manifest: what Poco::ClassLoader finds in libxlsx.so.
// Poco's manifest macros must stand at global scope, once per library.
#include "sseccoe/sdk/plugin_manifest.hpp"
#include "xlsx_plugin.hpp"

using sseccoe::xlsx::XlsxPlugin;

SSECCOE_PLUGIN(XlsxPlugin)
