#include "metrics/metrics.hpp"

#include <charconv>
#include <cmath>
#include <set>

namespace sseccoe::metrics {

namespace {

bool name_char(char c, bool first, bool colon_ok) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (c == ':') return colon_ok;
  return !first && c >= '0' && c <= '9';
}

const char* type_name(Type t) { return t == Type::Counter ? "counter" : "gauge"; }

template <class Cell>
void render_family(std::string& out, const Family<Cell>& family, Type type) {
  std::string series;
  family.for_each([&](const std::vector<std::string>& values, const Cell& cell) {
    series += family.name();
    if (!values.empty()) {
      series += '{';
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) series += ',';
        series += family.label_names()[i] + "=\"" + escape_label_value(values[i]) + '"';
      }
      series += '}';
    }
    series += ' ' + format_value(cell.value()) + '\n';
  });
  if (series.empty()) return;  // a labelled family nothing has reported to yet
  out += "# HELP " + family.name() + ' ' + escape_help(family.help()) + '\n';
  out += "# TYPE " + family.name() + ' ' + type_name(type) + '\n';
  out += series;
}

}  // namespace

void Counter::inc(double by) {
  // Written so that NaN is refused too.
  if (!(by >= 0)) throw std::invalid_argument("a counter cannot be increased by a negative amount");
  value_.fetch_add(by, std::memory_order_relaxed);
}

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, true)) return false;
  return true;
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.substr(0, 2) == "__") return false;  // "__" is reserved for Prometheus itself
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!name_char(name[i], i == 0, false)) return false;
  return true;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Byte counts and item counts are integers: print them as such (to_chars
  // would write 1e+15), as long as a double holds them exactly.
  if (value == std::trunc(value) && std::fabs(value) <= 9007199254740992.0) {
    if (value == 0) return "0";  // also -0
    return std::to_string(static_cast<long long>(value));
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, value);  // shortest round-trip form
  return std::string(buf, r.ptr);
}

Registry::Entry& Registry::declare(Type type, const std::string& name, const std::string& help,
                                   const std::vector<std::string>& label_names) {
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  std::set<std::string> seen;
  for (const auto& l : label_names) {
    if (!valid_label_name(l)) throw std::invalid_argument("metric " + name + ": invalid label name '" + l + "'");
    if (!seen.insert(l).second) throw std::invalid_argument("metric " + name + ": label '" + l + "' given twice");
  }
  auto it = families_.find(name);
  if (it != families_.end()) {
    const Entry& e = it->second;
    const auto& existing = e.type == Type::Counter ? e.counter->label_names() : e.gauge->label_names();
    const auto& existing_help = e.type == Type::Counter ? e.counter->help() : e.gauge->help();
    if (e.type != type || existing != label_names || existing_help != help)
      throw std::invalid_argument("metric " + name + " is already declared as a " + type_name(e.type) +
                                  " with other labels or help");
    return it->second;
  }
  Entry e{type, nullptr, nullptr};
  if (type == Type::Counter) {
    e.counter.reset(new Family<Counter>(name, help, label_names));
    if (label_names.empty()) e.counter->get();
  } else {
    e.gauge.reset(new Family<Gauge>(name, help, label_names));
    if (label_names.empty()) e.gauge->get();
  }
  return families_.emplace(name, std::move(e)).first->second;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help,
                                   const std::vector<std::string>& label_names) {
  std::lock_guard lock(mu_);
  return *declare(Type::Counter, name, help, label_names).counter;
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help,
                               const std::vector<std::string>& label_names) {
  std::lock_guard lock(mu_);
  return *declare(Type::Gauge, name, help, label_names).gauge;
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, e] : families_) {
    if (e.type == Type::Counter) render_family(out, *e.counter, Type::Counter);
    else render_family(out, *e.gauge, Type::Gauge);
  }
  return out;
}

}  // namespace sseccoe::metrics
