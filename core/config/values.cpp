#include "config/values.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>
#include <string_view>

#include "config/config.hpp"
#include "config/diagnostics.hpp"

namespace sseccoe::core {

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Reads the digits at the front of `s`; false when there are none or the
// number does not fit in 63 bits.
bool take_number(std::string_view& s, std::int64_t& out) {
  if (s.empty() || !is_digit(s.front())) return false;
  std::int64_t n = 0;
  while (!s.empty() && is_digit(s.front())) {
    const int digit = s.front() - '0';
    if (n > (kInt64Max - digit) / 10) return false;
    n = n * 10 + digit;
    s.remove_prefix(1);
  }
  out = n;
  return true;
}

bool mul_overflows(std::int64_t a, std::int64_t b) { return b != 0 && a > kInt64Max / b; }

std::string shown(const std::string& text) { return config_detail::quoted(text); }

}  // namespace

std::chrono::milliseconds parse_duration(const std::string& text) {
  const std::string hint =
      ": write a whole number with a unit (ms, s, m, h, d), e.g. \"250ms\", \"30s\", \"5m\", \"1h30m\", "
      "or a plain number of seconds";
  std::string_view s = trim(text);
  if (s.empty()) throw std::invalid_argument("empty duration" + hint);
  std::int64_t total = 0;
  bool first = true;
  while (!s.empty()) {
    std::int64_t n = 0;
    if (!take_number(s, n)) {
      const bool negative = !s.empty() && s.front() == '-';
      throw std::invalid_argument(shown(text) + (negative ? " is negative" : " is not a duration") + hint);
    }
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    std::size_t unit_len = 0;
    while (unit_len < s.size() && std::isalpha(static_cast<unsigned char>(s[unit_len]))) ++unit_len;
    const std::string_view unit = s.substr(0, unit_len);
    s.remove_prefix(unit_len);
    std::int64_t factor = 0;
    if (unit.empty()) {
      // A bare number is seconds, but only on its own: "1h30" is a typo.
      if (!first || !s.empty()) throw std::invalid_argument(shown(text) + " is not a duration" + hint);
      factor = 1000;
    } else if (unit == "ms") {
      factor = 1;
    } else if (unit == "s") {
      factor = 1000;
    } else if (unit == "m") {
      factor = 60 * 1000;
    } else if (unit == "h") {
      factor = 3600 * 1000;
    } else if (unit == "d") {
      factor = 24 * 3600 * 1000;
    } else {
      throw std::invalid_argument(shown(text) + " has an unknown unit '" + std::string(unit) + "'" + hint);
    }
    if (mul_overflows(n, factor) || total > kInt64Max - n * factor)
      throw std::invalid_argument(shown(text) + " is too large" + hint);
    total += n * factor;
    first = false;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  }
  return std::chrono::milliseconds(total);
}

std::uint64_t parse_size(const std::string& text) {
  const std::string hint =
      ": write a whole number of bytes, optionally with a binary unit (KiB, MiB, GiB, TiB; K, M, G, T "
      "mean the same), e.g. \"512\", \"64KiB\", \"10MiB\"";
  std::string_view s = trim(text);
  std::int64_t n = 0;
  if (!take_number(s, n)) {
    const bool negative = !s.empty() && s.front() == '-';
    if (negative) throw std::invalid_argument(shown(text) + " is negative" + hint);
    throw std::invalid_argument(shown(text) + (s.empty() ? " is empty" : " is not a size") + hint);
  }
  s = trim(s);
  std::string unit;
  for (char c : s) unit += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::int64_t factor = 0;
  if (unit.empty() || unit == "B") {
    factor = 1;
  } else if (unit == "K" || unit == "KIB") {
    factor = std::int64_t{1} << 10;
  } else if (unit == "M" || unit == "MIB") {
    factor = std::int64_t{1} << 20;
  } else if (unit == "G" || unit == "GIB") {
    factor = std::int64_t{1} << 30;
  } else if (unit == "T" || unit == "TIB") {
    factor = std::int64_t{1} << 40;
  } else if (unit == "KB" || unit == "MB" || unit == "GB" || unit == "TB") {
    // kB is 1000 to some readers and 1024 to others: make the writer say.
    throw std::invalid_argument(shown(text) + " uses the ambiguous unit '" + std::string(s) + "': write " +
                                std::to_string(n) + std::string(1, unit[0]) + "iB (sizes are 1024-based)");
  } else {
    throw std::invalid_argument(shown(text) + " has an unknown unit '" + std::string(s) + "'" + hint);
  }
  if (mul_overflows(n, factor)) throw std::invalid_argument(shown(text) + " is too large" + hint);
  return static_cast<std::uint64_t>(n * factor);
}

sdk::OptionValue parse_duration_or_size(sdk::OptionType type, const std::string& text) {
  using sdk::OptionType;
  // "v = <text>" must be exactly one TOML value: a newline in `text` could
  // otherwise smuggle in a second key.
  std::optional<toml::table> doc;
  if (text.find_first_of("\r\n") == std::string::npos) {
    try {
      doc = toml::parse(std::string_view("v = " + text), std::string_view("option"));
    } catch (const toml::parse_error&) {
      doc.reset();
    }
  }
  const toml::node* node = doc ? doc->get("v") : nullptr;
  if (node == nullptr) {
    // Not TOML: option tables write text-like defaults bare ("30s", "/srv").
    switch (type) {
      case OptionType::String:
      case OptionType::Path:
        return text;
      case OptionType::Duration:
        return static_cast<std::int64_t>(parse_duration(text).count());
      case OptionType::Size:
        return static_cast<std::int64_t>(parse_size(text));
      default:
        throw std::invalid_argument(shown(text) + " is not " + config_detail::expected_form(type));
    }
  }
  if ((type == OptionType::String || type == OptionType::Path) && !node->is_string()) return text;
  auto converted = config_detail::convert_value(*node, type, false);
  if (!converted.value) throw std::invalid_argument(converted.error);
  return *converted.value;
}

namespace config_detail {

std::string describe_node_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "nothing";
  }
}

std::string expected_form(sdk::OptionType type) {
  using sdk::OptionType;
  switch (type) {
    case OptionType::String: return "a string (in quotes)";
    case OptionType::Path: return "a path (a string in quotes)";
    case OptionType::Integer: return "an integer (without quotes)";
    case OptionType::Boolean: return "a boolean (true or false, without quotes)";
    case OptionType::Duration:
      return "a duration (\"250ms\", \"30s\", \"5m\", \"2h\", \"1d\" or a whole number of seconds)";
    case OptionType::Size: return "a size (a number of bytes, or \"64KiB\", \"10MiB\", \"1GiB\")";
    case OptionType::StringList: return "a list of strings, e.g. [\"*.pdf\", \"*.jpg\"]";
    case OptionType::StringMap: return "a table of strings, e.g. { curp = \"CURP\", name = \"Nombre completo\" }";
  }
  return "a value";
}

namespace {

// TOML strings may hold U+0000 ("\u0000"); no option has a use for it, and a
// path with one would be silently cut by the C library.
bool has_nul(const std::string& s) { return s.find('\0') != std::string::npos; }

Conversion fail(const toml::node& node, sdk::OptionType type) {
  return {std::nullopt, "expected " + expected_form(type) + ", got " + describe_node_type(node)};
}

}  // namespace

Conversion convert_value(const toml::node& node, sdk::OptionType type, bool secret) {
  using sdk::OptionType;
  switch (type) {
    case OptionType::String:
    case OptionType::Path: {
      const auto* s = node.as_string();
      if (s == nullptr) return fail(node, type);
      const std::string& v = s->get();
      if (has_nul(v)) return {std::nullopt, "contains a NUL character (\\u0000): remove it"};
      if (type == OptionType::Path && v.empty())
        return {std::nullopt, "is empty: write a path, or remove the key to use the default"};
      return {v, {}};
    }
    case OptionType::Integer: {
      if (const auto* i = node.as_integer()) return {static_cast<std::int64_t>(i->get()), {}};
      if (node.is_string() && !secret)
        return {std::nullopt, "expected an integer, got the string " + quoted(node.as_string()->get()) +
                                  ": write the number without quotes"};
      return fail(node, type);
    }
    case OptionType::Boolean: {
      if (const auto* b = node.as_boolean()) return {b->get(), {}};
      if (node.is_string() && !secret)
        return {std::nullopt, "expected a boolean, got the string " + quoted(node.as_string()->get()) +
                                  ": write true or false without quotes"};
      return fail(node, type);
    }
    case OptionType::Duration:
    case OptionType::Size: {
      if (const auto* i = node.as_integer()) {
        const std::int64_t n = i->get();
        if (n < 0) return {std::nullopt, "is negative: expected " + expected_form(type)};
        if (type == OptionType::Size) return {n, {}};
        if (n > kInt64Max / 1000) return {std::nullopt, "is too large: expected " + expected_form(type)};
        return {n * 1000, {}};  // a bare integer duration is seconds
      }
      if (const auto* s = node.as_string()) {
        try {
          if (type == OptionType::Size) return {static_cast<std::int64_t>(parse_size(s->get())), {}};
          return {static_cast<std::int64_t>(parse_duration(s->get()).count()), {}};
        } catch (const std::invalid_argument& e) {
          return {std::nullopt, e.what()};
        }
      }
      return fail(node, type);
    }
    case OptionType::StringList: {
      const auto* a = node.as_array();
      if (a == nullptr) {
        if (node.is_string() && !secret)
          return {std::nullopt, "expected a list of strings, got a single string: write it in brackets, [" +
                                    quoted(node.as_string()->get()) + "]"};
        return fail(node, type);
      }
      std::vector<std::string> out;
      out.reserve(a->size());
      for (std::size_t i = 0; i < a->size(); ++i) {
        const auto* s = (*a)[i].as_string();
        if (s == nullptr)
          return {std::nullopt, "element " + std::to_string(i + 1) + " is " + describe_node_type((*a)[i]) +
                                    ": expected " + expected_form(type)};
        if (has_nul(s->get()))
          return {std::nullopt, "element " + std::to_string(i + 1) + " contains a NUL character (\\u0000)"};
        out.push_back(s->get());
      }
      return {std::move(out), {}};
    }
    case OptionType::StringMap: {
      const auto* t = node.as_table();
      if (t == nullptr) return fail(node, type);
      sdk::StringPairs out;
      for (auto&& [k, v] : *t) {
        const std::string key(k.str());
        const auto* s = v.as_string();
        if (s == nullptr)
          return {std::nullopt, "the value of " + quoted(key) + " is " + describe_node_type(v) + ": expected " +
                                    expected_form(type)};
        if (has_nul(s->get())) return {std::nullopt, "the value of " + quoted(key) + " contains a NUL character"};
        out.emplace_back(key, s->get());
      }
      // toml++ keeps tables sorted by key; the order written is the order of
      // the source positions.
      std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
        const auto& pa = (*t)[a.first].node()->source().begin;
        const auto& pb = (*t)[b.first].node()->source().begin;
        return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
      });
      return {std::move(out), {}};
    }
  }
  return fail(node, type);
}

}  // namespace config_detail
}  // namespace sseccoe::core
