#include "tunepack/pipeline/pack.h"

#include <simdjson.h>

#include <filesystem>
#include <string_view>
#include <utility>

#include "tunepack/chunk/packer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/ingest/record_reader.h"
#include "tunepack/io/file.h"

namespace tunepack::pipeline {
namespace {

// All examples' tokens back to back; example i is ids[begin[i], begin[i+1]), read from line
// line[i] of inputs[file[i]] (kept to name over-long examples).
struct TokenStore {
  std::vector<tokenize::TokenId> ids;
  std::vector<uint8_t> trained;  ///< per token, 1 when trained
  std::vector<size_t> begin = {0};
  std::vector<uint32_t> file;
  std::vector<uint64_t> line;
};

Status RecordError(const std::string& path, uint64_t line, std::string_view what) {
  return InvalidArgumentError(path + ":" + std::to_string(line) + ": " + std::string(what));
}

Status ReadTokens(simdjson::dom::object record, const std::string& path, uint64_t line,
                  const PackOptions& options, TokenStore& store) {
  simdjson::dom::array ids;
  if (record["input_ids"].get_array().get(ids) == simdjson::SUCCESS) {
    const size_t first = store.ids.size();
    for (simdjson::dom::element id : ids) {
      uint64_t value;
      if (id.get_uint64().get(value) != simdjson::SUCCESS || value > UINT32_MAX) {
        return RecordError(path, line, "input_ids must hold token ids (non-negative integers)");
      }
      store.ids.push_back(static_cast<tokenize::TokenId>(value));
    }
    simdjson::dom::array mask;
    if (record["assistant_masks"].get_array().get(mask) == simdjson::SUCCESS) {
      if (mask.size() != ids.size()) {
        return RecordError(path, line, "assistant_masks must have one 0/1 per input id");
      }
      for (simdjson::dom::element bit : mask) {
        int64_t value;
        if (bit.get_int64().get(value) != simdjson::SUCCESS || (value != 0 && value != 1)) {
          return RecordError(path, line, "assistant_masks must hold 0 or 1");
        }
        store.trained.push_back(static_cast<uint8_t>(value));
      }
    } else {
      store.trained.insert(store.trained.end(), store.ids.size() - first, 1);
    }
    return Status::Ok();
  }
  std::string_view text;
  if (record["text"].get_string().get(text) == simdjson::SUCCESS) {
    if (options.tokenizer == nullptr) {
      return RecordError(path, line, "a text record needs a tokenizer: pass " + OptionRef("tokenizer"));
    }
    const size_t first = store.ids.size();
    tokenize::EncodeOptions encode;
    encode.add_special = options.add_special;
    Status status = options.tokenizer->Encode(text, encode, &store.ids);
    if (!status.ok()) return RecordError(path, line, status.message());
    store.trained.insert(store.trained.end(), store.ids.size() - first, 1);
    return Status::Ok();
  }
  return RecordError(path, line,
                     "a record to pack needs \"input_ids\" or \"text\"; chat examples are packed from " +
                         OptionRef("format") + " chat-template output (export it with " + OptionRef("model") +
                         " DIR and " + OptionRef("tokenizer") + ", then pack that)");
}

Status ReadFile(const std::string& path, uint32_t file_index, const PackOptions& options,
                TokenStore& store) {
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::InputFile> file, io::InputFile::Open(path));
  // JSON Lines, or a binary record container (Parquet) recognised by its first bytes.
  TP_ASSIGN_OR_RETURN(std::string head, io::ReadFileHead(path, 16));
  const ingest::RecordContainer* binary = ingest::FindBinaryContainer(head);
  TP_ASSIGN_OR_RETURN(std::unique_ptr<ingest::RecordReader> reader,
                      ingest::OpenRecordReader(binary ? binary->name : "jsonl",
                                               ingest::FileByteSource(std::move(file))));
  simdjson::dom::parser parser;
  ingest::RecordBatch batch;
  while (true) {
    TP_ASSIGN_OR_RETURN(bool more, reader->Next(batch, 4u << 20));
    if (!more) break;
    for (const ingest::RecordSpan& span : batch.records) {
      if (!span.error.empty()) return RecordError(path, span.line, span.error);
      simdjson::dom::element element;
      simdjson::dom::object record;
      if (parser.parse(batch.buffer.data() + span.begin, span.size, false).get(element) !=
              simdjson::SUCCESS ||
          element.get_object().get(record) != simdjson::SUCCESS) {
        return RecordError(path, span.line, "not a JSON object");
      }
      TP_RETURN_IF_ERROR(ReadTokens(record, path, span.line, options, store));
      store.begin.push_back(store.ids.size());
      store.file.push_back(file_index);
      store.line.push_back(span.line);
    }
  }
  return Status::Ok();
}

void AppendArray(std::string& out, std::string_view key, const auto& values) {
  out += '"';
  out += key;
  out += "\":[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  out += ']';
}

}  // namespace

Result<PackSummary> PackJsonlFiles(const std::vector<std::string>& inputs,
                                   const PackOptions& options, const std::string& output) {
  if (options.seq_len == 0) return InvalidArgumentError("the sequence length must be 1 or more");
  TokenStore store;
  for (uint32_t index = 0; index < inputs.size(); ++index) {
    TP_RETURN_IF_ERROR(ReadFile(inputs[index], index, options, store));
  }

  const size_t count = store.begin.size() - 1;
  std::vector<size_t> lengths(count);
  for (size_t i = 0; i < count; ++i) lengths[i] = store.begin[i + 1] - store.begin[i];
  std::vector<uint32_t> overlong;
  const std::vector<chunk::PackBin> bins =
      chunk::PackFirstFitDecreasing(lengths, options.seq_len, &overlong);

  PackSummary summary;
  summary.examples = count;
  summary.overlong = overlong.size();
  summary.packed = count - overlong.size();
  summary.sequences = bins.size();
  summary.efficiency = chunk::PackingEfficiency(bins, options.seq_len);
  for (uint32_t index : overlong) {
    if (summary.overlong_examples.size() == 20) break;
    summary.overlong_examples.push_back(inputs[store.file[index]] + ":" +
                                        std::to_string(store.line[index]) + " (" +
                                        std::to_string(lengths[index]) + " tokens)");
  }

  // LayOutBin reads examples by index; give it views of the store, one bin at a time.
  std::vector<chunk::TokenizedExample> examples(count);
  // Written through a temporary file and a rename: a reader never sees half a packing.
  const std::string partial = output + ".partial";
  TP_ASSIGN_OR_RETURN(std::unique_ptr<io::AppendFile> file, io::AppendFile::Open(partial));
  std::string out;
  for (const chunk::PackBin& bin : bins) {
    for (uint32_t index : bin.items) {
      const size_t begin = store.begin[index], end = store.begin[index + 1];
      examples[index].ids.assign(store.ids.begin() + begin, store.ids.begin() + end);
      examples[index].trained.assign(store.trained.begin() + begin, store.trained.begin() + end);
    }
    TP_ASSIGN_OR_RETURN(chunk::PackedSequence sequence, chunk::LayOutBin(bin, examples));
    for (uint32_t index : bin.items) {
      examples[index].ids = {};
      examples[index].trained = {};
    }
    summary.tokens += sequence.input_ids.size();
    out += '{';
    AppendArray(out, "input_ids", sequence.input_ids);
    out += ',';
    AppendArray(out, "position_ids", sequence.position_ids);
    out += ',';
    AppendArray(out, "labels", sequence.labels);
    out += ',';
    AppendArray(out, "lengths", sequence.lengths);
    out += "}\n";
    TP_RETURN_IF_ERROR(file->Write(out));
    out.clear();
  }
  TP_RETURN_IF_ERROR(file->Sync());  // on the disk before it takes the final name
  TP_RETURN_IF_ERROR(file->Close());
  std::error_code error;
  std::filesystem::rename(partial, output, error);
  if (error) return InternalError("cannot rename " + partial + " to " + output + ": " + error.message());
  return summary;
}

}  // namespace tunepack::pipeline
