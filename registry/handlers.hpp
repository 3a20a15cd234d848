// The endpoints of docs/openapi.yaml. The router has already matched the
// route and method, checked the path parameter's shape and authenticated the
// caller; a handler answers or throws ApiError.
#pragma once

#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "catalogs.hpp"
#include "config.hpp"
#include "file_store.hpp"
#include "storage.hpp"
#include "token.hpp"

namespace sseccoe::registry {

// Everything a request may use; shared by all worker threads (each member is
// thread-safe or read-only after start).
struct Services {
  const RegistryConfig& cfg;
  Storage& storage;
  FileStore& files;
  const Catalogs& catalogs;
  const TokenRing& tokens;
};

struct Call {
  Poco::Net::HTTPServerRequest& req;
  Poco::Net::HTTPServerResponse& resp;
  std::string institution;  // of the bearer token
  std::string param;        // the path parameter: sha256, record id or program
};

void handle_health(Services& s, Call& c);
void handle_file_head(Services& s, Call& c);
void handle_file_put(Services& s, Call& c);
void handle_evidence_put(Services& s, Call& c);
void handle_evidence_get(Services& s, Call& c);
void handle_evidence_list(Services& s, Call& c);
void handle_program_get(Services& s, Call& c);
void handle_progress_get(Services& s, Call& c);

// Shapes of path parameters (the router answers 400 or 404 for others).
bool is_record_id(const std::string& id);
bool is_program_name(const std::string& program);

// Current time as RFC 3339 UTC with second precision.
std::string now_rfc3339();

}  // namespace sseccoe::registry
