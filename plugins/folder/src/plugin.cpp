// The library's manifest: what Poco::ClassLoader finds in libfolder.so.
// Poco's manifest macros must stand at global scope, once per library.
#include "folder_plugin.hpp"
#include "sseccoe/sdk/plugin_manifest.hpp"

using sseccoe::folder::FolderPlugin;

SSECCOE_PLUGIN(FolderPlugin)
