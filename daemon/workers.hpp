// One configuration's moving parts: a harvester per enabled source and the
// syncer, with the configuration, catalog and rules they were built from
// (harvesters and rules point into them, so they travel together). `run`
// owns one set at a time; a reload stops it and builds the next one from the
// new configuration while the store stays open and agent.lock stays held.
#pragma once

#include <memory>
#include <stop_token>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "model/catalog.hpp"
#include "pipeline/harvester.hpp"
#include "pipeline/reclassify.hpp"
#include "plugins/plugin_registry.hpp"
#include "rules/rules.hpp"
#include "store/store.hpp"
#include "sync/syncer.hpp"

namespace sseccoe::agent {

// What a set of workers is built from.
struct Blueprint {
  std::shared_ptr<const core::Config> config;
  std::shared_ptr<const model::Catalog> catalog;  // never null
  std::shared_ptr<const core::RuleSet> rules;     // compiled from config->rules
  // Reading certificates and images (pipeline/understand.hpp).
  std::shared_ptr<const core::extract::DocumentReader> reader;
  std::shared_ptr<const core::extract::TemplateSet> templates;
};

// The template directories of a configuration: [agent] templates_dir
// first (the operator's own), then the shipped ones beside the agent.
std::vector<std::string> template_dirs(const core::Config& config);

// Compiles the rules of `config` and loads the certificate templates into a
// blueprint. Throws ConfigFailure for a template that does not load (its
// file and line).
Blueprint make_blueprint(core::Config config, std::shared_ptr<const model::Catalog> catalog);

// Creates every enabled source of the blueprint with a throw-away work
// directory (as `doctor` does) and reads the registry token, touching
// nothing a running set uses: a reload checks the new configuration this way
// before it stops anything. Throws ConfigFailure naming the source.
void try_blueprint(const Blueprint& blueprint, const core::PluginRegistry& plugins, store::Store& store);

// How the pipeline is set up for a source of the blueprint: what a
// harvester of it would use.
core::EmitterContext emitter_context(const Blueprint& blueprint, const core::SourceSection& source,
                                     store::Store& store);

// Applies the blueprint's rules and catalog to the unclassified and held
// records (pipeline/reclassify.hpp). `run` does it before its sources start
// and after a reload, `reclassify` on demand; the outcome is logged.
core::ReclassifyReport reclassify_backlog(const Blueprint& blueprint, store::Store& store,
                                          const core::ReclassifyOptions& options);

// The log's summary of a reclassification, or "" when nothing changed.
std::string summarize(const core::ReclassifyReport& report);

class Workers {
 public:
  // Empties each enabled source's work directory, creates the sources and
  // the syncer (when [registry] url is set). Nothing runs yet. Throws
  // ConfigFailure naming the source, or for the registry token.
  Workers(Blueprint blueprint, const core::PluginRegistry& plugins, store::Store& store);
  // Stops and joins.
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Reclassifies the backlog with this set's rules (reclassify_backlog),
  // then starts one thread per harvester and one for the syncer.
  void start();
  // Asks every thread to stop and joins them. Bounded: harvesters return
  // between items, and the syncer abandons a transfer about a second after
  // the request (docs/delivery.md, "Stopping"). Idempotent.
  void stop();

  const Blueprint& blueprint() const { return blueprint_; }
  const core::Config& config() const { return *blueprint_.config; }
  const std::vector<std::unique_ptr<core::Harvester>>& harvesters() const { return harvesters_; }
  core::Syncer* syncer() const { return syncer_.get(); }
  // What start() does first; `run --once` calls it before its pass.
  void reclassify();
  // Matches again the people certificates named and the register did not
  // know (pipeline/rematch.hpp), when the register has grown since the last
  // look; the service calls it every few seconds with `settled_only` (only
  // once the register has stopped growing), start and `run --once` without.
  // Logs instead of throwing.
  void rematch_if_people_changed(bool settled_only = false);

 private:
  Blueprint blueprint_;
  store::Store& store_;
  std::int64_t people_seen_ = -1;
  bool rematch_due_ = false;
  std::vector<std::unique_ptr<core::Harvester>> harvesters_;
  std::unique_ptr<core::Syncer> syncer_;
  std::stop_source stop_;
  std::vector<std::jthread> threads_;
};

}  // namespace sseccoe::agent
