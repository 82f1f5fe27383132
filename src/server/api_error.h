// ApiError: the one error shape of the HTTP API, {"error": {"code", "message", "details"}},
// and the mapping from the library's Status codes to HTTP statuses.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tunepack/core/status.h"

namespace httplib {
struct Response;
}

namespace tunepack::server {

struct ApiError {
  int http_status = 500;
  std::string code;     ///< stable machine name: "invalid_option", "not_found", ...
  std::string message;  ///< for people; option names spelled as JSON keys (max_tokens)
  nlohmann::json details = nlohmann::json::object();
};

// Returns the HTTP status for `code`: InvalidArgument 400, PermissionDenied 403, NotFound
// 404, AlreadyExists and FailedPrecondition 409, ResourceExhausted 413, Unimplemented 501,
// Cancelled 409, the rest 500.
int HttpStatusOf(StatusCode code);

// Returns the error for a library `status`: the message with option references worded as
// JSON keys and, when the message names options, details.option (the first one) and
// details.options (all of them).
ApiError ErrorFromStatus(const Status& status);

// Returns an error with `http_status`, `code` and `message`.
ApiError MakeError(int http_status, std::string code, std::string message);

// Returns {"error": {...}} as JSON text.
std::string ErrorJson(const ApiError& error);

// Sets `response` to `error` (status, JSON body).
void SendError(httplib::Response& response, const ApiError& error);

// Sets `response` to 200 (or `status`) with `body` as application/json.
void SendJson(httplib::Response& response, const nlohmann::json& body, int status = 200);

}  // namespace tunepack::server
