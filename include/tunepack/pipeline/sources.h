// Sources: the command line's inputs expanded to an ordered list of files, plus one entry
// for each path a folder walk skips (a special file, a dangling link, an unreadable folder,
// a link out of the folder, a file that is not a document), which becomes one ledger line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tunepack/core/reject_reason.h"
#include "tunepack/core/result.h"

namespace tunepack::pipeline {

struct SourceFile {
  std::string path;   ///< bytes, as the file system names it; "-" for stdin
  std::string name;   ///< `path` as UTF-8 text for the ledger, manifest and messages
  uint64_t size = 0;  ///< bytes (0 for stdin)
  int64_t mtime_ns = 0;  ///< modification time (for --resume's check)
  std::optional<RejectReason> skip_reason;  ///< set: not read; the ledger line's reason...
  std::string skip_detail;  ///< ...and its detail
};

// InputWalkOptions: how folders are walked.
struct InputWalkOptions {
  std::vector<std::string> include_globs;  ///< keep only files matching one (when any)
  std::vector<std::string> exclude_globs;  ///< skip files matching one
  bool follow_links = false;  ///< --follow-links: follow links wherever they lead
  std::string skip_dir;       ///< canonical path of a folder left out (the output folder)
};

struct ExpandedInputs {
  std::vector<SourceFile> files;
  std::vector<std::string> warnings;
};

// Expands `inputs`: files are kept as given; folders are walked recursively in byte order
// of their paths (so the order, and with it the output, never depends on the file system),
// keeping files that match an include glob (when any are given) and no exclude glob. Globs
// match the path relative to the folder, `*` also crossing '/', plus the bare file name.
// Hidden files and folders (".name") are skipped. In a folder, a symbolic link is followed
// only when its target lies inside the folder (and is a file), unless `follow_links`; files
// that are not documents by their extension (style sheets, scripts, images, fonts,
// archives...) are skipped unless an include glob names them. A missing input is NotFound.
Result<ExpandedInputs> ExpandInputs(const std::vector<std::string>& inputs, const InputWalkOptions& options);

}  // namespace tunepack::pipeline
