// DataDir: the server's state folder (--data-dir). Layout:
//   jobs/<id>/job.json        the job's record (status, options, counts), replaced atomically
//   jobs/<id>/events.jsonl    its events, one JSON object per line, appended
//   jobs/<id>/output/         the export's output folder
//   uploads/<id>/<name>       an uploaded file
//   tmp/                      previews and uploads in progress; emptied at start
//   server.lock               held (flock) while a server uses the folder
#pragma once

#include <memory>
#include <string>

#include "tunepack/core/result.h"

namespace tunepack::server {

class DataDir {
 public:
  // Creates the layout under `path` and takes its lock. FailedPrecondition when another
  // server holds it.
  static Result<std::unique_ptr<DataDir>> Open(const std::string& path);
  ~DataDir();
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  const std::string& path() const { return path_; }
  std::string jobs() const { return path_ + "/jobs"; }
  std::string uploads() const { return path_ + "/uploads"; }
  std::string tmp() const { return path_ + "/tmp"; }

 private:
  DataDir(std::string path, int lock_fd) : path_(std::move(path)), lock_fd_(lock_fd) {}
  std::string path_;
  int lock_fd_;
};

}  // namespace tunepack::server
