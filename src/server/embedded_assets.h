// The web page's files, compiled into the binary (nothing is fetched at run time). The
// server asks for them by URL path ("/", "/app.js"); one file implements this function:
// embedded_assets_placeholder.cc until the real page's generated file replaces it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tunepack::server {

struct EmbeddedFile {
  std::string content_type;  ///< e.g. "text/html; charset=utf-8"
  std::string_view bytes;    ///< static storage
};

// Returns the asset served at `path` ("/" is the page itself), or nullopt.
std::optional<EmbeddedFile> EmbeddedAsset(std::string_view path);

}  // namespace tunepack::server
