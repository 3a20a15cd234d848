// The SDK's text primitives (globs, UTF-8, NFC) under the plugin's own
// namespace, so the plugin's code reads as before they moved to the SDK.
#pragma once

#include "sseccoe/sdk/glob.hpp"
#include "sseccoe/sdk/utf8.hpp"

namespace sseccoe::folder {
using sdk::Glob;
using sdk::GlobError;
using sdk::GlobSet;
namespace utf8 = sdk::utf8;
}  // namespace sseccoe::folder
