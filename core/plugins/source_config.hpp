// What a source instance is created with, built in one place so that `run`
// and `doctor` hand plugins the same thing.
#pragma once

#include <string>

#include "config/config.hpp"
#include "sseccoe/sdk/source.hpp"

namespace sseccoe::core {

// The source's private spool directory: <state_dir>/work/<source name>. It
// lives on the state disk so that a spooled message moves into the blob store
// without crossing file systems.
std::string source_work_dir(const Config& config, const SourceSection& source);

// Empties and (re)creates `dir`: what a source spooled before a crash is
// incomplete by definition, and the item it belonged to is offered again.
// Throws std::runtime_error with the path and reason.
void reset_work_dir(const std::string& dir);

sdk::SourceConfig make_source_config(const Config& config, const SourceSection& source, std::string work_dir);

}  // namespace sseccoe::core
