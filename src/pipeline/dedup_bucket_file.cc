#include "pipeline/dedup_bucket_file.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "tunepack/io/directory.h"
#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {
namespace {

constexpr std::string_view kMagic = "{\"tunepack_dedup_buckets\":";
constexpr size_t kPairBytes = 8 * 4 + 1;

template <typename T>
void Put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <typename T>
T Get(const char*& at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  at += sizeof(T);
  return value;
}

Status Damaged(const std::string& path, const std::string& what) {
  return DataLossError(io::DisplayPath(path) + ": " + what + ": not a complete tunepack bucket file; run its task " +
                       "again");
}

}  // namespace

bool LooksLikeBucketFile(std::string_view bytes) { return bytes.substr(0, kMagic.size()) == kMagic; }

std::string EncodeBucketFile(const BucketFile& file) {
  std::string out = nlohmann::ordered_json({{"tunepack_dedup_buckets", 1},
                                            {"task", file.task.ToString()},
                                            {"signatures", file.identity},
                                            {"examples", file.examples},
                                            {"pairs", file.pairs.size()}})
                        .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                    "\n";
  out.reserve(out.size() + file.pairs.size() * kPairBytes);
  for (const CandidatePair& pair : file.pairs) {
    Put<uint64_t>(out, pair.later);
    Put<uint64_t>(out, pair.earlier);
    Put<uint64_t>(out, pair.earlier_id);
    Put<double>(out, pair.similarity);
    Put<uint8_t>(out, static_cast<uint8_t>((pair.near ? 1 : 0) | (pair.accepted ? 2 : 0)));
  }
  return out;
}

Result<BucketHeader> DecodeBucketHeader(const std::string& path, std::string_view bytes) {
  const size_t newline = bytes.find('\n');
  if (!LooksLikeBucketFile(bytes) || newline == std::string_view::npos) return Damaged(path, "no header");
  const nlohmann::json header = nlohmann::json::parse(bytes.substr(0, newline), nullptr, false);
  if (!header.is_object() || header.value("tunepack_dedup_buckets", 0) != 1 || !header.contains("task") ||
      !header["task"].is_string() || !header.contains("signatures") || !header["signatures"].is_string() ||
      !header.contains("examples") || !header["examples"].is_array() || !header.contains("pairs") ||
      !header["pairs"].is_number_unsigned()) {
    return Damaged(path, "unreadable header");
  }
  for (const auto& count : header["examples"]) {
    if (!count.is_number_unsigned()) return Damaged(path, "unreadable header");
  }
  BucketHeader decoded;
  TP_ASSIGN_OR_RETURN(decoded.file.task, ParseShardSpec(header["task"].get<std::string>(), "bucket-shard"));
  decoded.file.identity = header["signatures"].get<std::string>();
  decoded.file.examples = header["examples"].get<std::vector<uint64_t>>();
  decoded.pairs = header["pairs"].get<uint64_t>();
  decoded.bytes = newline + 1;
  return decoded;
}

Result<std::unique_ptr<BucketFileReader>> BucketFileReader::Open(const std::string& path) {
  TP_ASSIGN_OR_RETURN(auto file, io::InputFile::Open(path));
  std::unique_ptr<BucketFileReader> reader(new BucketFileReader(path, std::move(file)));
  // The header line: read until its newline (or the cap on what a header may be).
  std::string block(1 << 20, '\0');
  while (reader->buffer_.find('\n') == std::string::npos && reader->buffer_.size() < io::kMaxConfigFileBytes) {
    TP_ASSIGN_OR_RETURN(size_t got, reader->file_->Read(block.data(), block.size()));
    if (got == 0) break;
    reader->buffer_.append(block.data(), got);
  }
  TP_ASSIGN_OR_RETURN(reader->header_, DecodeBucketHeader(path, reader->buffer_));
  reader->pos_ = reader->header_.bytes;
  reader->pairs_left_ = reader->header_.pairs;
  TP_ASSIGN_OR_RETURN(const io::FileFacts facts, io::StatPath(path, true));
  if (facts.size != reader->header_.bytes + reader->header_.pairs * kPairBytes) {
    return Damaged(path, "its size does not match its header");
  }
  return reader;
}

Result<bool> BucketFileReader::Next(CandidatePair& pair) {
  if (pairs_left_ == 0) return false;
  if (buffer_.size() - pos_ < kPairBytes) {
    buffer_.erase(0, pos_);
    pos_ = 0;
    std::string block(1 << 20, '\0');
    while (buffer_.size() < kPairBytes) {
      TP_ASSIGN_OR_RETURN(size_t got, file_->Read(block.data(), block.size()));
      if (got == 0) return Damaged(path_, "it ends inside a pair");
      buffer_.append(block.data(), got);
    }
  }
  const char* at = buffer_.data() + pos_;
  pair.later = Get<uint64_t>(at);
  pair.earlier = Get<uint64_t>(at);
  pair.earlier_id = Get<uint64_t>(at);
  pair.similarity = Get<double>(at);
  const uint8_t flags = Get<uint8_t>(at);
  pair.near = flags & 1;
  pair.accepted = flags & 2;
  pos_ += kPairBytes;
  --pairs_left_;
  return true;
}

}  // namespace tunepack::pipeline
