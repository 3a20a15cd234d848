// One function per sub-command; each returns the process exit code.
#pragma once

#include "context.hpp"

namespace sseccoe::agent {

int cmd_run(Context& ctx);
int cmd_check_config(Context& ctx);
int cmd_status(Context& ctx);
int cmd_records(Context& ctx);
int cmd_unclassified(Context& ctx);
int cmd_classify(Context& ctx);
int cmd_reclassify(Context& ctx);
int cmd_quarantine(Context& ctx);
int cmd_explain(Context& ctx);
int cmd_report(Context& ctx);
int cmd_catalog(Context& ctx);
int cmd_plugins(Context& ctx);
int cmd_doctor(Context& ctx);

// Duration text ("30s", "5m") to milliseconds; throws UsageError.
std::chrono::milliseconds parse_duration_arg(const std::string& flag, const std::string& text);

}  // namespace sseccoe::agent
