// The library's manifest: what Poco::ClassLoader finds in libimap.so.
// Poco's manifest macros must stand at global scope, once per library.
#include "imap_plugin.hpp"
#include "sseccoe/sdk/plugin_manifest.hpp"

using sseccoe::imap::ImapPlugin;

SSECCOE_PLUGIN(ImapPlugin)
