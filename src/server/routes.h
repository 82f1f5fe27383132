// The API's routes, one file per area; Server wires them all.
#pragma once

#include <httplib.h>

#include "server/server_context.h"

namespace tunepack::server {

// GET /api/v1/{openapi.json,health,formats,tokenizers,options,roots,browse}
void AddCatalogRoutes(httplib::Server& http, ServerContext& context);
// GET, POST /api/v1/uploads, DELETE /api/v1/uploads/{id}
void AddUploadRoutes(httplib::Server& http, ServerContext& context);
// POST /api/v1/count, POST /api/v1/templates/check
void AddToolRoutes(httplib::Server& http, ServerContext& context);
// POST /api/v1/preview
void AddPreviewRoutes(httplib::Server& http, ServerContext& context);
// /api/v1/exports and everything under it but files
void AddExportRoutes(httplib::Server& http, ServerContext& context);
// GET /api/v1/exports/{id}/files/{name}
void AddFileRoutes(httplib::Server& http, ServerContext& context);
// GET / and the page's assets
void AddPageRoutes(httplib::Server& http, ServerContext& context);

}  // namespace tunepack::server
