// OutputSet: the data files of an export, one or more per split, with the format's record
// separator between records and rotation to a new shard every max_records_per_file.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tunepack/core/hash.h"
#include "tunepack/format/format.h"
#include "tunepack/io/file.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/pipeline/options.h"

namespace tunepack::pipeline {

// Refuses split names that are not plain file-name stems: each becomes <split><ext> in the
// output folder, so a name must not leave it ("../x", "a/b"), hide (".x"), collide with
// tunepack's own files (rejected, manifest, stats, report, in any case) or with another
// split. Allowed: letters, digits, '_' and '-', starting with a letter or digit, up to 64.
Status ValidateSplitNames(const std::vector<SplitSpec>& splits);

class OutputSet {
 public:
  OutputSet(std::string dir, const std::vector<SplitSpec>& splits, const format::Format& format,
            uint64_t max_records_per_file);

  // Creates the first file of each split, or reopens the files of `resume` (from a
  // checkpoint), truncated to their recorded sizes.
  Status Open(const std::vector<OutputFileSummary>* resume);
  // Appends one encoded record to `split`.
  Status Write(size_t split, std::string_view record);
  // Appends one encoded record to `split` without copying it: its bytes must stay as they
  // are until ReleaseBorrowed (or Flush, Sync, Close). Records that follow each other in
  // memory reach the file in one write.
  Status WriteBorrowed(size_t split, std::string_view record);
  // Hands the records borrowed since the last call to their files; call it before the
  // memory they were written from changes.
  Status ReleaseBorrowed();
  Status Flush();
  // Flushes and syncs the open files to the disk (closed shards were synced on closing).
  Status Sync();
  // Syncs and closes every file.
  Status Close();
  // Returns the file of `split` the next record goes to unless it starts a new shard (the
  // one the last record written to `split` went to).
  const std::string& CurrentFile(size_t split) const { return files_[split].current.path; }
  // Returns every file so far with its record count and size (the open ones included).
  std::vector<OutputFileSummary> Files() const;
  // Returns the XXH3-128 of the file `path` (relative, as Files() names them): hashed as it
  // was written, so the manifest needs no second pass over the data; a file this set did
  // not write whole (a shard closed before a resume, any other file) is read.
  Result<Hash128> FileHash(const std::string& path) const;
  // Returns the relative name of shard `shard` of `split`.
  std::string FileName(const std::string& split, size_t shard) const;

 private:
  struct SplitFiles {
    std::vector<OutputFileSummary> done;  ///< closed shards
    OutputFileSummary current;
    std::unique_ptr<io::AppendFile> file;
    std::unique_ptr<StreamingHasher> hasher;  ///< of `current`'s bytes so far
    std::string_view borrowed;  ///< records after the file's bytes, not yet handed to it
  };
  Status StartShard(size_t split, size_t shard, int64_t resume_size);
  // Shards, separates and counts one record of `split` (WriteBorrowed and Write).
  Status Add(size_t split, std::string_view record, bool borrow);
  Status Release(SplitFiles& files);

  std::string dir_;
  std::vector<SplitSpec> splits_;
  const format::Format& format_;
  uint64_t max_records_per_file_;
  std::vector<SplitFiles> files_;
  std::map<std::string, Hash128> closed_hashes_;  ///< shards closed by this run
};

}  // namespace tunepack::pipeline
