// Include from exactly one .cpp of a plugin library, at global scope:
//   SSECCOE_PLUGIN(FolderPlugin)
// Poco's manifest macros must stand in the global namespace, one manifest per
// library (field-notes.md).
#pragma once

#include <Poco/ClassLibrary.h>

#include "sseccoe/sdk/source.hpp"

#define SSECCOE_PLUGIN(CLASS)                   \
  POCO_BEGIN_MANIFEST(sseccoe::sdk::Plugin)     \
  POCO_EXPORT_CLASS(CLASS)                      \
  POCO_END_MANIFEST
