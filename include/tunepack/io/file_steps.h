// WriteFileSteps: several small files made durable at the cost of as few journal commits as
// their order allows. Each fsync of a new file and each folder sync commits the file system's
// journal, a few milliseconds each on a real disk; the end of an export used to pay one per
// file and per folder sync in turn.
#pragma once

#include <string>
#include <vector>

#include "tunepack/core/result.h"
#include "tunepack/io/file.h"

namespace tunepack::io {

// One step of WriteFileSteps: files that take their place together, and files removed with
// them.
struct FileStep {
  std::vector<FileContents> files;
  std::vector<std::string> removed;  ///< removed after the step's renames (absent ones are fine)
};

// Writes the files of every step to temporary files beside their targets and syncs them all
// (their writeback started together, so one journal commit covers them on most file
// systems), then, step by step, renames a step's files into place, removes its `removed`, and
// syncs the folders it touched before the next step starts: after a crash every step up to
// the last one synced is complete, a later one absent or partial, and a file is the old one or
// the new one, never half of one. All are durable when it returns Ok.
Status WriteFileSteps(const std::vector<FileStep>& steps);

}  // namespace tunepack::io
