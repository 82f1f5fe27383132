#include "pipeline/dedup_plan_io.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "pipeline/dedup_stage.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/directory.h"
#include "tunepack/io/file.h"
#include "tunepack/io/path_text.h"

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

std::string JsonLine(const nlohmann::ordered_json& json) {
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string SignatureRun::IdentityJson() const {
  return nlohmann::ordered_json({{"options", set.options_json},
                                 {"inputs_xxh3_128", set.parts.front().marker.listing_hash.Hex()},
                                 {"signature_bytes", signature_bytes}})
      .dump();
}

Result<SignatureRun> LoadSignatureRun(const std::vector<std::string>& parts) {
  SignatureRun run;
  TP_ASSIGN_OR_RETURN(run.set, LoadPartSet(parts));
  if (!IsSignatureStage(run.set.parts.front().marker.options_json)) {
    return FailedPreconditionError("dedup-plan: " + io::DisplayPath(run.set.parts.front().dir) +
                                   " is not a signature part: run the ranks with " + OptionRef("dedup") +
                                   " and without " + OptionRef("dedup-plan") + " first");
  }
  TP_ASSIGN_OR_RETURN(run.options, ResolveRunOptions(run.set, run.set.parts.front().dir));
  for (const LoadedPart& part : run.set.parts) {
    // A part that starts inside a file (byte ranges) lists the previous part's last input again.
    bool continues = part.marker.slice.begin.offset > 0;
    for (const auto& input : part.manifest.at("inputs")) {
      if (!continues) run.input_names.push_back(input.at("path").get<std::string>());
      continues = false;
    }
    TP_ASSIGN_OR_RETURN(const io::FileFacts facts, io::StatPath(part.dir + "/" + kSignatureFile, true));
    run.signature_bytes.push_back(facts.size);
  }
  return run;
}

Result<std::vector<uint64_t>> ForEachSignature(const SignatureRun& run,
                                                const std::function<bool(const SignatureEntry&)>& visit) {
  std::vector<uint64_t> examples(run.set.parts.size(), 0);
  SignatureEntry entry;
  for (size_t index = 0; index < run.set.parts.size(); ++index) {
    const LoadedPart& part = run.set.parts[index];
    TP_ASSIGN_OR_RETURN(SignatureReader reader, SignatureReader::Open(part.dir + "/" + kSignatureFile));
    entry.rank = part.marker.shard.index;
    uint32_t source = 0;
    uint64_t record = 0;
    for (entry.candidate = 0;; ++entry.candidate, ++entry.ordinal) {
      TP_ASSIGN_OR_RETURN(bool more, reader.Next(source, record, entry.key, entry.signature));
      if (!more) break;
      ++examples[index];
      entry.id = DedupId(part.marker.slice.begin.input + source, record);
      if (!visit(entry)) return examples;
    }
  }
  return examples;
}

Status PlanFile::CheckWritable(const std::string& path, bool overwrite) {
  if (path.empty()) return InvalidArgumentError("dedup-plan: no output file: pass -o FILE");
  if (!io::StatPath(path, false).has_value()) return Status::Ok();
  // An existing file is replaced only when it is a plan (tunepack's) and --overwrite says so.
  static constexpr std::string_view kHeader = "{\"tunepack_dedup_plan\":";
  Result<std::string> start = io::ReadFileHead(path, kHeader.size());
  if (!start.has_value() || *start != kHeader) {
    return FailedPreconditionError(io::DisplayPath(path) +
                                   " exists and is not a tunepack dedup plan; tunepack never replaces it: "
                                   "choose another file");
  }
  if (!overwrite) {
    return FailedPreconditionError(io::DisplayPath(path) + " already holds a dedup plan: pass " +
                                   OptionRef("overwrite") + " to replace it");
  }
  return Status::Ok();
}

PlanFile::PlanFile(const SignatureRun& run)
    // "tunepack_dedup_plan" first: what CheckWritable recognises.
    : text_(JsonLine({{"tunepack_dedup_plan", 1},
                      {"options", run.set.options_json},
                      {"inputs_xxh3_128", run.set.parts.front().marker.listing_hash.Hex()}})) {}

void PlanFile::Add(uint32_t rank, uint64_t candidate, const Rejection& duplicate) {
  text_ += JsonLine({{"rank", rank},
                     {"candidate", candidate},
                     {"near", duplicate.reason == RejectReason::kNearDuplicate},
                     {"detail", duplicate.detail}});
}

Status PlanFile::Write(const std::string& path) const { return io::WriteFileAtomic(path, text_); }

}  // namespace tunepack::pipeline
