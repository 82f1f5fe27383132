// Small pieces every route uses: reading a bounded body, parsing it, answering a Status.
#pragma once

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/api_error.h"
#include "tunepack/core/result.h"

namespace tunepack::server {

// Reads the whole request body through `reader`; ResourceExhausted (413) past `limit` bytes.
Result<std::string> ReadBody(const httplib::ContentReader& reader, uint64_t limit);

// Reads and parses a JSON object body (see request_json.h).
Result<nlohmann::json> ReadJsonBody(const httplib::ContentReader& reader, uint64_t limit);

// Answers `status` as an API error.
inline void SendStatus(httplib::Response& response, const Status& status) {
  SendError(response, ErrorFromStatus(status));
}

// Returns the `index`-th capture of the route's pattern.
inline std::string PathPart(const httplib::Request& request, size_t index) {
  return index < request.matches.size() ? std::string(request.matches[index]) : std::string();
}

}  // namespace tunepack::server
