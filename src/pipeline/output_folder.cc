#include "pipeline/output_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "pipeline/export_report.h"
#include "pipeline/dedup_stage.h"
#include "pipeline/hf_layout.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/pipeline/shard.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {
namespace {

namespace fs = std::filesystem;

// A name the manifest may list: a plain file name in the folder, nothing that reaches out
// of it (a crafted manifest must not make --overwrite delete files elsewhere).
bool IsPlainName(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

// A name the manifest may list: a plain name, or one inside the data folder of the
// Hugging Face layout ("data/train-00000-of-00001.parquet"), one level deep.
bool IsOutputName(const std::string& name) {
  const std::string prefix = std::string(kHfDataDir) + "/";
  if (name.rfind(prefix, 0) == 0) return IsPlainName(name.substr(prefix.size()));
  return IsPlainName(name);
}

bool Exists(const std::string& path) { return io::StatPath(path, false).has_value(); }

Status RemoveIfPresent(const std::string& path) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  return Status(StatusCode::kUnknown, path + ": cannot remove: " + std::strerror(errno));
}

// HeldFiles: open descriptors of files about to lose their last name. A file's blocks are
// freed when its last name and its last descriptor are gone, and on a file system mounted
// with `discard` that frees them synchronously, each block discarded on the device (about
// 40 ms for a 230 MB file): held open, the rename or removal does not wait for it, and the
// close can wait while other work goes on.
struct HeldFiles {
  std::vector<int> fds;
  HeldFiles() = default;
  HeldFiles(HeldFiles&&) = default;
  HeldFiles& operator=(HeldFiles&&) = delete;
  ~HeldFiles() {
    for (const int fd : fds) ::close(fd);
  }
};

// Opens `path` read-only if it is a regular file (its bytes are not touched); -1 otherwise.
// O_NOFOLLOW, O_NONBLOCK: a link is not followed, and opening anything else does not block.
int OpenRegularFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return -1;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) return fd;
  ::close(fd);
  return -1;
}

// Opens the regular files among `names` in `dir`.
HeldFiles HoldFiles(const std::string& dir, const std::vector<std::string>& names) {
  HeldFiles held;
  for (const std::string& name : names) {
    const int fd = OpenRegularFile(dir + "/" + name);
    if (fd >= 0) held.fds.push_back(fd);
  }
  return held;
}

Status Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) == 0) return Status::Ok();
  return Status(StatusCode::kUnknown, "cannot rename " + from + " to " + to + ": " + std::strerror(errno));
}

}  // namespace

Result<OutputFolder> OutputFolder::Open(const std::string& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return InvalidArgumentError(io::DisplayPath(dir) + ": cannot create: " + error.message());
  Result<io::FileFacts> facts = io::StatPath(dir, true);
  if (!facts.has_value() || facts->type != io::EntryType::kDirectory) {
    return InvalidArgumentError(io::DisplayPath(dir) + ": the output must be a folder");
  }
  TP_ASSIGN_OR_RETURN(std::string real, io::RealPath(dir));
  if (real == "/") {
    return InvalidArgumentError("-o " + io::DisplayPath(dir) +
                                ": refusing to write an export into the root folder; pass a folder of its own");
  }
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::FolderLock> lock, io::FolderLock::Acquire(dir));
  return OutputFolder(dir, std::move(real), std::move(lock));
}

Status OutputFolder::CheckInputsOutside(const std::vector<std::string>& inputs,
                                        const std::vector<SourceFile>& sources) const {
  auto check = [&](const std::string& path) -> Status {
    if (path == "-") return Status::Ok();
    Result<std::string> real = io::RealPath(path);
    if (real.has_value() && io::IsWithin(*real, real_)) {
      return InvalidArgumentError("input " + io::DisplayPath(path) + " is inside the output folder " +
                                  io::DisplayPath(dir_) + " (an export replaces what it writes there); "
                                  "choose another output folder");
    }
    return Status::Ok();
  };
  for (const std::string& input : inputs) TP_RETURN_IF_ERROR(check(input));
  for (const SourceFile& source : sources) {
    if (!source.skip_reason) TP_RETURN_IF_ERROR(check(source.path));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> OutputFolder::EarlierExportFiles() const {
  const std::string manifest = dir_ + "/" + kManifestFile;
  if (!Exists(manifest)) return std::vector<std::string>();
  Result<std::string> json = io::ReadWholeFile(manifest, io::kMaxConfigFileBytes);
  if (!json.has_value()) return json.error();
  Result<std::vector<std::string>> listed = ManifestOutputPaths(*json);
  if (!listed.has_value()) {
    return FailedPreconditionError(io::DisplayPath(manifest) +
                                   " is unreadable, so tunepack cannot tell its files from yours; "
                                   "choose another output folder");
  }
  std::vector<std::string> names;
  for (const std::string& name : *listed) {
    if (IsOutputName(name)) names.push_back(name);
  }
  // Written beside every manifest, not listed in it.
  names.insert(names.end(), {kManifestFile, kStatsFile, kReportFile, kPartMarkerFile, kSignatureFile});
  return names;
}

Result<std::optional<RunState>> OutputFolder::Prepare(bool resume, bool overwrite, const std::string& options_json) {
  // A run killed while renaming its finished outputs into place: finish it first.
  if (Exists(staging() + "/" + kManifestFile)) TP_RETURN_IF_ERROR(Publish());

  TP_ASSIGN_OR_RETURN(std::vector<std::string> earlier, EarlierExportFiles());
  std::set<std::string> ours(earlier.begin(), earlier.end());
  ours.insert({io::kLockFileName, kStagingDir});
  TP_ASSIGN_OR_RETURN(std::vector<io::DirEntry> entries, io::ListDirectory(dir_));
  std::vector<std::string> foreign;
  for (const io::DirEntry& entry : entries) {
    if (entry.name == kHfDataDir && entry.facts.type == io::EntryType::kDirectory) {
      // The data folder of an earlier --layout hf export: ours only when every file in it is.
      TP_ASSIGN_OR_RETURN(std::vector<io::DirEntry> inside, io::ListDirectory(dir_ + "/" + kHfDataDir));
      for (const io::DirEntry& file : inside) {
        const std::string name = std::string(kHfDataDir) + "/" + file.name;
        if (!ours.count(name)) foreign.push_back(io::DisplayPath(name));
      }
      continue;
    }
    if (!ours.count(entry.name)) foreign.push_back(io::DisplayPath(entry.name));
  }
  if (!foreign.empty()) {
    std::string names;
    for (size_t i = 0; i < foreign.size() && i < 3; ++i) names += (i ? ", " : "") + foreign[i];
    if (foreign.size() > 3) names += " and " + std::to_string(foreign.size() - 3) + " more";
    return FailedPreconditionError(io::DisplayPath(dir_) + " holds files tunepack did not write (" + names +
                                   "); tunepack never replaces or deletes them: choose a new or empty "
                                   "output folder");
  }

  const std::string checkpoint = staging() + "/" + kCheckpointFile;
  if (Exists(checkpoint) && !overwrite) {
    if (!resume) {
      return FailedPreconditionError(io::DisplayPath(dir_) +
                                     " holds an interrupted export: pass " + OptionRef("resume") + " to continue it or " +
                                     OptionRef("overwrite") + " to start again");
    }
    TP_ASSIGN_OR_RETURN(std::string json, io::ReadWholeFile(checkpoint, io::kMaxConfigFileBytes));
    TP_ASSIGN_OR_RETURN(RunState state, ParseCheckpoint(json, options_json));
    return std::optional<RunState>(std::move(state));
  }
  // --resume of a finished export starts again too: the result is the same bytes.
  if (Exists(dir_ + "/" + kManifestFile) && !overwrite && !resume) {
    return FailedPreconditionError(io::DisplayPath(dir_) +
                                   " already holds an export (manifest.json): pass " + OptionRef("overwrite") +
                                   " to replace it");
  }
  // A fresh start. The staging folder is tunepack's own; what a killed run left there goes.
  std::error_code error;
  fs::remove_all(staging(), error);
  if (error) return Status(StatusCode::kUnknown, staging() + ": cannot empty: " + error.message());
  fs::create_directory(staging(), error);
  if (error) return Status(StatusCode::kUnknown, staging() + ": cannot create: " + error.message());
  return std::optional<RunState>();
}

std::jthread OutputFolder::ReleaseEarlierExportPages() const {
  Result<std::vector<std::string>> earlier = EarlierExportFiles();
  if (!earlier.has_value() || earlier->empty()) return std::jthread();
  std::vector<std::string> paths;
  for (const std::string& name : *earlier) paths.push_back(dir_ + "/" + name);
  return std::jthread([paths = std::move(paths)] {
    for (const std::string& path : paths) {
      const int fd = OpenRegularFile(path);
      if (fd < 0) continue;
      (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
      ::close(fd);
    }
  });
}

Status OutputFolder::Publish() {
  TP_ASSIGN_OR_RETURN(std::vector<io::DirEntry> staged, io::ListDirectory(staging()));
  std::set<std::string> names;
  for (const io::DirEntry& entry : staged) {
    // Leftovers of interrupted writes (".name.tunepack-tmp", "x.partial") stay behind.
    if (entry.facts.type != io::EntryType::kRegular || !IsPlainName(entry.name)) continue;
    if (entry.name == kCheckpointFile || entry.name == kManifestFile) continue;
    if (entry.name.size() > 8 && entry.name.compare(entry.name.size() - 8, 8, ".partial") == 0) continue;
    names.insert(entry.name);
  }
  // The Parquet shards of --layout hf, in the staging folder's data folder.
  const std::string staged_data = staging() + "/" + kHfDataDir;
  if (Exists(staged_data)) {
    TP_ASSIGN_OR_RETURN(std::vector<io::DirEntry> shards, io::ListDirectory(staged_data));
    for (const io::DirEntry& entry : shards) {
      if (entry.facts.type != io::EntryType::kRegular || !IsPlainName(entry.name)) continue;
      if (entry.name.size() > 8 && entry.name.compare(entry.name.size() - 8, 8, ".partial") == 0) continue;
      names.insert(std::string(kHfDataDir) + "/" + entry.name);
    }
  }
  // The earlier export's files that the new one does not replace: only those its manifest
  // lists (checked, with everything else in the folder, by Prepare()).
  TP_ASSIGN_OR_RETURN(std::vector<std::string> earlier, EarlierExportFiles());
  HeldFiles held = HoldFiles(dir_, earlier);
  for (const std::string& name : earlier) {
    if (name != kManifestFile && !names.count(name)) TP_RETURN_IF_ERROR(RemoveIfPresent(dir_ + "/" + name));
  }
  const std::string data_dir = dir_ + "/" + kHfDataDir;
  for (const std::string& name : names) {
    if (name.rfind(std::string(kHfDataDir) + "/", 0) == 0 && !Exists(data_dir)) {
      if (::mkdir(data_dir.c_str(), 0777) != 0 && errno != EEXIST) {
        return Status(StatusCode::kUnknown, data_dir + ": cannot create: " + std::strerror(errno));
      }
    }
    TP_RETURN_IF_ERROR(Rename(staging() + "/" + name, dir_ + "/" + name));
  }
  // A data folder an earlier export left and this one does not use goes when it is empty.
  if (Exists(data_dir)) (void)::rmdir(data_dir.c_str());
  if (Exists(staged_data)) (void)::rmdir(staged_data.c_str());
  std::jthread release([fds = std::move(held.fds)] {
    for (const int fd : fds) ::close(fd);
  });
  TP_RETURN_IF_ERROR(io::SyncDirectory(dir_));
  // Without its checkpoint, a staging folder holding a manifest means "finish publishing".
  // An export removes it as it writes the manifest; a merge, or a run killed then, here.
  const std::string checkpoint = staging() + "/" + kCheckpointFile;
  if (Exists(checkpoint)) {
    TP_RETURN_IF_ERROR(RemoveIfPresent(checkpoint));
    TP_RETURN_IF_ERROR(io::SyncDirectory(staging()));
  }
  TP_RETURN_IF_ERROR(Rename(staging() + "/" + kManifestFile, dir_ + "/" + kManifestFile));
  TP_RETURN_IF_ERROR(io::SyncDirectory(dir_));
  std::error_code error;
  fs::remove_all(staging(), error);
  return Status::Ok();
}

}  // namespace tunepack::pipeline
