#include "workers.hpp"

#include <stdlib.h>

#include <filesystem>
#include <map>

#include <spdlog/spdlog.h>

#include "context.hpp"
#include "util/log.hpp"
#include "pipeline/rematch.hpp"
#include "plugins/source_config.hpp"

namespace sseccoe::agent {

namespace {

const sdk::Plugin& plugin_of(const core::PluginRegistry& plugins, const core::SourceSection& s) {
  const sdk::Plugin* p = plugins.find(s.plugin);
  // The configuration was validated against these plugins; this is a guard.
  if (p == nullptr) throw ConfigFailure("source '" + s.name + "': plugin '" + s.plugin + "' is not loaded");
  return *p;
}

// A private directory that is removed again, for trial instances.
struct ScratchDir {
  std::string path;
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sseccoe-reload-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw Failure("cannot create a temporary directory in " + std::filesystem::temp_directory_path().string());
    path = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace

std::vector<std::string> template_dirs(const core::Config& config) {
  std::vector<std::string> dirs;
  if (!config.agent.templates_dir.empty()) dirs.push_back(config.agent.templates_dir);
  dirs.push_back(core::extract::TemplateSet::default_dir());
  return dirs;
}

Blueprint make_blueprint(core::Config config, std::shared_ptr<const model::Catalog> catalog) {
  Blueprint b;
  b.config = std::make_shared<const core::Config>(std::move(config));
  b.catalog = std::move(catalog);
  b.rules = std::make_shared<const core::RuleSet>(b.config->rules);
  try {
    b.templates = std::make_shared<const core::extract::TemplateSet>(
        core::extract::TemplateSet::load(template_dirs(*b.config)));
  } catch (const core::extract::TemplateError& e) {
    throw ConfigFailure(std::string("certificate template: ") + e.what());
  }
  b.reader = std::make_shared<const core::extract::DocumentReader>(core::extract::DocumentReader::default_program());
  return b;
}

void try_blueprint(const Blueprint& blueprint, const core::PluginRegistry& plugins, store::Store& store) {
  const core::Config& cfg = *blueprint.config;
  for (const auto& s : cfg.sources) {
    if (!s.enabled) continue;
    try {
      ScratchDir scratch;
      plugin_of(plugins, s).create(core::make_source_config(cfg, s, scratch.path));
    } catch (const ConfigFailure&) {
      throw;
    } catch (const std::exception& e) {
      throw ConfigFailure(util::source_message(s.name, e.what()));
    }
  }
  if (!cfg.registry.url.empty()) {
    try {
      core::Syncer probe(store, cfg.registry);  // reads the token file, sends nothing
    } catch (const std::exception& e) {
      throw ConfigFailure(e.what());
    }
  }
}

core::EmitterContext emitter_context(const Blueprint& blueprint, const core::SourceSection& s, store::Store& store) {
  const core::Config& cfg = *blueprint.config;
  return core::EmitterContext{cfg.agent.institution, cfg.agent.program, s.name,
                              s.plugin,           blueprint.catalog.get(), blueprint.rules.get(),
                              &store,             s.role,                  blueprint.reader.get(),
                              blueprint.templates.get()};
}

core::ReclassifyReport reclassify_backlog(const Blueprint& blueprint, store::Store& store,
                                          const core::ReclassifyOptions& options) {
  std::map<std::string, core::EmitterContext> contexts;
  for (const auto& s : blueprint.config->sources) contexts.emplace(s.name, emitter_context(blueprint, s, store));
  return core::reclassify(
      store,
      [&](const std::string& source) -> const core::EmitterContext* {
        auto it = contexts.find(source);
        return it == contexts.end() ? nullptr : &it->second;
      },
      options);
}

std::string summarize(const core::ReclassifyReport& r) {
  if (r.changes.empty() && r.refreshed == 0 && r.conflicts == 0) return {};
  std::size_t reread = 0;
  for (const auto& c : r.changes) reread += c.reread ? 1 : 0;
  std::string text = "reclassify: " + std::to_string(r.changes.size() - reread) + " of " +
                     std::to_string(r.examined) + " unclassified or held record(s) changed by today's rules";
  if (reread) text += ", " + std::to_string(reread) + " to be re-read by their source";
  if (r.refreshed) text += ", " + std::to_string(r.refreshed) + " explanation(s) brought up to date";
  if (r.conflicts) text += ", " + std::to_string(r.conflicts) + " changed meanwhile (left for the next run)";
  return text;
}

Workers::Workers(Blueprint blueprint, const core::PluginRegistry& plugins, store::Store& store)
    : blueprint_(std::move(blueprint)), store_(store) {
  const core::Config& cfg = *blueprint_.config;
  for (const auto& s : cfg.sources) {
    if (!s.enabled) continue;
    std::unique_ptr<sdk::Source> source;
    try {
      const std::string work_dir = core::source_work_dir(cfg, s);
      core::reset_work_dir(work_dir);
      source = plugin_of(plugins, s).create(core::make_source_config(cfg, s, work_dir));
    } catch (const ConfigFailure&) {
      throw;
    } catch (const std::exception& e) {
      throw ConfigFailure(util::source_message(s.name, e.what()));
    }
    auto h = std::make_unique<core::Harvester>(s, std::move(source), emitter_context(blueprint_, s, store));
    h->state_dir = cfg.agent.state_dir;
    h->min_free_space = cfg.agent.min_free_space;
    harvesters_.push_back(std::move(h));
  }
  if (!cfg.registry.url.empty()) {
    try {
      syncer_ = std::make_unique<core::Syncer>(store, cfg.registry);
    } catch (const std::exception& e) {
      throw ConfigFailure(e.what());
    }
    for (auto& h : harvesters_) h->on_pending = [s = syncer_.get()] { s->notify(); };
  }
}

Workers::~Workers() { stop(); }

void Workers::reclassify() {
  // A corrected rule applies to the backlog at once, not only to items
  // harvested from now on. A failure here must not keep the sources from
  // starting: it is logged, and the next start or reload tries again.
  try {
    auto report = reclassify_backlog(blueprint_, store_, {});
    for (const auto& c : report.changes) spdlog::info("reclassify: {}", core::describe(c));
    if (auto text = summarize(report); !text.empty()) spdlog::info("{}", text);
    if (syncer_ && !report.changes.empty()) syncer_->notify();
  } catch (const std::exception& e) {
    spdlog::error("reclassify: {}; the backlog keeps its classification until the next start or reload", e.what());
  }
}

void Workers::rematch_if_people_changed(bool settled_only) {
  try {
    const std::int64_t people = store_.people_count();
    if (people != people_seen_) {
      people_seen_ = people;
      rematch_due_ = true;
      // While an HR export is being read the register grows every few
      // seconds: wait until it holds still, rather than scan the records
      // at every step of a million-row import.
      if (settled_only) return;
    }
    if (!rematch_due_) return;
    rematch_due_ = false;
    const auto report = core::rematch_unmatched(store_);
    if (report.revised > 0) {
      spdlog::info("people register: {} certificate holder(s) matched now, {} record(s) revised", report.matched,
                   report.revised);
      if (syncer_) syncer_->notify();
    }
  } catch (const std::exception& e) {
    spdlog::warn("people register: matching certificate holders again failed ({}); tried again later", e.what());
  }
}

void Workers::start() {
  reclassify();
  rematch_if_people_changed();
  for (auto& h : harvesters_)
    threads_.emplace_back([h = h.get(), stop = stop_.get_token()] { h->run_forever(stop); });
  if (syncer_) threads_.emplace_back([s = syncer_.get(), stop = stop_.get_token()] { s->run_forever(stop); });
}

void Workers::stop() {
  stop_.request_stop();
  threads_.clear();  // joins
}

}  // namespace sseccoe::agent
