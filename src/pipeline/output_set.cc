#include "pipeline/output_set.h"

#include <cctype>
#include <cstdio>
#include <set>

#include "pipeline/file_hash.h"
#include "tunepack/core/option_ref.h"

namespace tunepack::pipeline {

Status ValidateSplitNames(const std::vector<SplitSpec>& splits) {
  static constexpr const char* kReserved[] = {"rejected", "manifest", "stats", "report"};
  std::set<std::string> seen;
  for (const SplitSpec& split : splits) {
    const std::string& name = split.name;
    auto refuse = [&](const std::string& why) {
      return InvalidArgumentError(OptionRef("split") + ": the split name '" + name + "' " + why);
    };
    if (name.empty() || name.size() > 64) return refuse("must have 1 to 64 characters");
    if (!std::isalnum(static_cast<unsigned char>(name[0]))) {
      return refuse("must start with a letter or a digit (it names a file in the output folder)");
    }
    std::string lower;
    for (const char c : name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
        return refuse("may hold only letters, digits, '_' and '-' (it names a file in the output folder)");
      }
      lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    for (const char* reserved : kReserved) {
      if (lower == reserved) return refuse("is the name of a file tunepack writes beside the splits");
    }
    if (!seen.insert(lower).second) return refuse("is given twice");
  }
  return Status::Ok();
}

OutputSet::OutputSet(std::string dir, const std::vector<SplitSpec>& splits,
                     const format::Format& format, uint64_t max_records_per_file)
    : dir_(std::move(dir)), splits_(splits), format_(format),
      max_records_per_file_(max_records_per_file), files_(splits.size()) {}

std::string OutputSet::FileName(const std::string& split, size_t shard) const {
  if (max_records_per_file_ == 0) return split + format_.extension;
  char number[16];
  std::snprintf(number, sizeof number, "-%05zu", shard);
  return split + number + format_.extension;
}

Status OutputSet::StartShard(size_t split, size_t shard, int64_t resume_size) {
  SplitFiles& files = files_[split];
  files.current = OutputFileSummary{FileName(splits_[split].name, shard), splits_[split].name, 0, 0};
  TP_ASSIGN_OR_RETURN(files.file, io::AppendFile::Open(dir_ + "/" + files.current.path, resume_size));
  files.hasher = std::make_unique<StreamingHasher>();
  if (resume_size > 0) {
    // What the interrupted run wrote (truncated to the checkpoint) comes first.
    StreamingHasher& hasher = *files.hasher;
    TP_ASSIGN_OR_RETURN(Hash128 prefix, HashFile(dir_ + "/" + files.current.path, [&](std::string_view block) {
      hasher.Update(block);
      return Status::Ok();
    }));
    (void)prefix;
  }
  return Status::Ok();
}

Status OutputSet::Open(const std::vector<OutputFileSummary>* resume) {
  for (size_t split = 0; split < splits_.size(); ++split) {
    SplitFiles& files = files_[split];
    if (resume == nullptr) {
      TP_RETURN_IF_ERROR(StartShard(split, 0, -1));
      continue;
    }
    std::vector<OutputFileSummary> mine;
    for (const OutputFileSummary& file : *resume) {
      if (file.split == splits_[split].name) mine.push_back(file);
    }
    if (mine.empty()) return DataLossError("checkpoint lists no file for split " + splits_[split].name);
    files.done.assign(mine.begin(), mine.end() - 1);
    TP_RETURN_IF_ERROR(StartShard(split, mine.size() - 1, static_cast<int64_t>(mine.back().bytes)));
    files.current = mine.back();
  }
  return Status::Ok();
}

Status OutputSet::Write(size_t split, std::string_view record) { return Add(split, record, false); }

Status OutputSet::WriteBorrowed(size_t split, std::string_view record) { return Add(split, record, true); }

Status OutputSet::Release(SplitFiles& files) {
  if (files.borrowed.empty()) return Status::Ok();
  const std::string_view bytes = files.borrowed;
  files.borrowed = {};
  return files.file->Write(bytes);
}

Status OutputSet::ReleaseBorrowed() {
  for (SplitFiles& files : files_) TP_RETURN_IF_ERROR(Release(files));
  return Status::Ok();
}

Status OutputSet::Add(size_t split, std::string_view record, bool borrow) {
  SplitFiles& files = files_[split];
  if (max_records_per_file_ != 0 && files.current.records == max_records_per_file_) {
    TP_RETURN_IF_ERROR(Release(files));
    // The next checkpoint covers this shard too, and only syncs the open files.
    TP_RETURN_IF_ERROR(files.file->Sync());
    TP_RETURN_IF_ERROR(files.file->Close());
    files.done.push_back(files.current);
    closed_hashes_[files.current.path] = files.hasher->Digest();
    TP_RETURN_IF_ERROR(StartShard(split, files.done.size(), -1));
  }
  if (files.current.records > 0 && !format_.separator.empty()) {
    TP_RETURN_IF_ERROR(Release(files));
    TP_RETURN_IF_ERROR(files.file->Write(format_.separator));
    files.hasher->Update(format_.separator);
  }
  if (!borrow) {
    TP_RETURN_IF_ERROR(Release(files));
    TP_RETURN_IF_ERROR(files.file->Write(record));
  } else if (!files.borrowed.empty() && files.borrowed.data() + files.borrowed.size() == record.data()) {
    files.borrowed = std::string_view(files.borrowed.data(), files.borrowed.size() + record.size());
  } else {
    TP_RETURN_IF_ERROR(Release(files));
    files.borrowed = record;
  }
  files.hasher->Update(record);
  ++files.current.records;
  files.current.bytes = files.file->size() + files.borrowed.size();
  return Status::Ok();
}

Status OutputSet::Flush() {
  TP_RETURN_IF_ERROR(ReleaseBorrowed());
  for (SplitFiles& files : files_) TP_RETURN_IF_ERROR(files.file->Flush());
  return Status::Ok();
}

Status OutputSet::Sync() {
  TP_RETURN_IF_ERROR(ReleaseBorrowed());
  for (SplitFiles& files : files_) TP_RETURN_IF_ERROR(files.file->Sync());
  return Status::Ok();
}

Status OutputSet::Close() {
  TP_RETURN_IF_ERROR(ReleaseBorrowed());
  for (SplitFiles& files : files_) {
    TP_RETURN_IF_ERROR(files.file->Sync());
    TP_RETURN_IF_ERROR(files.file->Close());
  }
  return Status::Ok();
}

Result<Hash128> OutputSet::FileHash(const std::string& path) const {
  for (const SplitFiles& files : files_) {
    if (files.hasher && files.current.path == path) return files.hasher->Digest();
  }
  if (auto it = closed_hashes_.find(path); it != closed_hashes_.end()) return it->second;
  return HashFile(dir_ + "/" + path);
}

std::vector<OutputFileSummary> OutputSet::Files() const {
  std::vector<OutputFileSummary> all;
  for (const SplitFiles& files : files_) {
    all.insert(all.end(), files.done.begin(), files.done.end());
    all.push_back(files.current);
  }
  return all;
}

}  // namespace tunepack::pipeline
