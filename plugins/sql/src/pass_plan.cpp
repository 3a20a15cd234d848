#include "pass_plan.hpp"

#include <charconv>
#include <cstdio>

namespace sseccoe::sql {

namespace {

constexpr std::string_view kTag = "sql1";
constexpr char kSep = '\t';

}  // namespace

std::string encode(const SyncState& s) {
  std::string out(kTag);
  out += kSep;
  out += s.fingerprint;
  out += kSep;
  out += std::to_string(s.last_full);
  out += kSep;
  out += s.max_value;  // last: it may itself contain the separator
  return out;
}

std::optional<SyncState> decode(std::string_view c) {
  const auto a = c.find(kSep);
  if (a == std::string_view::npos || c.substr(0, a) != kTag) return std::nullopt;
  const auto b = c.find(kSep, a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  const auto d = c.find(kSep, b + 1);
  if (d == std::string_view::npos) return std::nullopt;
  SyncState s;
  s.fingerprint = std::string(c.substr(a + 1, b - a - 1));
  const std::string_view full = c.substr(b + 1, d - b - 1);
  const auto [ptr, ec] = std::from_chars(full.data(), full.data() + full.size(), s.last_full);
  if (ec != std::errc() || ptr != full.data() + full.size() || s.last_full < 0) return std::nullopt;
  s.max_value = std::string(c.substr(d + 1));
  return s;
}

std::string fingerprint(std::string_view query, std::string_view updated_column) {
  // FNV-1a 64: this only tells configurations apart, it protects nothing.
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  };
  mix(query);
  mix(std::string_view("\0", 1));
  mix(updated_column);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

PassPlan plan_pass(std::string_view cursor, std::string_view query, std::string_view updated_column,
                   std::chrono::milliseconds full_every, std::int64_t now_unix) {
  if (updated_column.empty()) return {true, {}, "every pass is full without updated_column"};
  const auto state = decode(cursor);
  if (!state) return {true, {}, "first pass"};
  if (state->fingerprint != fingerprint(query, updated_column))
    return {true, {}, "query or updated_column changed since the last pass"};
  if (state->max_value.empty()) return {true, {}, "no updated_column value seen yet"};
  const std::int64_t due = state->last_full + std::chrono::ceil<std::chrono::seconds>(full_every).count();
  if (now_unix >= due || now_unix < state->last_full) return {true, {}, "full_every elapsed"};
  return {false, state->max_value, "rows changed since the last pass"};
}

std::string next_cursor(std::string_view cursor, const PassPlan& plan, std::string_view query,
                        std::string_view updated_column, const std::optional<std::string>& pass_max,
                        std::int64_t started_unix) {
  if (updated_column.empty()) return {};
  SyncState s;
  s.fingerprint = fingerprint(query, updated_column);
  const auto before = decode(cursor);
  if (plan.full) {
    s.last_full = started_unix;
    s.max_value = pass_max.value_or("");
  } else {
    s.last_full = before ? before->last_full : 0;
    // An incremental pass reads rows at or after the old maximum, so its own
    // maximum can only be that or larger; no rows at all keeps the old one.
    s.max_value = pass_max.value_or(plan.lower_bound);
  }
  return encode(s);
}

}  // namespace sseccoe::sql
