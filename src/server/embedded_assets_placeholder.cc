// A placeholder page, served at / until the web export dialog (src/server/ui/) is built in.
// It only tells a visitor where the API is; the real page replaces this file.
#include "server/embedded_assets.h"

namespace tunepack::server {

namespace {

constexpr std::string_view kPlaceholderPage = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tunepack</title>
</head>
<body>
<main>
<h1>tunepack serve</h1>
<p>The HTTP API is at <code>/api/v1</code>; its description is <code>/api/v1/openapi.json</code>.
Send the token printed by <code>tunepack serve</code> as <code>Authorization: Bearer &lt;token&gt;</code>.</p>
</main>
</body>
</html>
)";

}  // namespace

std::optional<EmbeddedFile> EmbeddedAsset(std::string_view path) {
  if (path == "/" || path == "/index.html") return EmbeddedFile{"text/html; charset=utf-8", kPlaceholderPage};
  return std::nullopt;
}

}  // namespace tunepack::server
