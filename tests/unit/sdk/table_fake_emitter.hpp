// A fake core for TableHarvest tests: records what the harvest emits,
// quarantines, reports gone and logs, and holds the keys "stored" by
// earlier passes. It fails the test if the harvest calls back into it while
// it is listing its keys (for_each_known's contract).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sseccoe/sdk/emitter.hpp"
#include "sseccoe/sdk/table.hpp"

namespace sseccoe::sdk::table::testing {

struct Quarantined {
  std::string key, reason, locator;
};

class FakeEmitter : public Emitter {
 public:
  EmitResult emit(const Item& item, const std::optional<Cursor>&) override {
    check_not_listing("emit");
    ++emit_calls;
    if (keep_items) items.push_back(item);
    auto [it, fresh] = store.try_emplace(item.natural_key, item.version);
    if (!fresh && it->second == item.version) return {EmitOutcome::Unchanged, "ev-x", {}};
    const bool changed = !fresh;
    it->second = item.version;
    return {changed ? EmitOutcome::Changed : EmitOutcome::New, "ev-x", {}};
  }
  void quarantine(std::string_view key, std::string_view reason, std::string_view locator) override {
    check_not_listing("quarantine");
    quarantined.push_back({std::string(key), std::string(reason), std::string(locator)});
  }
  std::optional<KnownItem> known(std::string_view key) override {
    check_not_listing("known");
    auto it = store.find(std::string(key));
    if (it == store.end()) return std::nullopt;
    return KnownItem{it->second, ""};
  }
  bool for_each_known(const std::function<void(std::string_view)>& visit) override {
    if (!can_list) return false;
    listing = true;
    for (const auto& [key, version] : store)
      if (!gone_keys.count(key)) visit(key);
    listing = false;
    return true;
  }
  void checkpoint(const Cursor&) override { check_not_listing("checkpoint"); }
  void people_seen(const std::vector<Person>& people) override {
    check_not_listing("people_seen");
    ++people_seen_calls;
    seen_people.insert(seen_people.end(), people.begin(), people.end());
  }
  void gone(std::string_view key) override {
    check_not_listing("gone");
    gone_keys.insert(std::string(key));
    gone_order.emplace_back(key);
  }
  void log(LogLevel level, std::string_view message) override {
    check_not_listing("log");
    logs.emplace_back(level, std::string(message));
  }

  const Item* find(const std::string& key) const {
    for (const auto& i : items)
      if (i.natural_key == key) return &i;
    return nullptr;
  }
  const Quarantined* find_quarantine(const std::string& key) const {
    for (const auto& q : quarantined)
      if (q.key == key) return &q;
    return nullptr;
  }
  // Every text the harvest handed out that a person or a log may see.
  std::string all_text() const {
    std::string s;
    for (const auto& q : quarantined) s += q.key + "\n" + q.reason + "\n" + q.locator + "\n";
    for (const auto& [level, m] : logs) s += m + "\n";
    return s;
  }
  std::size_t warnings() const {
    std::size_t n = 0;
    for (const auto& [level, m] : logs) n += level == LogLevel::Warn ? 1 : 0;
    return n;
  }
  void new_pass() {
    items.clear();
    quarantined.clear();
    gone_order.clear();
    logs.clear();
    emit_calls = 0;
  }

  bool keep_items = true;  // false: only count (a million rows)
  bool can_list = true;
  std::uint64_t emit_calls = 0;
  std::vector<Item> items;
  std::vector<Quarantined> quarantined;
  std::vector<Person> seen_people;  // people_seen: a census's people
  int people_seen_calls = 0;
  std::map<std::string, std::string> store;  // natural key -> version, across passes
  std::set<std::string> gone_keys;
  std::vector<std::string> gone_order;
  std::vector<std::pair<LogLevel, std::string>> logs;

 private:
  void check_not_listing(const char* call) const {
    if (listing) ADD_FAILURE() << "TableHarvest called Emitter::" << call << " from inside for_each_known";
  }
  bool listing = false;
};

// Settings as read_settings would produce them.
inline Settings settings(std::vector<std::string> key, StringPairs columns, std::string role = "evidence") {
  Settings s;
  s.instance = "rh";
  s.key = std::move(key);
  s.columns = std::move(columns);
  s.role = std::move(role);
  return s;
}

// The columns of a typical training export.
inline StringPairs training_columns() {
  return {{"employee_id", "No. Empleado"}, {"name", "Nombre"},   {"curp", "CURP"},
          {"rfc", "RFC"},                  {"course", "Curso"},  {"occurred_on", "Fecha de conclusión"}};
}

inline std::vector<std::string> training_header() {
  return {"No. Empleado", "Nombre", "CURP", "RFC", "Curso", "Fecha de conclusión"};
}

}  // namespace sseccoe::sdk::table::testing
