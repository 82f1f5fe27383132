#include "server/output_files.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "tunepack/core/hash.h"
#include "tunepack/io/file.h"

namespace tunepack::server {

namespace fs = std::filesystem;

bool IsServableOutputName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '.') return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
}

std::vector<JobFile> ListOutputFiles(const std::string& dir) {
  std::vector<JobFile> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    // symlink_status: a link is not one of our outputs, whatever it points to.
    if (!IsServableOutputName(name) || !fs::is_regular_file(entry.symlink_status(error))) continue;
    files.push_back({name, static_cast<uint64_t>(entry.file_size(error)), ""});
  }
  std::sort(files.begin(), files.end(), [](const JobFile& a, const JobFile& b) { return a.name < b.name; });
  return files;
}

namespace {

std::string HashOf(const std::string& path) {
  Result<std::unique_ptr<io::InputFile>> file = io::InputFile::Open(path);
  if (!file.has_value()) return "";
  StreamingHasher hasher;
  std::string buffer(1 << 20, '\0');
  while (true) {
    Result<size_t> n = (*file)->Read(buffer.data(), buffer.size());
    if (!n.has_value()) return "";
    if (*n == 0) break;
    hasher.Update(std::string_view(buffer.data(), *n));
  }
  return hasher.Digest().Hex();
}

// Returns the hashes manifest.json records, by file name.
std::map<std::string, std::string> ManifestHashes(const std::string& dir) {
  std::map<std::string, std::string> hashes;
  Result<std::string> text = io::ReadWholeFile(dir + "/manifest.json", 64u << 20);
  if (!text.has_value()) return hashes;
  const nlohmann::json manifest = nlohmann::json::parse(*text, nullptr, false);
  if (!manifest.is_object()) return hashes;
  auto take = [&](const nlohmann::json& entry) {
    if (entry.is_object() && entry.contains("path") && entry["path"].is_string() &&
        entry.contains("xxh3_128") && entry["xxh3_128"].is_string()) {
      hashes[entry["path"].get<std::string>()] = entry["xxh3_128"].get<std::string>();
    }
  };
  for (const char* list : {"outputs", "packed"}) {
    if (manifest.contains(list) && manifest[list].is_array()) {
      for (const auto& entry : manifest[list]) take(entry);
    }
  }
  if (manifest.contains("rejected")) take(manifest["rejected"]);
  return hashes;
}

}  // namespace

std::vector<JobFile> HashOutputFiles(const std::string& dir) {
  std::vector<JobFile> files = ListOutputFiles(dir);
  const std::map<std::string, std::string> recorded = ManifestHashes(dir);
  for (JobFile& file : files) {
    auto it = recorded.find(file.name);
    file.xxh3_128 = it != recorded.end() ? it->second : HashOf(dir + "/" + file.name);
  }
  return files;
}

}  // namespace tunepack::server
