// GET /programs/{program}/progress: the indicator progress of the token's
// institution, computed by the agent's own engine (core/report) over the
// newest revision of each registered record.
#include "handlers.hpp"
#include "http_io.hpp"
#include "model/record.hpp"
#include "report/progress.hpp"

namespace sseccoe::registry {

void handle_progress_get(Services& s, Call& c) {
  const model::Catalog* cat = s.catalogs.find(c.param);
  if (!cat) throw ApiError(404, "not_found", "this registry has no program " + c.param, "program");
  if (!cat->institution.empty() && cat->institution != c.institution)
    throw ApiError(404, "not_found",
                   "program " + c.param + " is the work program of " + cat->institution + ", not of " + c.institution,
                   "program");
  report::ProgressBuilder builder(*cat);
  s.storage.each_current_record(c.institution, c.param, [&](const StoredRecord& r) {
    // Bodies were written by this registry from a validated record.
    builder.add(report::fact_from_record(model::record_from_json(nlohmann::json::parse(r.body))));
  });
  send_json(c.resp, 200, report::to_json(builder.finish()));
}

}  // namespace sseccoe::registry
