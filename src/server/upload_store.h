// UploadStore: files sent to POST /api/v1/uploads, kept under the data folder as
// uploads/<id>/<name> so that an export reads them by name (the name's extension decides
// how the file is read, as on the command line).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tunepack/core/result.h"

namespace tunepack::server {

struct UploadInfo {
  std::string id;    ///< "up_" and 16 hex digits
  std::string name;  ///< the file name, cleaned (see CleanUploadName)
  uint64_t bytes = 0;
  std::string path;  ///< where the file is
};

// Returns `name` made safe as a single file name: the part after the last '/' or '\',
// control characters dropped, a leading '.' replaced by '_', at most 200 bytes; "upload"
// when nothing is left.
std::string CleanUploadName(std::string_view name);

// UploadWriter: one upload being received. Abandoned (destroyed without Commit), it leaves
// nothing behind.
class UploadWriter {
 public:
  ~UploadWriter();
  UploadWriter(const UploadWriter&) = delete;
  UploadWriter& operator=(const UploadWriter&) = delete;

  // Appends `bytes`; ResourceExhausted once the upload passes the size limit.
  Status Write(std::string_view bytes);
  // Moves the finished file into place and returns its description.
  Result<UploadInfo> Commit();

 private:
  friend class UploadStore;
  UploadWriter(int fd, std::string temp_path, UploadInfo info, std::string final_dir, uint64_t max_bytes)
      : fd_(fd), temp_path_(std::move(temp_path)), info_(std::move(info)),
        final_dir_(std::move(final_dir)), max_bytes_(max_bytes) {}
  int fd_;
  std::string temp_path_;
  UploadInfo info_;
  std::string final_dir_;
  uint64_t max_bytes_;
  bool committed_ = false;
};

class UploadStore {
 public:
  // `dir` holds the uploads, `tmp_dir` the ones in progress.
  UploadStore(std::string dir, std::string tmp_dir, uint64_t max_bytes)
      : dir_(std::move(dir)), tmp_dir_(std::move(tmp_dir)), max_bytes_(max_bytes) {}

  // Starts receiving an upload called `name`.
  Result<std::unique_ptr<UploadWriter>> Begin(std::string_view name) const;
  // Returns the upload `id`; NotFound when there is none.
  Result<UploadInfo> Find(std::string_view id) const;
  // Returns every upload, oldest first.
  std::vector<UploadInfo> List() const;
  // Deletes the upload `id`; NotFound when there is none.
  Status Remove(std::string_view id) const;

  uint64_t max_bytes() const { return max_bytes_; }

  // Returns whether `text` has the form of an upload id.
  static bool IsUploadId(std::string_view text);

 private:
  std::string dir_;
  std::string tmp_dir_;
  uint64_t max_bytes_;
};

}  // namespace tunepack::server
