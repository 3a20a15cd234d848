// Logging: spdlog to stderr (journald captures it under systemd), every
// message passed through mask_personal() on its way out, so a careless format
// string cannot leak a CURP, an RFC or an e-mail address.
#pragma once

#include <string>

#include <spdlog/spdlog.h>

namespace sseccoe::util {

// Installs the masking stderr logger as spdlog's default. `level` is one of
// trace, debug, info, warn, error. Idempotent.
void init_logging(const std::string& level);

}  // namespace sseccoe::util
