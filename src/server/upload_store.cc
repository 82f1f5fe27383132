#include "server/upload_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "server/auth.h"

namespace tunepack::server {

namespace fs = std::filesystem;

std::string CleanUploadName(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string clean;
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;
    clean.push_back(c);
  }
  if (clean.size() > 200) {
    // Keep the extension, which decides how the file is read.
    const size_t dot = clean.rfind('.');
    const std::string extension =
        dot != std::string::npos && clean.size() - dot <= 16 ? clean.substr(dot) : "";
    clean = clean.substr(0, 200 - extension.size()) + extension;
    // Do not leave half of a UTF-8 sequence before the extension.
    size_t end = 200 - extension.size();
    while (end > 0 && (static_cast<unsigned char>(clean[end - 1]) & 0xC0) == 0x80) --end;
    if (end > 0 && static_cast<unsigned char>(clean[end - 1]) >= 0xC0) --end;
    clean = clean.substr(0, end) + extension;
  }
  if (!clean.empty() && clean.front() == '.') clean.front() = '_';
  if (clean.empty()) clean = "upload";
  return clean;
}

bool UploadStore::IsUploadId(std::string_view text) {
  if (text.size() != 19 || text.substr(0, 3) != "up_") return false;
  return std::all_of(text.begin() + 3, text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Result<std::unique_ptr<UploadWriter>> UploadStore::Begin(std::string_view name) const {
  const std::optional<std::string> random = RandomHex(8);
  if (!random) return InternalError("cannot read the system's random source");
  UploadInfo info;
  info.id = "up_" + *random;
  info.name = CleanUploadName(name);
  const std::string temp_path = tmp_dir_ + "/" + info.id + ".part";
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return InternalError("cannot create " + temp_path + ": " + std::strerror(errno));
  std::string final_dir = dir_ + "/" + info.id;
  return std::unique_ptr<UploadWriter>(
      new UploadWriter(fd, temp_path, std::move(info), std::move(final_dir), max_bytes_));
}

UploadWriter::~UploadWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

Status UploadWriter::Write(std::string_view bytes) {
  if (info_.bytes + bytes.size() > max_bytes_) {
    return ResourceExhaustedError("the upload is larger than the server's limit of " +
                                  std::to_string(max_bytes_) + " bytes (--max-upload-mb)");
  }
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return InternalError(std::string("cannot write the upload: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    info_.bytes += static_cast<uint64_t>(n);
  }
  return Status::Ok();
}

Result<UploadInfo> UploadWriter::Commit() {
  if (::close(fd_) != 0) {
    fd_ = -1;
    return InternalError(std::string("cannot write the upload: ") + std::strerror(errno));
  }
  fd_ = -1;
  std::error_code error;
  fs::create_directories(final_dir_, error);
  info_.path = final_dir_ + "/" + info_.name;
  if (!error) fs::rename(temp_path_, info_.path, error);
  if (error) return InternalError("cannot store the upload: " + error.message());
  committed_ = true;
  return info_;
}

Result<UploadInfo> UploadStore::Find(std::string_view id) const {
  if (!IsUploadId(id)) return NotFoundError("no upload " + std::string(id));
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir_ + "/" + std::string(id), error)) {
    if (!entry.is_regular_file(error)) continue;
    UploadInfo info;
    info.id = std::string(id);
    info.name = entry.path().filename().string();
    info.bytes = entry.file_size(error);
    info.path = entry.path().string();
    return info;
  }
  return NotFoundError("no upload " + std::string(id));
}

std::vector<UploadInfo> UploadStore::List() const {
  std::vector<std::pair<fs::file_time_type, UploadInfo>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir_, error)) {
    Result<UploadInfo> info = Find(entry.path().filename().string());
    if (!info.has_value()) continue;
    std::error_code ignored;
    found.emplace_back(fs::last_write_time(info->path, ignored), std::move(*info));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.id < b.second.id;
  });
  std::vector<UploadInfo> uploads;
  for (auto& [time, info] : found) uploads.push_back(std::move(info));
  return uploads;
}

Status UploadStore::Remove(std::string_view id) const {
  TP_RETURN_IF_ERROR(Find(id));
  std::error_code error;
  fs::remove_all(dir_ + "/" + std::string(id), error);
  if (error) return InternalError("cannot delete upload " + std::string(id) + ": " + error.message());
  return Status::Ok();
}

}  // namespace tunepack::server
