#include "server/api_error.h"

#include <httplib.h>

#include "tunepack/core/option_ref.h"

namespace tunepack::server {

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return 400;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kCancelled: return 409;
    case StatusCode::kResourceExhausted: return 413;
    case StatusCode::kUnimplemented: return 501;
    default: return 500;
  }
}

ApiError ErrorFromStatus(const Status& status) {
  ApiError error;
  error.http_status = HttpStatusOf(status.code());
  error.code = std::string(StatusCodeName(status.code()));
  error.message = WordOptionRefs(status.message(), OptionStyle::kJson);
  const std::vector<std::string> options = OptionRefsIn(status.message());
  if (!options.empty()) {
    nlohmann::json names = nlohmann::json::array();
    for (const std::string& name : options) names.push_back(SpellOption(name, OptionStyle::kJson));
    error.details["option"] = names.front();
    error.details["options"] = std::move(names);
    if (error.http_status == 400) error.code = "invalid_option";
  }
  return error;
}

ApiError MakeError(int http_status, std::string code, std::string message) {
  ApiError error;
  error.http_status = http_status;
  error.code = std::move(code);
  error.message = std::move(message);
  return error;
}

std::string ErrorJson(const ApiError& error) {
  nlohmann::json body = {{"error",
                          {{"code", error.code}, {"message", error.message}, {"details", error.details}}}};
  // Replacement characters instead of an exception: a message may quote a user's bytes.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void SendError(httplib::Response& response, const ApiError& error) {
  response.status = error.http_status;
  response.set_content(ErrorJson(error), "application/json");
}

void SendJson(httplib::Response& response, const nlohmann::json& body, int status) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/json");
}

}  // namespace tunepack::server
