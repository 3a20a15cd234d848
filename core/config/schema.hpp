// The core's own option tables for [agent] and [registry]: the same shape a
// plugin declares, so that typing, defaults, suggestions and the generated
// documentation all work the same way.
#pragma once

#include <array>

#include "sseccoe/sdk/options.hpp"

namespace sseccoe::core::config_detail {

using sdk::OptionType;

inline constexpr std::array<sdk::OptionSpec, 10> kAgentOptions{{
    {"institution", OptionType::String, "", true, false,
     "The institution's code in upper-case letters and digits, e.g. \"INM\""},
    {"program", OptionType::String, "", true, false, "The work program (catalog) evidence is filed under"},
    {"state_dir", OptionType::Path, "/var/lib/sseccoe-agent", false, false,
     "Where the store (agent.db, blobs/) lives"},
    {"catalog_file", OptionType::Path, "", false, false,
     "The program's catalog; default <datadir>/catalog/<program>.json"},
    {"plugin_dir", OptionType::Path, "", false, false,
     "Where plugin libraries are loaded from; default <exe>/../lib/sseccoe-agent/plugins"},
    {"log_level", OptionType::String, "info", false, false, "trace, debug, info, warn or error"},
    {"timezone", OptionType::String, "", false, false,
     "IANA time zone for file dates, e.g. \"America/Mexico_City\"; default the machine's"},
    {"min_free_space", OptionType::Size, "", false, false,
     "Free space kept on the state disk; below it harvesting pauses; default 64MiB or 1/20 of the disk"},
    {"metrics_file", OptionType::Path, "", false, false,
     "Prometheus textfile the agent rewrites every few seconds; default <state_dir>/metrics.prom"},
    {"templates_dir", OptionType::Path, "", false, false,
     "Your own certificate templates (docs/templates.md), read before the shipped ones"},
}};

inline constexpr std::array<sdk::OptionSpec, 7> kRegistryOptions{{
    {"url", OptionType::String, "", false, false,
     "Base URL of the registry API (https; http only to a loopback address); unset: no sync"},
    {"token_file", OptionType::Path, "", false, true, "File holding the bearer token; required with url"},
    {"ca_file", OptionType::Path, "", false, false,
     "Extra CA bundle (PEM) to verify the registry with; TLS is always verified"},
    {"timeout", OptionType::Duration, "30s", false, false, "Time limit of one request"},
    {"retry_initial", OptionType::Duration, "1s", false, false, "First wait after a failed request"},
    {"retry_max", OptionType::Duration, "5m", false, false, "Longest wait between retries (backoff doubles)"},
    {"concurrency", OptionType::Integer, "2", false, false, "Requests in flight at once, 1 to 32"},
}};

}  // namespace sseccoe::core::config_detail
