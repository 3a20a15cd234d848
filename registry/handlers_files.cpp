// HEAD and PUT /files/{sha256}: content-addressed uploads.
#include <spdlog/spdlog.h>

#include "handlers.hpp"
#include "http_io.hpp"

namespace sseccoe::registry {

namespace {

bool present(Services& s, const std::string& sha, std::uint64_t* size = nullptr) {
  auto row = s.storage.file(sha);
  // A row without its bytes (removed by hand, restored from a partial backup)
  // counts as absent, so that the agent uploads the file again.
  if (!row || !s.files.exists(sha)) return false;
  if (size) *size = row->size;
  return true;
}

std::string upload_media_type(const Poco::Net::HTTPServerRequest& req) {
  std::string mt = req.getContentType();
  if (mt.empty()) return "application/octet-stream";
  return mt.size() > 255 ? mt.substr(0, 255) : mt;
}

}  // namespace

void handle_file_head(Services& s, Call& c) {
  std::uint64_t size = 0;
  if (!present(s, c.param, &size)) {
    send_empty(c.resp, 404);
    return;
  }
  send_empty(c.resp, 200, size);
}

void handle_file_put(Services& s, Call& c) {
  const std::uint64_t limit = s.cfg.max_file_bytes;
  auto too_large = [&] {
    return ApiError(413, "payload_too_large",
                    "the file is larger than this registry accepts (max_file_bytes = " + std::to_string(limit) + ")");
  };
  if (c.req.hasContentLength() && c.req.getContentLength64() > static_cast<Poco::Int64>(limit)) throw too_large();

  const bool had = present(s, c.param);
  auto& body = c.req.stream();
  FileStore::Result r = had ? s.files.verify_only(body, c.param, limit) : s.files.store(body, c.param, limit);
  if (r.outcome == FileStore::Outcome::too_large) throw too_large();
  if (c.req.hasContentLength() && r.size != static_cast<std::uint64_t>(c.req.getContentLength64()))
    throw ApiError(400, "incomplete_body",
                   "the body ended after " + std::to_string(r.size) + " of the " +
                       std::to_string(c.req.getContentLength64()) + " bytes announced; nothing was stored");
  if (r.outcome == FileStore::Outcome::digest_mismatch)
    throw ApiError(400, "digest_mismatch",
                   "the body's SHA-256 is " + r.actual_sha256 + ", not the digest in the path; nothing was stored",
                   "sha256");
  bool created = false;
  if (!had) created = s.storage.add_file({c.param, r.size, upload_media_type(c.req), now_rfc3339()});
  spdlog::debug("file {} ({} bytes) {}", c.param, r.size, created ? "stored" : "already present");
  send_json(c.resp, created ? 201 : 200,
            {{"sha256", c.param}, {"size", r.size}, {"status", created ? "stored" : "present"}});
}

}  // namespace sseccoe::registry
