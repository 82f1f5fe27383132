#include "server/preview.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "server/auth.h"
#include "tunepack/format/format.h"
#include "tunepack/io/file.h"
#include "tunepack/pipeline/events.h"
#include "tunepack/pipeline/export.h"
#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/example_tokens.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Rejections shown at most; past this many the run stops too, so that an input the options
// reject entirely is not read to its end.
constexpr size_t kMaxRejections = 200;

struct WrittenRecord {
  std::string source;
  uint64_t record = 0;
  std::string split;
};

// PreviewCollector: notes which records were written, in order, and stops the run.
class PreviewCollector : public pipeline::EventSubscriber {
 public:
  PreviewCollector(size_t limit, pipeline::CancelToken& cancel) : limit_(limit), cancel_(cancel) {}

  void OnEvent(const pipeline::Event& e) override {
    std::lock_guard lock(mutex_);
    if (e.kind == pipeline::EventKind::kRecordWritten) {
      if (written.size() >= limit_) {
        more = true;
        return;
      }
      written.push_back({std::string(e.path), e.record, std::string(e.split)});
      if (written.size() == limit_) cancel_.Cancel();
    } else if (e.kind == pipeline::EventKind::kRecordRejected) {
      if (written.size() >= limit_) return;
      if (rejections.size() >= kMaxRejections) {
        more = true;
        cancel_.Cancel();
        return;
      }
      rejections.push_back({std::string(e.path), e.record, std::string(e.reason), std::string(e.detail)});
    }
  }

  std::vector<WrittenRecord> written;
  std::vector<PreviewRejection> rejections;
  bool more = false;

 private:
  size_t limit_;
  pipeline::CancelToken& cancel_;
  std::mutex mutex_;
};

// The data files of a finished or cancelled run, by split, in order: manifest.json's outputs,
// or the checkpoint's files.
Result<std::map<std::string, std::vector<std::string>>> DataFiles(const std::string& dir) {
  // A finished run lists its files in manifest.json; a cancelled one in the checkpoint inside
  // its staging folder, where those files still are.
  struct Listing {
    std::string folder;
    std::string file;
    const char* key;
  };
  const std::string staging = dir + "/" + pipeline::kStagingDir;
  json listing;
  std::string folder;
  for (const Listing& candidate : {Listing{dir, "manifest.json", "outputs"},
                                   Listing{staging, pipeline::kCheckpointFile, "files"}}) {
    Result<std::string> text = io::ReadWholeFile(candidate.folder + "/" + candidate.file, 64u << 20);
    if (!text.has_value()) continue;
    json parsed = json::parse(*text, nullptr, false);
    if (parsed.is_object() && parsed.contains(candidate.key)) {
      listing = parsed[candidate.key];
      folder = candidate.folder;
      break;
    }
  }
  if (!listing.is_array()) return InternalError("the preview run left no list of its data files");
  std::map<std::string, std::vector<std::string>> files;
  for (const json& f : listing) {
    files[f.value("split", std::string())].push_back(folder + "/" + f.value("path", std::string()));
  }
  return files;
}

std::shared_ptr<const tokenize::Tokenizer> CountingTokenizer(const pipeline::ExportOptions& options, std::string* name) {
  std::vector<std::string> specs;
  if (!options.tokenizer.empty()) specs.push_back(options.tokenizer);
  if (!options.format_params.model_dir.empty() && fs::exists(options.format_params.model_dir + "/tokenizer.json")) {
    specs.push_back(options.format_params.model_dir);
  }
  specs.push_back("cl100k_base");
  for (const std::string& spec : specs) {
    Result<std::shared_ptr<const tokenize::Tokenizer>> tokenizer = tokenize::LoadTokenizer(spec);
    if (tokenizer.has_value()) {
      *name = spec;
      return *tokenizer;
    }
  }
  return nullptr;
}

// Returns the token count of each example of the data file `path`, in order.
std::vector<std::optional<uint64_t>> CountFile(const std::string& path, const format::Format* read_as,
                                               const tokenize::Tokenizer* tokenizer) {
  std::vector<std::optional<uint64_t>> counts;
  if (tokenizer == nullptr || read_as == nullptr) return counts;
  report::DatasetVisitor visitor;
  visitor.on_example = [&](const Example& example, uint64_t) {
    Result<report::ExampleTokens> tokens = report::CountExampleTokens(*tokenizer, example);
    counts.push_back(tokens.has_value() ? std::optional<uint64_t>(tokens->total) : std::nullopt);
    return Status::Ok();
  };
  visitor.on_unreadable = [&](uint64_t, const std::string&) {
    counts.push_back(std::nullopt);
    return Status::Ok();
  };
  (void)report::ReadDataset(path, read_as, visitor);
  return counts;
}

// A chat-template record carries its exact token ids; counting its text would count the
// special tokens the template adds as plain text.
std::optional<uint64_t> WrittenIdCount(std::string_view line) {
  if (line.find("\"input_ids\"") == std::string_view::npos) return std::nullopt;
  json record = json::parse(line, nullptr, false);
  if (!record.is_object() || !record.contains("input_ids") || !record["input_ids"].is_array()) return std::nullopt;
  return record["input_ids"].size();
}

}  // namespace

Result<PreviewResult> RunPreview(pipeline::ExportOptions options, size_t limit, const std::string& scratch_dir) {
  const auto started = std::chrono::steady_clock::now();
  TP_ASSIGN_OR_RETURN(std::shared_ptr<const format::Format> format,
                      format::BindFormat(options.output_format, options.format_params));
  const bool jsonl = format->separator.empty() && format->extension == ".jsonl";
  const std::optional<std::string> random = RandomHex(8);
  if (!random) return InternalError("cannot read the system's random source");
  const std::string dir = scratch_dir + "/preview-" + *random;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};

  // One worker keeps the input read ahead of the cancel to a few batches; a plain-file
  // format writes one file per example so that each example's bytes are known exactly.
  options.output_dir = dir;
  options.jobs = 1;
  options.max_records_per_file = jsonl ? 0 : 1;
  options.pack_seq_len = 0;
  options.strict = false;
  options.resume = false;
  options.overwrite = true;
  options.progress = pipeline::ProgressMode::kNone;

  pipeline::CancelToken cancel;
  PreviewCollector collector(limit, cancel);
  Result<pipeline::ExportSummary> run = pipeline::RunExport(options, collector, &cancel);
  if (!run.has_value() && run.error().code() != StatusCode::kCancelled) return run.error();

  PreviewResult result;
  result.format = format->name;
  result.rejections = std::move(collector.rejections);
  result.more = collector.more || (!run.has_value() && cancel.cancelled());
  TP_ASSIGN_OR_RETURN(auto files, DataFiles(dir));
  const std::shared_ptr<const tokenize::Tokenizer> tokenizer = CountingTokenizer(options, &result.tokenizer);
  Result<const format::Format*> read_as = format::FindFormat(format->read_as.empty() ? format->name : format->read_as);
  const format::Format* reader = read_as.has_value() ? *read_as : nullptr;

  // Per split: the records of its files in order, with their token counts.
  struct SplitCursor {
    std::vector<std::string> records;
    std::vector<std::optional<uint64_t>> tokens;
    size_t next = 0;
  };
  std::map<std::string, SplitCursor> splits;
  for (const auto& [split, paths] : files) {
    SplitCursor& cursor = splits[split];
    for (const std::string& path : paths) {
      TP_ASSIGN_OR_RETURN(std::string bytes, io::ReadWholeFile(path));
      std::vector<std::optional<uint64_t>> counts = CountFile(path, reader, tokenizer.get());
      if (jsonl) {
        size_t begin = 0;
        while (begin < bytes.size()) {
          size_t end = bytes.find('\n', begin);
          if (end == std::string::npos) end = bytes.size();
          cursor.records.push_back(bytes.substr(begin, end - begin));
          begin = end + 1;
        }
        counts.resize(cursor.records.size() - cursor.tokens.size());
        cursor.tokens.insert(cursor.tokens.end(), counts.begin(), counts.end());
      } else {
        std::optional<uint64_t> total;
        for (const auto& count : counts) {
          if (count) total = total.value_or(0) + *count;
        }
        cursor.records.push_back(std::move(bytes));
        cursor.tokens.push_back(total);
      }
    }
  }
  for (const WrittenRecord& written : collector.written) {
    SplitCursor& cursor = splits[written.split];
    if (cursor.next >= cursor.records.size()) break;
    PreviewExample example{written.split, written.source, written.record, std::move(cursor.records[cursor.next]),
                           cursor.tokens[cursor.next]};
    ++cursor.next;
    if (const std::optional<uint64_t> ids = WrittenIdCount(example.data)) example.tokens = ids;
    result.examples.push_back(std::move(example));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace tunepack::server
