// RootPaths: the folders (`--root`) whose files a request may name. Every path a request
// gives is canonicalised (symlinks and `..` resolved) and must stay under one of them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::server {

class RootPaths {
 public:
  // Canonicalises `roots`; InvalidArgument for one that is not an existing folder.
  static Result<RootPaths> Create(const std::vector<std::string>& roots);

  // Returns the canonical path of `requested`: an absolute path, or one relative to the
  // first root. PermissionDenied when it resolves outside every root (whether or not it
  // exists, so the answer says nothing about files elsewhere), NotFound when it is inside
  // a root but does not exist, InvalidArgument for an empty path or one with a NUL byte.
  Result<std::string> Resolve(std::string_view requested) const;

  // Returns whether the canonical `path` is one of the roots or lies under one.
  bool Contains(std::string_view path) const;

  const std::vector<std::string>& roots() const { return roots_; }

 private:
  std::vector<std::string> roots_;  ///< canonical, without a trailing '/' (except "/")
};

}  // namespace tunepack::server
