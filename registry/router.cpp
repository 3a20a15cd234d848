#include "router.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "http_io.hpp"
#include "model/sha256.hpp"

namespace sseccoe::registry {

namespace {

constexpr std::string_view kBase = "/api/v1/";

std::vector<std::string> split(std::string_view rest) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto slash = rest.find('/', start);
    out.emplace_back(rest.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& m : v) s += (s.empty() ? "" : ", ") + m;
  return s;
}

// Bearer credentials, or empty. Header names are case-insensitive in Poco;
// the scheme is case-insensitive by RFC 7235.
std::string bearer(const Poco::Net::HTTPServerRequest& req) {
  const std::string& h = req.get("Authorization", "");
  if (h.size() < 7 || Poco::icompare(h.substr(0, 7), "bearer ") != 0) return {};
  std::string t = h.substr(7);
  auto b = t.find_first_not_of(' ');
  auto e = t.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
}

class ApiHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(Services& s) : s_(s) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override;

 private:
  void dispatch(Call& call, const Route& route);
  Services& s_;
};

void ApiHandler::dispatch(Call& call, const Route& route) {
  const std::string& m = call.req.getMethod();
  bool allowed = false;
  for (const auto& a : route.methods) allowed = allowed || a == m;
  if (!allowed)
    throw ApiError(405, "method_not_allowed", "this path accepts " + join(route.methods)).header("Allow", join(route.methods));
  if (route.endpoint == Endpoint::health) return handle_health(s_, call);

  if (route.endpoint == Endpoint::file && !model::is_sha256_hex(route.param))
    throw ApiError(400, "invalid_sha256", "the path must end in the file's SHA-256 as 64 lower-case hex digits",
                   "sha256");
  if (route.endpoint == Endpoint::evidence && !is_record_id(route.param))
    throw ApiError(400, "invalid_id", "a record id is \"ev-\" followed by 32 lower-case hex digits", "id");

  std::string token = bearer(call.req);
  auto inst = token.empty() ? std::nullopt : s_.tokens.institution_of(token);
  if (!inst) {
    ApiError e(401, "unauthorized",
               token.empty() ? "send Authorization: Bearer <token>" : "the bearer token is not valid for this registry");
    e.header("WWW-Authenticate", token.empty() ? "Bearer realm=\"sseccoe-registry\""
                                               : "Bearer realm=\"sseccoe-registry\", error=\"invalid_token\"");
    throw e;
  }
  call.institution = *inst;

  switch (route.endpoint) {
    case Endpoint::file: return m == "HEAD" ? handle_file_head(s_, call) : handle_file_put(s_, call);
    case Endpoint::evidence_list: return handle_evidence_list(s_, call);
    case Endpoint::evidence: return m == "PUT" ? handle_evidence_put(s_, call) : handle_evidence_get(s_, call);
    case Endpoint::program: return handle_program_get(s_, call);
    case Endpoint::progress: return handle_progress_get(s_, call);
    default: throw ApiError(404, "not_found", "no such endpoint");
  }
}

// The path for the log: cut, and without control or non-ASCII bytes (a
// percent-decoded path can contain anything).
std::string loggable(const std::string& path) {
  std::string out = path.size() > 200 ? path.substr(0, 200) + "..." : path;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return out;
}

void ApiHandler::handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
  auto t0 = std::chrono::steady_clock::now();
  std::string path;
  Call call{req, resp, {}, {}};
  // Only PUT handlers read bodies. Any other request that carries one would
  // leave it in the connection, to be misread as the next request.
  if (req.getMethod() != "PUT" &&
      ((req.hasContentLength() && req.getContentLength64() > 0) || req.getChunkedTransferEncoding()))
    resp.setKeepAlive(false);
  try {
    try {
      path = Poco::URI(req.getURI()).getPath();
    } catch (const Poco::SyntaxException&) {
      throw ApiError(400, "bad_request", "the request URI is malformed");
    }
    Route route = match_route(path);
    if (route.endpoint == Endpoint::none) throw ApiError(404, "not_found", "no such endpoint; the API is under /api/v1");
    call.param = route.param;
    dispatch(call, route);
  } catch (const ApiError& e) {
    if (!resp.sent()) {
      // An error may leave the body unread (refused before or while reading);
      // read what remains, within a budget, so the client sees this answer.
      if (req.getMethod() == "PUT" || req.getMethod() == "POST") discard_body(req, resp, s_.cfg.drain_bytes);
      send_error(resp, e);
    }
  } catch (const StorageBusy& e) {
    spdlog::warn("{} {}: storage busy: {}", req.getMethod(), loggable(path), e.what());
    if (!resp.sent()) {
      resp.setKeepAlive(false);
      send_error(resp, ApiError(503, "unavailable", "the registry is busy; retry later").header("Retry-After", "1"));
    }
  } catch (const Poco::Net::NetException& e) {
    // The client went away or timed out mid-request: nothing to answer.
    spdlog::info("{} {}: connection problem: {}", req.getMethod(), loggable(path), e.displayText());
    resp.setKeepAlive(false);
  } catch (const Poco::TimeoutException& e) {
    spdlog::info("{} {}: timed out reading the request", req.getMethod(), loggable(path));
    resp.setKeepAlive(false);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: internal error: {}", req.getMethod(), loggable(path), e.what());
    if (!resp.sent()) {
      resp.setKeepAlive(false);
      send_error(resp, ApiError(500, "internal_error", "the registry failed to handle the request; see its log"));
    }
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  // Paths carry record ids, digests and program names: no personal data.
  spdlog::info("{} {} {} {}ms{}{}", loggable(req.getMethod()), loggable(path), static_cast<int>(resp.getStatus()), ms,
               call.institution.empty() ? "" : " institution=", call.institution);
}

}  // namespace

Route match_route(const std::string& path) {
  if (path.rfind(kBase, 0) != 0) return {};
  auto seg = split(std::string_view(path).substr(kBase.size()));
  for (const auto& s : seg)
    if (s.empty()) return {};
  if (seg.size() == 1 && seg[0] == "health") return {Endpoint::health, {}, {"GET", "HEAD"}};
  if (seg.size() == 2 && seg[0] == "files") return {Endpoint::file, seg[1], {"HEAD", "PUT"}};
  if (seg.size() == 1 && seg[0] == "evidence") return {Endpoint::evidence_list, {}, {"GET"}};
  if (seg.size() == 2 && seg[0] == "evidence") return {Endpoint::evidence, seg[1], {"GET", "PUT"}};
  if (seg[0] == "programs" && seg.size() >= 2 && is_program_name(seg[1])) {
    if (seg.size() == 2) return {Endpoint::program, seg[1], {"GET"}};
    if (seg.size() == 3 && seg[2] == "progress") return {Endpoint::progress, seg[1], {"GET"}};
  }
  return {};
}

Poco::Net::HTTPRequestHandler* ApiHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new ApiHandler(services_);
}

}  // namespace sseccoe::registry
