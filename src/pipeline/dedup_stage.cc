#include "pipeline/dedup_stage.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "tunepack/io/path_text.h"

namespace tunepack::pipeline {
namespace {

template <typename T>
void Put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

}  // namespace

Result<std::unique_ptr<SignatureWriter>> SignatureWriter::Open(const std::string& path, int64_t resume_size) {
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::AppendFile> file, io::AppendFile::Open(path, resume_size));
  return std::unique_ptr<SignatureWriter>(new SignatureWriter(std::move(file)));
}

// One candidate: u32 source (in the rank's slice), u64 record, the exact key (2 x u64), u32
// MinHash count, u32 shingle count, then the values (u32 each); the host's byte order (the
// ranks and the plan run on one cluster).
Status SignatureWriter::Append(uint64_t source_index, uint64_t record, const UnitOutcome& outcome) {
  std::string bytes;
  const dedup::Signature& signature = outcome.signature;
  bytes.reserve(40 + 4 * (signature.minhashes.size() + signature.shingles.size()));
  Put<uint32_t>(bytes, static_cast<uint32_t>(source_index));
  Put<uint64_t>(bytes, record);
  Put<uint64_t>(bytes, outcome.exact_key.high);
  Put<uint64_t>(bytes, outcome.exact_key.low);
  Put<uint32_t>(bytes, static_cast<uint32_t>(signature.minhashes.size()));
  Put<uint32_t>(bytes, static_cast<uint32_t>(signature.shingles.size()));
  for (const uint32_t value : signature.minhashes) Put<uint32_t>(bytes, value);
  for (const uint32_t value : signature.shingles) Put<uint32_t>(bytes, value);
  return file_->Write(bytes);
}

Result<DedupPlan> DedupPlan::Load(const std::string& path, uint32_t rank, const std::string& unsharded_options_json,
                                  const std::string& listing_hex) {
  TP_ASSIGN_OR_RETURN(auto file, io::InputFile::Open(path));
  std::string text;
  std::string buffer(1 << 20, '\0');
  DedupPlan plan;
  bool header = true;
  uint64_t line_number = 0;
  auto take_line = [&](const std::string& line) -> Status {
    ++line_number;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    auto damaged = [&] {
      return DataLossError(io::DisplayPath(path) + ":" + std::to_string(line_number) +
                           ": not a line of a tunepack dedup plan");
    };
    if (!j.is_object()) return damaged();
    if (header) {
      header = false;
      if (j.value("tunepack_dedup_plan", 0) != 1) return damaged();
      if (j.value("options", std::string()) != unsharded_options_json ||
          j.value("inputs_xxh3_128", std::string()) != listing_hex) {
        return FailedPreconditionError(io::DisplayPath(path) + " is the dedup plan of another run (other options "
                                       "or inputs); make it again with tunepack dedup-plan from this run's "
                                       "signature parts");
      }
      return Status::Ok();
    }
    if (!j.contains("rank") || !j.contains("candidate") || !j.contains("detail")) return damaged();
    if (j["rank"].get<uint32_t>() != rank) return Status::Ok();
    plan.dropped_[j["candidate"].get<uint64_t>()] = {j.value("near", false), j["detail"].get<std::string>()};
    return Status::Ok();
  };
  while (true) {
    TP_ASSIGN_OR_RETURN(size_t n, file->Read(buffer.data(), buffer.size()));
    if (n == 0) break;
    text.append(buffer.data(), n);
    size_t start = 0;
    for (size_t newline; (newline = text.find('\n', start)) != std::string::npos; start = newline + 1) {
      TP_RETURN_IF_ERROR(take_line(text.substr(start, newline - start)));
    }
    text.erase(0, start);
  }
  if (!text.empty()) TP_RETURN_IF_ERROR(take_line(text));
  if (header) return DataLossError(io::DisplayPath(path) + " is empty: not a tunepack dedup plan");
  return plan;
}

std::optional<Rejection> DedupPlan::Verdict(uint64_t number, const Origin& origin) const {
  const auto it = dropped_.find(number);
  if (it == dropped_.end()) return std::nullopt;
  return Rejection{origin, 0, it->second.first ? RejectReason::kNearDuplicate : RejectReason::kDuplicate,
                   it->second.second};
}

}  // namespace tunepack::pipeline
