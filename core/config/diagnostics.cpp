#include "config/diagnostics.hpp"

#include <algorithm>
#include <tuple>

namespace sseccoe::core {

std::string Location::str() const {
  std::string out = file;
  if (line > 0) {
    if (!out.empty()) out += ':';
    out += std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

std::string ConfigError::str() const {
  std::string out = where.str();
  if (!option.empty()) out += (out.empty() ? "" : ": ") + option;
  out += (out.empty() ? "" : ": ") + message;
  return out;
}

namespace config_detail {

Location location_of(const toml::source_region& region) {
  Location where;
  if (region.path) where.file = *region.path;
  where.line = static_cast<int>(region.begin.line);
  where.column = static_cast<int>(region.begin.column);
  return where;
}

void Diagnostics::error(Location where, std::string option, std::string message) {
  if (errors_.size() >= max_errors_) {
    ++dropped_;
    return;
  }
  errors_.push_back({std::move(where), std::move(option), std::move(message)});
}

void Diagnostics::warning(Location where, std::string option, std::string message) {
  if (warnings_.size() >= max_errors_) return;
  warnings_.push_back({std::move(where), std::move(option), std::move(message)});
}

namespace {

void sort_by_position(std::vector<ConfigError>& list, const std::vector<std::string>& files) {
  auto file_rank = [&](const std::string& f) -> std::size_t {
    if (f.empty()) return 0;
    auto it = std::find(files.begin(), files.end(), f);
    return it == files.end() ? files.size() + 1 : static_cast<std::size_t>(it - files.begin()) + 1;
  };
  std::stable_sort(list.begin(), list.end(), [&](const ConfigError& a, const ConfigError& b) {
    return std::make_tuple(file_rank(a.where.file), a.where.line, a.where.column) <
           std::make_tuple(file_rank(b.where.file), b.where.line, b.where.column);
  });
}

}  // namespace

std::vector<ConfigError> Diagnostics::take_errors(const std::vector<std::string>& files) {
  std::vector<ConfigError> out = std::move(errors_);
  errors_.clear();
  sort_by_position(out, files);
  if (dropped_ > 0)
    out.push_back({{}, "", std::to_string(dropped_) + " more errors not shown: fix the ones above first"});
  return out;
}

std::vector<ConfigError> Diagnostics::take_warnings(const std::vector<std::string>& files) {
  std::vector<ConfigError> out = std::move(warnings_);
  warnings_.clear();
  sort_by_position(out, files);
  return out;
}

std::string quoted(const std::string& value) {
  constexpr std::size_t kMax = 60;
  std::size_t keep = std::min(kMax, value.size());
  // Cut on a character boundary, not inside a UTF-8 sequence.
  while (keep > 0 && keep < value.size() && (static_cast<unsigned char>(value[keep]) & 0xC0) == 0x80) --keep;
  std::string shown;
  for (char c : value.substr(0, keep)) {
    // Control characters would garble a terminal; show them escaped.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      shown += "\\x";
      shown += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      shown += hex[static_cast<unsigned char>(c) & 0xf];
    } else {
      shown += c;
    }
  }
  if (keep < value.size()) shown += "...";
  return "\"" + shown + "\"";
}

}  // namespace config_detail
}  // namespace sseccoe::core
