// GET /: the web export dialog, and its assets, from the binary. The page carries the token
// in its URL once (?token=); it takes it from there and drops it from the address bar.
#include "server/embedded_assets.h"
#include "server/http_util.h"
#include "server/routes.h"

namespace tunepack::server {

namespace {

// Scripts and styles only from the server itself, no inline code, no framing, no form posts
// elsewhere; the API is reached with fetch on the same origin.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

void ServeAsset(const httplib::Request& request, httplib::Response& response) {
  const std::optional<EmbeddedFile> asset = EmbeddedAsset(request.path);
  if (!asset) return SendStatus(response, NotFoundError("no page " + request.path));
  if (asset->content_type.rfind("text/html", 0) == 0) {
    response.set_header("Content-Security-Policy", kPagePolicy);
    response.set_header("X-Frame-Options", "DENY");
  }
  response.set_header("Cache-Control", "no-cache");
  response.set_content(asset->bytes.data(), asset->bytes.size(), asset->content_type);
}

}  // namespace

void AddPageRoutes(httplib::Server& http, ServerContext&) {
  // Anything outside /api/ is a page or one of its assets.
  http.Get("/(?!api/).*", [](const httplib::Request& request, httplib::Response& response) {
    ServeAsset(request, response);
  });
}

}  // namespace tunepack::server
