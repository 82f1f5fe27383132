#include "pipeline/dedup_bucket_file.h"

#include <cstring>

#include <nlohmann/json.hpp>

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

Result<BucketFile> DecodeBucketFile(const std::string& path, std::string_view bytes, bool header_only) {
  auto damaged = [&](const std::string& what) {
    return DataLossError(io::DisplayPath(path) + ": " + what + ": not a complete tunepack bucket file; run its " +
                         "task again");
  };
  const size_t newline = bytes.find('\n');
  if (!LooksLikeBucketFile(bytes) || newline == std::string_view::npos) return damaged("no header");
  const nlohmann::json header = nlohmann::json::parse(bytes.substr(0, newline), nullptr, false);
  if (!header.is_object() || header.value("tunepack_dedup_buckets", 0) != 1 || !header.contains("task") ||
      !header["task"].is_string() || !header.contains("signatures") || !header["signatures"].is_string() ||
      !header.contains("examples") || !header["examples"].is_array() || !header.contains("pairs") ||
      !header["pairs"].is_number_unsigned()) {
    return damaged("unreadable header");
  }
  for (const auto& count : header["examples"]) {
    if (!count.is_number_unsigned()) return damaged("unreadable header");
  }
  BucketFile file;
  TP_ASSIGN_OR_RETURN(file.task, ParseShardSpec(header["task"].get<std::string>(), "bucket-shard"));
  file.identity = header["signatures"].get<std::string>();
  file.examples = header["examples"].get<std::vector<uint64_t>>();
  if (header_only) return file;
  const uint64_t count = header["pairs"].get<uint64_t>();
  const std::string_view body = bytes.substr(newline + 1);
  if (body.size() != count * kPairBytes) return damaged("its size does not match its header");
  file.pairs.resize(count);
  const char* at = body.data();
  for (CandidatePair& pair : file.pairs) {
    pair.later = Get<uint64_t>(at);
    pair.earlier = Get<uint64_t>(at);
    pair.earlier_id = Get<uint64_t>(at);
    pair.similarity = Get<double>(at);
    const uint8_t flags = Get<uint8_t>(at);
    pair.near = flags & 1;
    pair.accepted = flags & 2;
  }
  return file;
}

}  // namespace tunepack::pipeline
