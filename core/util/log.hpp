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

// "source 'NAME': MESSAGE", once: plugins may already name their source at
// the head of a message (their errors are also read on their own), and the
// core's prefix must not repeat it.
std::string source_message(const std::string& source, const std::string& message);
// MESSAGE without a leading "source 'NAME': ".
std::string without_source_prefix(const std::string& source, const std::string& message);

}  // namespace sseccoe::util
