// ServerContext: what the route handlers share.
#pragma once

#include <atomic>
#include <memory>
#include <semaphore>

#include "server/data_dir.h"
#include "server/job_manager.h"
#include "server/root_paths.h"
#include "server/upload_store.h"
#include "tunepack/server/server.h"

namespace tunepack::server {

// Previews that run at once; more wait their turn (each runs a one-worker export).
inline constexpr std::ptrdiff_t kMaxConcurrentPreviews = 8;

struct ServerContext {
  ServerConfig config;
  std::unique_ptr<DataDir> data;
  RootPaths roots;
  std::unique_ptr<UploadStore> uploads;
  std::unique_ptr<JobManager> jobs;
  std::atomic<bool> stopping{false};
  std::counting_semaphore<kMaxConcurrentPreviews> previews{kMaxConcurrentPreviews};
};

}  // namespace tunepack::server
