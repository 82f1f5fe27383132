// BuildDedupPlan: stage 2 of a sharded dedup (dedup_stage.h). Reads every rank's signature
// file in rank order, that is in the single-machine input order, and decides with the same
// dedupers and the same DecideDuplicate as one export, so the plan drops the same examples
// with the same "duplicate of". One process: like the writer of one export, it holds the
// dedupers' state (keys and LSH bands of the kept examples), not the texts.
#include <cstring>

#include <nlohmann/json.hpp>

#include "pipeline/dedup_stage.h"
#include "pipeline/part_set.h"
#include "pipeline/result_writer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"
#include "tunepack/pipeline/shard.h"

namespace tunepack::pipeline {
namespace {

// Reads a signature file candidate by candidate.
class SignatureReader {
 public:
  static Result<SignatureReader> Open(const std::string& path) {
    TP_ASSIGN_OR_RETURN(auto file, io::InputFile::Open(path));
    return SignatureReader(path, std::move(file));
  }
  // Reads the next candidate; false at the end.
  Result<bool> Next(uint32_t& source, uint64_t& record, Hash128& key, dedup::Signature& signature) {
    TP_ASSIGN_OR_RETURN(bool more, Fill(4 + 8 + 16 + 8, true));
    if (!more) return false;
    source = Get<uint32_t>();
    record = Get<uint64_t>();
    key.high = Get<uint64_t>();
    key.low = Get<uint64_t>();
    const uint32_t minhashes = Get<uint32_t>();
    const uint32_t shingles = Get<uint32_t>();
    TP_ASSIGN_OR_RETURN(more, Fill(4 * (uint64_t{minhashes} + shingles), false));
    signature.minhashes.resize(minhashes);
    signature.shingles.resize(shingles);
    for (uint32_t& value : signature.minhashes) value = Get<uint32_t>();
    for (uint32_t& value : signature.shingles) value = Get<uint32_t>();
    return true;
  }

 private:
  SignatureReader(std::string path, std::unique_ptr<io::InputFile> file)
      : path_(std::move(path)), file_(std::move(file)) {}
  // Makes `n` bytes available at pos_; false when the file ends cleanly before any.
  Result<bool> Fill(uint64_t n, bool end_allowed) {
    if (buffer_.size() - pos_ >= n) return true;
    buffer_.erase(0, pos_);
    pos_ = 0;
    std::string block(1 << 20, '\0');
    while (buffer_.size() < n) {
      TP_ASSIGN_OR_RETURN(size_t got, file_->Read(block.data(), block.size()));
      if (got == 0) break;
      buffer_.append(block.data(), got);
    }
    if (buffer_.size() >= n) return true;
    if (buffer_.empty() && end_allowed) return false;
    return DataLossError(io::DisplayPath(path_) + " ends inside a signature: run that rank again with " + OptionRef("overwrite"));
  }
  template <typename T>
  T Get() {
    T value;
    std::memcpy(&value, buffer_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  std::string path_;
  std::unique_ptr<io::InputFile> file_;
  std::string buffer_;
  size_t pos_ = 0;
};

Status CheckPlanPath(const DedupPlanOptions& options) {
  if (options.output.empty()) return InvalidArgumentError("dedup-plan: no output file: pass -o FILE");
  if (!io::StatPath(options.output, false).has_value()) return Status::Ok();
  // An existing file is replaced only when it is a plan (tunepack's) and --overwrite says so.
  static constexpr std::string_view kHeader = "{\"tunepack_dedup_plan\":";
  std::string start(kHeader.size(), '\0');
  Result<std::unique_ptr<io::InputFile>> existing = io::InputFile::Open(options.output);
  Result<size_t> got = existing.has_value() ? (*existing)->Read(start.data(), start.size()) : Result<size_t>(size_t{0});
  const bool ours = got.has_value() && *got == kHeader.size() && start == kHeader;
  if (!ours) {
    return FailedPreconditionError(io::DisplayPath(options.output) +
                                   " exists and is not a tunepack dedup plan; tunepack never replaces it: "
                                   "choose another file");
  }
  if (!options.overwrite) {
    return FailedPreconditionError(io::DisplayPath(options.output) +
                                   " already holds a dedup plan: pass " + OptionRef("overwrite") + " to replace it");
  }
  return Status::Ok();
}

}  // namespace

Result<DedupPlanSummary> BuildDedupPlan(const DedupPlanOptions& request) {
  TP_RETURN_IF_ERROR(CheckPlanPath(request));
  TP_ASSIGN_OR_RETURN(const PartSet set, LoadPartSet(request.parts));
  if (!IsSignatureStage(set.parts.front().marker.options_json)) {
    return FailedPreconditionError("dedup-plan: " + io::DisplayPath(set.parts.front().dir) +
                                   " is not a signature part: run the ranks with " + OptionRef("dedup") +
                                   " and without " + OptionRef("dedup-plan") + " first");
  }
  TP_ASSIGN_OR_RETURN(const ExportOptions options, ResolveRunOptions(set, set.parts.front().dir));
  TP_ASSIGN_OR_RETURN(Dedupers dedupers, CreateDedupers(options));
  std::unique_ptr<dedup::ExactDeduper>& exact = dedupers.exact;
  std::unique_ptr<dedup::NearDeduper>& near = dedupers.near;
  // The inputs of every rank, in order: the names a verdict's "duplicate of" gives.
  std::vector<std::string> names;
  for (const LoadedPart& part : set.parts) {
    // A part that starts inside a file (byte ranges) lists the previous part's last input again.
    bool continues = part.marker.slice.begin.offset > 0;
    for (const auto& input : part.manifest.at("inputs")) {
      if (!continues) names.push_back(input.at("path").get<std::string>());
      continues = false;
    }
  }
  auto kept_name = [&](size_t source) { return source < names.size() ? names[source] : std::string("?"); };

  // The header first, "tunepack_dedup_plan" its first key (what CheckPlanPath recognises).
  std::string plan = nlohmann::ordered_json({{"tunepack_dedup_plan", 1},
                                             {"options", set.options_json},
                                             {"inputs_xxh3_128", set.parts.front().marker.listing_hash.Hex()}})
                         .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                     "\n";
  DedupPlanSummary summary;
  summary.parts = static_cast<uint32_t>(set.parts.size());
  for (const LoadedPart& part : set.parts) {
    TP_ASSIGN_OR_RETURN(SignatureReader reader, SignatureReader::Open(part.dir + "/" + kSignatureFile));
    uint32_t source = 0;
    uint64_t record = 0;
    Hash128 key;
    dedup::Signature signature;
    for (uint64_t candidate = 0;; ++candidate) {
      TP_ASSIGN_OR_RETURN(bool more, reader.Next(source, record, key, signature));
      if (!more) break;
      ++summary.candidates;
      const uint64_t global_source = part.marker.slice.begin.input + source;
      std::optional<Rejection> duplicate = DecideDuplicate(exact.get(), near.get(), key, signature,
                                                           DedupId(global_source, record), Origin{}, kept_name);
      if (!duplicate) continue;
      const bool is_near = duplicate->reason == RejectReason::kNearDuplicate;
      ++(is_near ? summary.near_duplicates : summary.exact_duplicates);
      plan += nlohmann::ordered_json({{"rank", part.marker.shard.index},
                                      {"candidate", candidate},
                                      {"near", is_near},
                                      {"detail", duplicate->detail}})
                  .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
              "\n";
    }
  }
  if (near) summary.near_dedup_lsh = near->lsh().ToString();
  TP_RETURN_IF_ERROR(io::WriteFileAtomic(request.output, plan));
  return summary;
}

}  // namespace tunepack::pipeline
