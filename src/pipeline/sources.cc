#include "tunepack/pipeline/sources.h"

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "pipeline/non_document_types.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {
namespace {

bool MatchesAny(const std::vector<std::string>& globs, const std::string& relative,
                const std::string& name) {
  for (const std::string& glob : globs) {
    if (fnmatch(glob.c_str(), relative.c_str(), 0) == 0) return true;
    if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

SourceFile Skipped(const std::string& path, RejectReason reason, std::string detail) {
  SourceFile file;
  file.path = path;
  file.name = io::DisplayPath(path);
  file.skip_reason = reason;
  file.skip_detail = std::move(detail);
  return file;
}

std::string LinkTarget(const std::string& path) {
  char buffer[4096];
  const ssize_t n = ::readlink(path.c_str(), buffer, sizeof buffer);
  return n < 0 ? std::string("?") : io::DisplayPath(std::string_view(buffer, static_cast<size_t>(n)));
}

// FolderWalk: one input folder, walked depth first without exceptions; every path it does
// not read is recorded with a reason.
class FolderWalk {
 public:
  FolderWalk(const std::string& root, const InputWalkOptions& options, ExpandedInputs& out)
      : root_(root), options_(options), out_(out) {
    Result<std::string> real = io::RealPath(root);
    real_root_ = real.has_value() ? *real : root;
    if (!options.skip_dir.empty()) {
      Result<io::FileFacts> skip = io::StatPath(options.skip_dir, true);
      if (skip.has_value()) skip_dir_ = std::make_pair(skip->device, skip->inode);
    }
  }

  // Appends the root's files, sorted by path, to the output.
  void Run() {
    Result<io::FileFacts> facts = io::StatPath(root_, true);
    if (facts.has_value()) ancestors_.insert({facts->device, facts->inode});
    Walk(root_, "");
    std::sort(found_.begin(), found_.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    out_.files.insert(out_.files.end(), found_.begin(), found_.end());
  }

 private:
  void Walk(const std::string& dir, const std::string& relative_dir) {
    Result<std::vector<io::DirEntry>> entries = io::ListDirectory(dir);
    if (!entries.has_value()) {
      found_.push_back(Skipped(dir, RejectReason::kUnreadable, entries.error().message()));
      return;
    }
    for (const io::DirEntry& entry : *entries) {
      // Hidden files and folders (.git, .DS_Store) are not content.
      if (entry.name[0] == '.') continue;
      // "docs/" given with its slash names its files "docs/a.md", as before.
      const std::string path = (!dir.empty() && dir.back() == '/' ? dir : dir + "/") + entry.name;
      const std::string relative = relative_dir.empty() ? entry.name : relative_dir + "/" + entry.name;
      Visit(path, relative, entry.name, entry.facts);
    }
  }

  void Visit(const std::string& path, const std::string& relative, const std::string& name,
             io::FileFacts facts) {
    const bool link = facts.type == io::EntryType::kSymlink;
    if (link) {
      Result<io::FileFacts> target = io::StatPath(path, true);
      if (!target.has_value()) {
        if (!Wanted(relative, name)) return;
        if (target.error().code() == StatusCode::kNotFound) {
          found_.push_back(Skipped(path, RejectReason::kDanglingLink,
                                   "symbolic link to " + LinkTarget(path) + ", which does not exist"));
        } else {
          found_.push_back(Skipped(path, RejectReason::kUnreadable, "symbolic link to " + LinkTarget(path) + ": " +
                                                           target.error().message()));
        }
        return;
      }
      facts = *target;
      if (!options_.follow_links) {
        Result<std::string> real = io::RealPath(path);
        const bool inside = real.has_value() && io::IsWithin(*real, real_root_);
        if (!inside || facts.type == io::EntryType::kDirectory) {
          if (!Wanted(relative, name)) return;
          const std::string where = real.has_value() ? io::DisplayPath(*real) : LinkTarget(path);
          if (!inside) {
            found_.push_back(Skipped(path, RejectReason::kLinkOutsideInput,
                                     "symbolic link to " + where +
                                         ", outside the input folder: not followed (pass " +
                                         OptionRef("follow-links") + " to read it)"));
          } else {
            found_.push_back(Skipped(path, RejectReason::kLinkToFolder,
                                     "symbolic link to the folder " + where +
                                         ", whose files are read where they are: not followed (pass " +
                                         OptionRef("follow-links") + " to walk it here too)"));
          }
          return;
        }
      }
    }
    if (facts.type == io::EntryType::kDirectory) {
      const std::pair<uint64_t, uint64_t> id{facts.device, facts.inode};
      if (skip_dir_ && *skip_dir_ == id) {
        out_.warnings.push_back(io::DisplayPath(path) + ": the output folder is inside the input folder; "
                                "it is not read");
        return;
      }
      if (ancestors_.count(id)) {
        found_.push_back(Skipped(path, RejectReason::kUnreadable, "symbolic link loop: " + io::DisplayPath(path) +
                                                         " leads back to a folder it is in"));
        return;
      }
      ancestors_.insert(id);
      Walk(path, relative);
      ancestors_.erase(id);
      return;
    }
    if (!Wanted(relative, name)) return;
    if (facts.type != io::EntryType::kRegular) {
      found_.push_back(Skipped(path, RejectReason::kSpecialFile,
                               "a " + std::string(io::EntryTypeName(facts.type)) +
                                   ", not a regular file: not read"));
      return;
    }
    const bool named = !options_.include_globs.empty();  // Wanted() matched an include glob
    if (const std::string_view kind = NonDocumentKind(name); !kind.empty() && !named) {
      found_.push_back(Skipped(path, RejectReason::kNotADocument,
                               "a " + std::string(kind) + " by its extension, not a document: "
                               "skipped (pass " + OptionRef("include") + " with a matching glob to read it)"));
      return;
    }
    SourceFile file;
    file.path = path;
    file.name = io::DisplayPath(path);
    file.size = facts.size;
    file.mtime_ns = facts.mtime_ns;
    found_.push_back(std::move(file));
  }

  // Returns true when the globs keep the file at `relative`.
  bool Wanted(const std::string& relative, const std::string& name) const {
    if (!options_.include_globs.empty() && !MatchesAny(options_.include_globs, relative, name)) return false;
    return !MatchesAny(options_.exclude_globs, relative, name);
  }

  const std::string& root_;
  const InputWalkOptions& options_;
  ExpandedInputs& out_;
  std::string real_root_;
  std::optional<std::pair<uint64_t, uint64_t>> skip_dir_;
  std::set<std::pair<uint64_t, uint64_t>> ancestors_;  ///< folders on the current path
  std::vector<SourceFile> found_;
};

}  // namespace

Result<ExpandedInputs> ExpandInputs(const std::vector<std::string>& inputs, const InputWalkOptions& options) {
  ExpandedInputs expanded;
  for (const std::string& input : inputs) {
    if (input == "-") {
      expanded.files.push_back({"-", "-", 0, 0, {}, {}});
      continue;
    }
    Result<io::FileFacts> facts = io::StatPath(input, true);
    if (!facts.has_value()) {
      if (facts.error().code() == StatusCode::kNotFound) {
        return NotFoundError(io::DisplayPath(input) + ": no such file or folder");
      }
      return facts.error();
    }
    if (facts->type == io::EntryType::kDirectory) {
      FolderWalk(input, options, expanded).Run();
      continue;
    }
    if (facts->type != io::EntryType::kRegular) {
      expanded.files.push_back(Skipped(input, RejectReason::kSpecialFile,
                                       "a " + std::string(io::EntryTypeName(facts->type)) +
                                           ", not a regular file: not read"));
      continue;
    }
    expanded.files.push_back({input, io::DisplayPath(input), facts->size, facts->mtime_ns, {}, {}});
  }
  return expanded;
}

}  // namespace tunepack::pipeline
