// `sseccoe-registry serve`: opens the storage, loads the catalogs, listens
// (HTTP, or HTTPS when a certificate is configured), prints the bound address
// and serves until SIGTERM or SIGINT.
#pragma once

#include "catalogs.hpp"
#include "config.hpp"

namespace sseccoe::registry {

// Exit code: 0 after a clean stop, 1 when the server could not start
// (storage, catalogs, address in use, TLS files).
int serve(const RegistryConfig& cfg, const Catalogs& catalogs);

}  // namespace sseccoe::registry
