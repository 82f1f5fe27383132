#include "server/root_paths.h"

#include <filesystem>

namespace tunepack::server {

namespace fs = std::filesystem;

Result<RootPaths> RootPaths::Create(const std::vector<std::string>& roots) {
  RootPaths paths;
  for (const std::string& root : roots) {
    std::error_code error;
    const fs::path canonical = fs::canonical(root, error);
    if (error || !fs::is_directory(canonical, error)) {
      return InvalidArgumentError("--root " + root + ": not an existing folder");
    }
    paths.roots_.push_back(canonical.string());
  }
  return paths;
}

bool RootPaths::Contains(std::string_view path) const {
  for (const std::string& root : roots_) {
    if (path == root) return true;
    if (root == "/") return !path.empty() && path.front() == '/';
    if (path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
        path[root.size()] == '/') {
      return true;
    }
  }
  return false;
}

Result<std::string> RootPaths::Resolve(std::string_view requested) const {
  if (requested.empty()) return InvalidArgumentError("an empty path");
  if (requested.find('\0') != std::string_view::npos) {
    return InvalidArgumentError("a path with a NUL byte");
  }
  if (roots_.empty()) {
    return PermissionDeniedError(std::string(requested) +
                                 ": the server was started without --root, so only uploads "
                                 "can be used");
  }
  fs::path path(requested);
  if (path.is_relative()) path = fs::path(roots_.front()) / path;
  // weakly_canonical resolves the symlinks of the part that exists and `..` everywhere, so
  // a link inside a root that points elsewhere is judged by where it points.
  std::error_code error;
  const fs::path resolved = fs::weakly_canonical(path, error);
  if (error || !Contains(resolved.string())) {
    return PermissionDeniedError(std::string(requested) + ": outside the server's roots");
  }
  const fs::path canonical = fs::canonical(resolved, error);
  if (error) return NotFoundError(std::string(requested) + ": no such file or folder");
  if (!Contains(canonical.string())) {
    return PermissionDeniedError(std::string(requested) + ": outside the server's roots");
  }
  return canonical.string();
}

}  // namespace tunepack::server
