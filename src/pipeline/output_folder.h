// OutputFolder: the rules that keep an export's output folder safe for the user's files.
//   - `-o /` is refused; the folder is created when missing.
//   - The folder is locked for the run (io::FolderLock): a second run is refused.
//   - No input may lie inside it (an export replaces what it writes there).
//   - It may hold only what tunepack wrote: the files the manifest of an earlier export
//     lists (plus that export's stats.json and report.html), and tunepack's hidden lock
//     and staging folder. Anything else makes the export refuse the folder, --overwrite or
//     not, so a file of the user's is never replaced or deleted.
//   - Every output is written in the hidden staging folder (kStagingDir) and renamed into
//     place when the export is complete, the manifest last; files of an earlier export that
//     the new one does not write again are removed then, and only those the old manifest
//     lists. A run killed while it renames is finished by the next run in the folder.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/run_state.h"
#include "tunepack/core/result.h"
#include "tunepack/io/folder_lock.h"
#include "tunepack/pipeline/sources.h"

namespace tunepack::pipeline {

class OutputFolder {
 public:
  // Creates (when missing), checks and locks `dir`.
  static Result<OutputFolder> Open(const std::string& dir);

  const std::string& dir() const { return dir_; }
  // Returns the canonical path of the folder (for the walk to leave it out).
  const std::string& real_path() const { return real_; }
  // Returns the staging folder, where every output is written until Publish().
  std::string staging() const { return dir_ + "/" + kStagingDir; }

  // Refuses inputs (as given, and as found) that lie inside the folder.
  Status CheckInputsOutside(const std::vector<std::string>& inputs, const std::vector<SourceFile>& sources) const;

  // Decides between a fresh start (nullopt, with an empty staging folder), a resume (the
  // checkpoint's state) and a refusal, under the rules above. `options_json` is the run's
  // canonical options, which a checkpoint must match.
  Result<std::optional<RunState>> Prepare(bool resume, bool overwrite, const std::string& options_json);

  // Starts dropping the cached pages of the earlier export's files (those Publish() will
  // replace or remove) from the page cache, on a thread of its own that ends by itself:
  // freeing a few hundred megabytes of cached pages is then done while the export runs,
  // instead of inside the rename that replaces the file, on the last, serial step of the
  // run. The files' content is untouched; the returned thread joins when destroyed, and
  // must be joined before Publish().
  std::jthread ReleaseEarlierExportPages() const;

  // Moves the complete export from the staging folder into the folder (the staging folder
  // must hold manifest.json), removing the files of an earlier export it replaces.
  Status Publish();

 private:
  OutputFolder(std::string dir, std::string real, std::unique_ptr<io::FolderLock> lock)
      : dir_(std::move(dir)), real_(std::move(real)), lock_(std::move(lock)) {}
  // Returns the names an earlier export's manifest.json in the folder accounts for.
  Result<std::vector<std::string>> EarlierExportFiles() const;

  std::string dir_;
  std::string real_;
  std::unique_ptr<io::FolderLock> lock_;
};

}  // namespace tunepack::pipeline
