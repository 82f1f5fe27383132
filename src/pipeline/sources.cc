#include "tunepack/pipeline/sources.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace tunepack::pipeline {
namespace {

namespace fs = std::filesystem;

bool MatchesAny(const std::vector<std::string>& globs, const std::string& relative,
                const std::string& name) {
  for (const std::string& glob : globs) {
    if (fnmatch(glob.c_str(), relative.c_str(), 0) == 0) return true;
    if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

bool IsHidden(const fs::path& relative) {
  for (const fs::path& part : relative) {
    const std::string s = part.string();
    if (s.size() > 1 && s[0] == '.' && s != "..") return true;
  }
  return false;
}

}  // namespace

Result<std::vector<SourceFile>> ExpandInputs(const std::vector<std::string>& inputs,
                                             const std::vector<std::string>& include_globs,
                                             const std::vector<std::string>& exclude_globs) {
  std::vector<SourceFile> files;
  for (const std::string& input : inputs) {
    if (input == "-") {
      files.push_back({"-", 0});
      continue;
    }
    std::error_code error;
    const fs::file_status status = fs::status(input, error);
    if (error || !fs::exists(status)) return NotFoundError(input + ": no such file or folder");
    if (!fs::is_directory(status)) {
      files.push_back({input, static_cast<uint64_t>(fs::file_size(input, error))});
      continue;
    }
    std::vector<SourceFile> found;
    for (auto it = fs::recursive_directory_iterator(input, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      const fs::path relative = fs::relative(it->path(), input);
      if (IsHidden(relative)) {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file()) continue;
      const std::string rel = relative.string();
      const std::string name = it->path().filename().string();
      if (!include_globs.empty() && !MatchesAny(include_globs, rel, name)) continue;
      if (MatchesAny(exclude_globs, rel, name)) continue;
      std::error_code size_error;
      found.push_back({it->path().string(), static_cast<uint64_t>(it->file_size(size_error))});
    }
    if (error) return Status(StatusCode::kUnknown, input + ": cannot list: " + error.message());
    std::sort(found.begin(), found.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

}  // namespace tunepack::pipeline
