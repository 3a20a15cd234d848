// Gauges and counters, named and labelled as Prometheus wants them, and
// rendered in its text exposition format (version 0.0.4). Small on purpose:
// the agent writes the rendering to a file for node_exporter's textfile
// collector (textfile.hpp); an HTTP /metrics endpoint can serve the same
// text later.
//
// Thread-safe: families and series may be created from any thread, and a
// series' value is an atomic, so the hot path (a harvester counting an item)
// is one atomic add on a reference it looked up once. Series live as long
// as their registry, so those references stay valid.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sseccoe::metrics {

// A value that only goes up (reset only when the process starts).
class Counter {
 public:
  // `by` must not be negative: a counter that went down would read as a
  // restart to Prometheus. Throws std::invalid_argument.
  void inc(double by = 1);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that is set: a level, a size, a 0/1 state.
class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

enum class Type { Counter, Gauge };

// One metric name with its help text, label names and series (one per
// combination of label values).
template <class Cell>
class Family {
 public:
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // The series with these label values (in the order of label_names()),
  // created at 0 the first time. Throws std::invalid_argument when the
  // number of values is wrong.
  Cell& with(const std::vector<std::string>& label_values);
  // The series of a family without labels.
  Cell& get() { return with({}); }

  // Calls visit(label_values, cell) for each series, sorted by label values.
  template <class Visit>
  void for_each(Visit&& visit) const {
    std::lock_guard lock(mu_);
    for (const auto& [values, cell] : series_) visit(values, *cell);
  }

 private:
  friend class Registry;
  Family(std::string name, std::string help, std::vector<std::string> label_names)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)) {}

  std::string name_, help_;
  std::vector<std::string> label_names_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Cell>> series_;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Declares a family, or returns the one already declared under `name`
  // when its type, help and labels are the same. A family without labels
  // gets its one series at once, so it is rendered (as 0) from the start.
  // Throws std::invalid_argument for a malformed metric or label name, a
  // duplicate label name, or a name already declared differently.
  Family<Counter>& counter(const std::string& name, const std::string& help,
                           const std::vector<std::string>& label_names = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help,
                       const std::vector<std::string>& label_names = {});

  // Every family in the text exposition format, sorted by name; a labelled
  // family with no series yet is left out.
  std::string render() const;

 private:
  struct Entry {
    Type type;
    std::unique_ptr<Family<Counter>> counter;
    std::unique_ptr<Family<Gauge>> gauge;
  };
  Entry& declare(Type type, const std::string& name, const std::string& help,
                 const std::vector<std::string>& label_names);

  mutable std::mutex mu_;
  std::map<std::string, Entry> families_;
};

// The text format's pieces, public for their tests.
bool valid_metric_name(std::string_view name);  // [a-zA-Z_:][a-zA-Z0-9_:]*
bool valid_label_name(std::string_view name);   // [a-zA-Z_][a-zA-Z0-9_]*, not "__..."
std::string escape_label_value(std::string_view value);  // \ " and newline escaped
std::string escape_help(std::string_view help);          // \ and newline escaped
// Shortest text that reads back as the same double; integers without an
// exponent up to 2^53; "NaN", "+Inf", "-Inf".
std::string format_value(double value);

template <class Cell>
Cell& Family<Cell>::with(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names_.size())
    throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                                " label value(s), got " + std::to_string(label_values.size()));
  std::lock_guard lock(mu_);
  auto& cell = series_[label_values];
  if (!cell) cell = std::make_unique<Cell>();
  return *cell;
}

}  // namespace sseccoe::metrics
