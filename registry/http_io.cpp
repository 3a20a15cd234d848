#include "http_io.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "file_store.hpp"

namespace sseccoe::registry {

using nlohmann::json;

namespace {
constexpr int kMaxJsonDepth = 64;
}

void send_json(Poco::Net::HTTPServerResponse& resp, int status, const json& body) {
  // Invalid UTF-8 cannot reach here (parse_json refuses it), but replacing
  // rather than throwing keeps an answer possible whatever happens.
  std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  resp.setContentType("application/json");
  resp.setContentLength64(static_cast<Poco::Int64>(text.size()));
  resp.set("Cache-Control", "no-store");
  resp.send() << text;
}

void send_error(Poco::Net::HTTPServerResponse& resp, const ApiError& e) {
  json err = {{"code", e.code}, {"message", e.what()}};
  if (!e.field.empty()) err["field"] = e.field;
  for (const auto& [k, v] : e.headers) resp.set(k, v);
  send_json(resp, e.status, json{{"error", err}});
}

void send_empty(Poco::Net::HTTPServerResponse& resp, int status, std::uint64_t length) {
  resp.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  resp.setContentLength64(static_cast<Poco::Int64>(length));
  resp.send();
}

std::string read_body(Poco::Net::HTTPServerRequest& req, std::uint64_t limit) {
  auto too_large = [&] {
    return ApiError(413, "payload_too_large",
                    "the body is larger than the registry accepts (" + std::to_string(limit) + " bytes)");
  };
  if (req.hasContentLength() && req.getContentLength64() > static_cast<Poco::Int64>(limit)) throw too_large();
  std::string body;
  if (req.hasContentLength()) body.reserve(static_cast<std::size_t>(req.getContentLength64()));
  std::array<char, 16384> buf;
  auto& in = req.stream();
  while (in) {
    in.read(buf.data(), buf.size());
    auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    if (body.size() + n > limit) throw too_large();
    body.append(buf.data(), n);
  }
  return body;
}

json parse_json(const std::string& body) {
  json::parser_callback_t depth_guard = [](int depth, json::parse_event_t, json&) {
    if (depth > kMaxJsonDepth)
      throw ApiError(400, "malformed_json", "the JSON nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  };
  try {
    return json::parse(body, depth_guard);
  } catch (const json::parse_error& e) {
    // e.byte locates the problem without echoing the (possibly personal) text.
    throw ApiError(400, "malformed_json",
                   "the body is not valid UTF-8 JSON (error at byte " + std::to_string(e.byte) + ")");
  }
}

std::string media_type(const Poco::Net::HTTPServerRequest& req) {
  std::string ct = req.getContentType();
  ct = ct.substr(0, ct.find(';'));
  ct.erase(std::remove_if(ct.begin(), ct.end(), [](unsigned char c) { return std::isspace(c); }), ct.end());
  std::transform(ct.begin(), ct.end(), ct.begin(), [](unsigned char c) { return std::tolower(c); });
  return ct;
}

void discard_body(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, std::uint64_t budget) {
  if (req.hasContentLength() && req.getContentLength64() > static_cast<Poco::Int64>(budget)) {
    resp.setKeepAlive(false);
    return;
  }
  if (!drain(req.stream(), budget)) resp.setKeepAlive(false);
}

}  // namespace sseccoe::registry
