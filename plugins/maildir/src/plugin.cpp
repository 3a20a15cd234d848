// The library's manifest: what Poco::ClassLoader finds in libmaildir.so.
// Poco's manifest macros must stand at global scope, once per library.
#include "maildir_plugin.hpp"
#include "sseccoe/sdk/plugin_manifest.hpp"

using sseccoe::maildir::MaildirPlugin;

SSECCOE_PLUGIN(MaildirPlugin)
