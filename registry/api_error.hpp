// An error answer of the API: HTTP status and the JSON body
// {"error": {"code", "message", "field"}} of registry-api.md. Handlers throw
// it; the router turns it into the response.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sseccoe::registry {

struct ApiError : std::runtime_error {
  ApiError(int status, std::string code, const std::string& message, std::string field = {})
      : std::runtime_error(message), status(status), code(std::move(code)), field(std::move(field)) {}

  ApiError& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  int status;
  std::string code;
  std::string field;  // JSON path of the offending part of the request, if any
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace sseccoe::registry
