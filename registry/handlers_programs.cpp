// GET /programs/{program}, GET /programs/{program}/progress and the health
// probe.
#include "handlers.hpp"
#include "http_io.hpp"

namespace sseccoe::registry {

using nlohmann::json;

void handle_health(Services&, Call& c) { send_json(c.resp, 200, {{"status", "ok"}}); }

void handle_program_get(Services& s, Call& c) {
  const model::Catalog* cat = s.catalogs.find(c.param);
  if (!cat) throw ApiError(404, "not_found", "this registry has no program " + c.param, "program");
  send_json(c.resp, 200, model::to_json(*cat));
}

}  // namespace sseccoe::registry
