// The OpenAPI 3.1 description of the API (GET /api/v1/openapi.json). The request schemas of
// exports and previews are the export options' JSON Schema, so a new option appears here
// without anything in the server changing.
#pragma once

#include <nlohmann/json.hpp>

namespace tunepack::server {

// Returns the schema of an export request: the export options' JSON Schema without the
// options the server chooses (output, resume, overwrite), inputs described as upload ids
// or paths under a root.
nlohmann::json ExportRequestSchema();

// Returns the OpenAPI document.
nlohmann::json OpenApiDocument();

}  // namespace tunepack::server
