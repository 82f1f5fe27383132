#include "server/http_util.h"

#include "server/request_json.h"

namespace tunepack::server {

Result<std::string> ReadBody(const httplib::ContentReader& reader, uint64_t limit) {
  std::string body;
  bool too_large = false;
  const bool complete = reader([&](const char* data, size_t size) {
    if (body.size() + size > limit) {
      too_large = true;
      return false;
    }
    body.append(data, size);
    return true;
  });
  if (too_large) {
    return ResourceExhaustedError("the request body is larger than the server's limit of " +
                                  std::to_string(limit) + " bytes");
  }
  if (!complete) return InvalidArgumentError("the request body was cut short");
  return body;
}

Result<nlohmann::json> ReadJsonBody(const httplib::ContentReader& reader, uint64_t limit) {
  TP_ASSIGN_OR_RETURN(std::string body, ReadBody(reader, limit));
  return ParseRequestJson(body);
}

}  // namespace tunepack::server
