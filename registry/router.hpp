// Maps a request to its endpoint: 404 for an unknown path, 405 (with Allow)
// for a wrong method, 400 for a malformed path parameter, 401 without a
// valid bearer token; then the handler. Every answer, errors included, is
// JSON; every request is logged without personal data.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "handlers.hpp"

namespace sseccoe::registry {

enum class Endpoint { none, health, file, evidence_list, evidence, program, progress };

struct Route {
  Endpoint endpoint = Endpoint::none;
  std::string param;
  std::vector<std::string> methods;  // allowed, in Allow-header order
};

// Pure function of the path (decoded, without the query).
Route match_route(const std::string& path);

class ApiHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiHandlerFactory(Services& s) : services_(s) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& req) override;

 private:
  Services& services_;
};

}  // namespace sseccoe::registry
