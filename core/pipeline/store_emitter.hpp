// The core's Emitter: streams an item's contents into the blob store,
// normalises it into an evidence record (rules, catalog, dates) and commits
// item, record, outbox entry and cursor in one transaction.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "extract/certificate.hpp"
#include "extract/reader.hpp"
#include "model/catalog.hpp"
#include "rules/rules.hpp"
#include "sseccoe/sdk/emitter.hpp"
#include "store/store.hpp"

namespace sseccoe::core {

struct EmitterContext {
  std::string institution, program, source, plugin;
  const model::Catalog* catalog = nullptr;  // may be null: records are then held for review
  const RuleSet* rules = nullptr;
  store::Store* store = nullptr;
  std::string role = "evidence";  // the source's role: "census" items become headcount records
  // Understanding what was harvested (pipeline/understand.hpp); null: files
  // stay opaque (records are still made, their fields listed as unread).
  const extract::DocumentReader* reader = nullptr;
  const extract::TemplateSet* templates = nullptr;
};

struct HarvestStats {
  std::size_t new_items = 0, changed = 0, unchanged = 0, quarantined = 0, deferred = 0, gone = 0;
};

class StoreEmitter final : public sdk::Emitter {
 public:
  explicit StoreEmitter(EmitterContext ctx) : ctx_(std::move(ctx)) {}

  sdk::EmitResult emit(const sdk::Item& item, const std::optional<sdk::Cursor>& cursor_after) override;
  void quarantine(std::string_view natural_key, std::string_view reason, std::string_view locator) override;
  std::optional<sdk::KnownItem> known(std::string_view natural_key) override;
  void checkpoint(const sdk::Cursor& cursor) override;
  bool for_each_known(const std::function<void(std::string_view)>& visit) override;
  void gone(std::string_view natural_key) override;
  void log(sdk::LogLevel level, std::string_view message) override;
  void batch_begin() override { ctx_.store->begin_batch(); }
  void batch_end() override { ctx_.store->end_batch(); }
  void people_seen(const std::vector<sdk::Person>& people) override;

  const HarvestStats& stats() const { return stats_; }
  // Called after each stored record (the sync thread waits on it).
  std::function<void()> on_pending;

 private:
  EmitterContext ctx_;
  HarvestStats stats_;
};

}  // namespace sseccoe::core
