// PUT and GET /evidence/{id}, GET /evidence: idempotent registration with
// revisions and folios, and the newest-first listing.
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <ctime>

#include "sseccoe/sdk/regex.hpp"
#include "handlers.hpp"
#include "http_io.hpp"
#include "model/record.hpp"
#include "page_token.hpp"
#include "validation.hpp"

namespace sseccoe::registry {

using nlohmann::json;

bool is_record_id(const std::string& id) {
  static const sdk::Regex re = sdk::Regex::compile("ev-[0-9a-f]{32}", false);
  return re.full_match(id);
}

bool is_program_name(const std::string& program) {
  static const sdk::Regex re = sdk::Regex::compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}", false);
  return re.full_match(program);
}

std::string now_rfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

const char* status_name(PutStatus s) {
  switch (s) {
    case PutStatus::created: return "created";
    case PutStatus::unchanged: return "unchanged";
    case PutStatus::revised: return "revised";
  }
  return "created";
}

// A stored revision as the API shows it: the record itself plus what the
// registry added (revision, folio, registration times).
json record_view(const StoredRecord& r) {
  json j = json::parse(r.body);
  j["revision"] = r.revision;
  j["folio"] = r.folio;
  j["registered_at"] = r.registered_at;
  j["first_registered_at"] = r.first_registered_at;
  return j;
}

ApiError forbidden(const std::string& what) {
  return ApiError(403, "forbidden", what + " belongs to another institution than this token's", "institution");
}

}  // namespace

void handle_evidence_put(Services& s, Call& c) {
  if (media_type(c.req) != "application/json")
    throw ApiError(415, "unsupported_media_type", "send the record as Content-Type: application/json");
  std::string body = read_body(c.req, s.cfg.max_record_bytes);
  json j = parse_json(body);
  if (j.is_object()) {
    auto it = j.find("id");
    if (it != j.end() && (!it->is_string() || it->get<std::string>() != c.param))
      throw ApiError(400, "id_mismatch", "the record's id differs from the id in the path", "id");
  }
  model::Record rec;
  try {
    rec = model::record_from_json(j);
  } catch (const model::RecordError& e) {
    throw ApiError(422, "invalid_record", e.what(), e.field);
  }
  if (rec.institution != c.institution) throw forbidden("the record");

  const model::Catalog* catalog = nullptr;
  std::vector<Warning> warnings = validate_record(rec, s.catalogs, s.storage, catalog);

  RecordWrite w{rec.id, rec.institution, rec.program, rec.activity, catalog->year,
                model::to_json(rec).dump(), model::content_fingerprint(rec), now_rfc3339()};
  PutResult res;
  try {
    res = s.storage.put_record(w);
  } catch (const ForeignRecord&) {
    throw forbidden("record " + rec.id);
  }
  for (const auto& wn : warnings) spdlog::warn("record {}: {}: {}", rec.id, wn.field, wn.code);
  spdlog::info("record {} {} revision {} folio {}", rec.id, status_name(res.status), res.revision, res.folio);
  json out = {{"id", rec.id},
              {"revision", res.revision},
              {"folio", res.folio},
              {"status", status_name(res.status)},
              {"registered_at", res.registered_at}};
  if (!warnings.empty()) {
    out["warnings"] = json::array();
    for (const auto& wn : warnings)
      out["warnings"].push_back({{"code", wn.code}, {"field", wn.field}, {"message", wn.message}});
  }
  send_json(c.resp, res.status == PutStatus::created ? 201 : 200, out);
}

void handle_evidence_get(Services& s, Call& c) {
  auto r = s.storage.record(c.param);
  if (!r) throw ApiError(404, "not_found", "no record " + c.param + " in this registry", "id");
  if (r->institution != c.institution) throw forbidden("record " + c.param);
  send_json(c.resp, 200, record_view(*r));
}

void handle_evidence_list(Services& s, Call& c) {
  ListQuery q;
  q.institution = c.institution;
  std::string page_token;
  q.limit = std::min(50, s.cfg.max_page_size);
  for (const auto& [k, v] : Poco::URI(c.req.getURI()).getQueryParameters()) {
    if (k == "program") q.program = v;
    else if (k == "activity") q.activity = v;
    else if (k == "page_token") page_token = v;
    else if (k == "page_size") {
      int n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || n < 1 || n > s.cfg.max_page_size)
        throw ApiError(400, "invalid_parameter",
                       "page_size must be an integer from 1 to " + std::to_string(s.cfg.max_page_size), "page_size");
      q.limit = n;
    } else {
      throw ApiError(400, "invalid_parameter",
                     "unknown query parameter (known: program, activity, page_token, page_size)",
                     k.size() > 64 ? k.substr(0, 64) : k);
    }
  }
  // Page size is not part of the binding: a client may change it between pages.
  std::string filter_key = q.institution + "\n" + q.program + "\n" + q.activity;
  if (!page_token.empty()) {
    q.before = decode_page_token(page_token, filter_key);
    if (!q.before)
      throw ApiError(400, "invalid_page_token",
                     "page_token was not issued for this query; start again without it", "page_token");
  }
  ListPage page = s.storage.list(q);
  json items = json::array();
  for (const auto& r : page.items) items.push_back(record_view(r));
  json out = {{"items", std::move(items)}};
  if (page.next) out["next_page_token"] = encode_page_token(*page.next, filter_key);
  send_json(c.resp, 200, out);
}

}  // namespace sseccoe::registry
