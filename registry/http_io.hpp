// Reading requests and writing JSON responses over Poco's HTTP server.
#pragma once

#include <cstdint>
#include <string>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include "api_error.hpp"

namespace sseccoe::registry {

void send_json(Poco::Net::HTTPServerResponse& resp, int status, const nlohmann::json& body);
void send_error(Poco::Net::HTTPServerResponse& resp, const ApiError& e);
// A response without a body (HEAD answers); `length` is the Content-Length
// the matching GET or the stored object would have.
void send_empty(Poco::Net::HTTPServerResponse& resp, int status, std::uint64_t length = 0);

// The request body, at most `limit` bytes: larger is 413 payload_too_large,
// decided from Content-Length when the client sent one, otherwise while
// reading (chunked bodies).
std::string read_body(Poco::Net::HTTPServerRequest& req, std::uint64_t limit);

// Parses JSON with a nesting limit (a deeply nested body must not exhaust
// the stack); malformed or mis-encoded input is 400 malformed_json.
nlohmann::json parse_json(const std::string& body);

// The media type of the request without parameters, lower case
// ("application/json; charset=utf-8" -> "application/json").
std::string media_type(const Poco::Net::HTTPServerRequest& req);

// The request body is not going to be read: read and drop up to `budget`
// bytes so the client can see the answer; when the body is larger, or its
// length is unknown and it does not end within the budget, the connection is
// closed after the answer instead.
void discard_body(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp, std::uint64_t budget);

}  // namespace sseccoe::registry
