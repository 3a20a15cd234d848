// Option tables: each plugin declares its options once, in one table.
// Validation, `check-config`, `plugins describe NAME` and docs/plugins/NAME.md
// are all generated from that table (the Fluent Bit config-map idea), so the
// documentation can never drift from what the code accepts.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sseccoe::sdk {

enum class OptionType {
  String,      // any UTF-8 string
  Path,        // a filesystem path (checked to exist by `doctor`, not by parsing)
  Integer,     // a signed 64-bit integer
  Boolean,     // true / false
  Duration,    // "250ms", "30s", "5m", "2h", "1d" or an integer number of seconds
  Size,        // "512", "64KiB", "10MiB", "1GiB" (bytes)
  StringList,  // an array of strings
  StringMap,   // a table of strings: columns = { curp = "CURP", name = "Nombre" }
};

inline std::string_view to_string(OptionType t) {
  switch (t) {
    case OptionType::String: return "string";
    case OptionType::Path: return "path";
    case OptionType::Integer: return "integer";
    case OptionType::Boolean: return "boolean";
    case OptionType::Duration: return "duration";
    case OptionType::Size: return "size";
    case OptionType::StringList: return "list of strings";
    case OptionType::StringMap: return "table of strings";
  }
  return "?";
}

// One row of a plugin's option table. `default_value` is written as it would
// be in TOML (e.g. "30s", "true", "[\"**\"]") and is parsed by the same code
// that parses the user's value; empty means "no default".
struct OptionSpec {
  std::string_view name;
  OptionType type;
  std::string_view default_value;
  bool required = false;
  // A secret option names a *file* holding the secret (its name ends in
  // "_file"); the value itself is never logged, and only the path is shown.
  bool secret = false;
  std::string_view doc;
};

// The validated options of one source instance, as typed values. Durations
// are stored in milliseconds, sizes in bytes.
// A StringMap keeps the table's keys in the order they were written.
using StringPairs = std::vector<std::pair<std::string, std::string>>;
using OptionValue = std::variant<std::string, std::int64_t, bool, std::vector<std::string>, StringPairs>;

class OptionValues {
 public:
  void set(std::string name, OptionValue v) { values_[std::move(name)] = std::move(v); }
  bool has(std::string_view name) const { return values_.find(std::string(name)) != values_.end(); }

  const std::string& str(std::string_view name) const { return get<std::string>(name); }
  std::int64_t integer(std::string_view name) const { return get<std::int64_t>(name); }
  bool boolean(std::string_view name) const { return get<bool>(name); }
  std::chrono::milliseconds duration(std::string_view name) const {
    return std::chrono::milliseconds(get<std::int64_t>(name));
  }
  std::uint64_t size(std::string_view name) const {
    return static_cast<std::uint64_t>(get<std::int64_t>(name));
  }
  const std::vector<std::string>& list(std::string_view name) const {
    return get<std::vector<std::string>>(name);
  }
  const StringPairs& map(std::string_view name) const { return get<StringPairs>(name); }
  const std::map<std::string, OptionValue, std::less<>>& all() const { return values_; }

 private:
  template <typename T>
  const T& get(std::string_view name) const {
    auto it = values_.find(name);
    if (it == values_.end())
      throw std::out_of_range("option '" + std::string(name) + "' has no value and no default");
    if (auto* v = std::get_if<T>(&it->second)) return *v;
    throw std::logic_error("option '" + std::string(name) + "' read with the wrong type");
  }
  std::map<std::string, OptionValue, std::less<>> values_;
};

}  // namespace sseccoe::sdk
