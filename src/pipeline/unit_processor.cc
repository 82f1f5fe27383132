#include "pipeline/unit_processor.h"

#include "pipeline/template_step.h"
#include "tunepack/core/hash.h"
#include "tunepack/core/json_syntax.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/core/utf8.h"
#include "tunepack/format/mapping.h"
#include "tunepack/format/plain_record.h"
#include "tunepack/format/unread_fields.h"
#include "tunepack/ingest/rejection.h"
#include "tunepack/normalize/normalizer.h"
#include "tunepack/quality/gopher.h"

namespace tunepack::pipeline {
namespace {

Rejection MakeRejection(const Origin& origin, RejectReason reason, std::string detail,
                        uint64_t column = 0) {
  return Rejection{origin, column, reason, std::move(detail)};
}

// The ledger reason of a document that could not be read, by status code.
RejectReason DocumentFailureReason(const Status& status) {
  switch (status.code()) {
    case StatusCode::kDataLoss: return RejectReason::kInvalidUtf8;
    case StatusCode::kResourceExhausted: return RejectReason::kTooLarge;
    default: return RejectReason::kUnreadable;
  }
}

// True when records are read by their format alone: no example template, field mapping,
// trainer layout or metadata field path looks at the parsed record.
bool ReadsRecordsAsTheirFormat(const ExportOptions& options) {
  return !options.example_template && options.mapping.fields.empty() && options.mapping.text_field.empty() &&
         !options.dataset_layout && options.mapping.metadata_fields.empty();
}

// The room of one record's text kept for the next; a larger record's is given back, not
// held by the worker for the rest of the run.
constexpr size_t kKeptRecordRoom = size_t{1} << 20;

// Makes `example` a default Example but for its messages, left for ReadPlainRecord to write
// over; its strings keep their room (moving an empty string into one copies into it).
void ClearKeepingRoom(Example& example) {
  size_t room = example.text.capacity();
  for (const Message& message : example.messages) room += message.content.capacity();
  if (room > kKeptRecordRoom) {
    Example fresh;
    std::swap(example, fresh);  // the large record's strings go with `fresh`
    return;
  }
  std::vector<Message> turns = std::move(example.messages);
  example = Example();
  example.messages = std::move(turns);
}

}  // namespace

size_t ChooseSplit(const std::vector<SplitSpec>& splits, uint64_t hash) {
  // 53 high bits give a uniform double in [0, 1).
  const double point = static_cast<double>(hash >> 11) * 0x1.0p-53;
  double upper = 0;
  for (size_t i = 0; i < splits.size(); ++i) {
    upper += splits[i].fraction;
    if (point < upper) return i;
  }
  return splits.size() - 1;
}

std::string ContentKey(const Example& example) {
  if (example.kind == ExampleKind::kText) return example.text;
  std::string key;
  auto add = [&](const Message& message) {
    key += RoleName(message.role);
    key.push_back('\x1f');
    key += message.content;
    for (const ToolCall& call : message.tool_calls) {
      key.push_back('\x1f');
      key += call.name;
      key.push_back('\x1f');
      key += call.arguments;
    }
    key.push_back('\x1e');
  };
  for (const Message& message : example.messages) add(message);
  // A preference pair's answers are content too: two pairs with one prompt are different.
  if (IsPreference(example.kind)) {
    key += "\x1d" "chosen\x1e";  // split: "\x1dc" would be one hex escape
    for (const Message& message : example.chosen) add(message);
    key += "\x1drejected\x1e";
    for (const Message& message : example.rejected) add(message);
  }
  key += example.tools;
  return key;
}

UnitProcessor::UnitProcessor(const ExportOptions& options, const format::Format& output_format,
                             SharedStages stages)
    : options_(options),
      output_format_(output_format),
      stages_(stages),
      media_(options.media_files, options.media_dir) {
  write_options_.include_metadata = options.include_metadata;
  document_options_.on_invalid_utf8 = options.on_invalid_utf8;
  document_options_.normalize = options.normalize;
  document_options_.speaker_notes = options.speaker_notes;
  if (!options.normalize_text) {
    document_options_.normalize = normalize::NormalizeOptions{normalize::UnicodeForm::kNone,
                                                              false, false, false, false};
  }
}

TaskResult UnitProcessor::Process(const Task& task) {
  TaskResult result;
  result.seq = task.seq;
  result.replay = task.replay;
  result.source_index = task.source ? task.source->index : 0;
  result.input_bytes = task.input_bytes;
  result.prefix_bytes = task.prefix_bytes;
  result.prefix_hash = task.prefix_hash;
  if (buffers_ != nullptr) result.data = buffers_->Take();
  if (outcome_lists_ != nullptr) result.outcomes = outcome_lists_->Take();
  switch (task.kind) {
    case Task::Kind::kDocument: ProcessDocument(task, result); break;
    case Task::Kind::kRecords: ProcessRecords(task, result); break;
    case Task::Kind::kSplitFile: ProcessSplitFile(task, result); break;
    case Task::Kind::kReject: {
      UnitOutcome outcome;
      outcome.rejection = task.rejection;
      result.outcomes.push_back(std::move(outcome));
      break;
    }
  }
  return result;
}

void UnitProcessor::ProcessDocument(const Task& task, TaskResult& result) {
  const SourceState& source = *task.source;
  UnitOutcome outcome;
  Origin origin{source.path, 0, 0};
  Result<Document> doc = ingest::ReadDocument(*source.document_reader, task.bytes, origin,
                                              document_options_);
  if (!doc.has_value()) {
    // A reader that knows why (corrupt_package, no_text_layer) names the reason itself.
    const RejectReason reason =
        ingest::RejectionReasonOf(doc.error()).value_or(DocumentFailureReason(doc.error()));
    outcome.rejection = MakeRejection(origin, reason, doc.error().message());
    result.outcomes.push_back(std::move(outcome));
    return;
  }
  if (doc->IsBlank()) {
    outcome.rejection = MakeRejection(origin, RejectReason::kEmptyDocument, "no text once read");
    result.outcomes.push_back(std::move(outcome));
    return;
  }
  Example example;
  example.origin = origin;
  example.kind = ExampleKind::kText;
  example.text = doc->text;
  example.metadata = doc->metadata;
  uint64_t invalid_utf8 = 0;
  if (const std::string* invalid = example.metadata.FindJson("invalid_utf8_sequences")) {
    invalid_utf8 = std::strtoull(invalid->c_str(), nullptr, 10);
  }
  EmitUnit(example, &*doc, result, invalid_utf8);
}

void UnitProcessor::EmitUnit(Example& example, const Document* document, TaskResult& result,
                             uint64_t invalid_utf8) {
  // Documents come normalised from their reader; record text is data and stays as read
  // unless --normalize-records asks, in which case it is normalised here, before chunking,
  // so that chunks are counted as they will be written.
  if (document == nullptr) {
    NormalizeExample(example);
    // Fields the record's format does not read are carried, put in metadata when asked, or
    // the record is refused: never dropped silently.
    Status placed = format::PlaceUnreadFields(example, output_format_, options_.include_metadata);
    if (!placed.ok()) {
      UnitOutcome outcome;
      outcome.invalid_utf8 = invalid_utf8;
      outcome.rejection = MakeRejection(example.origin, RejectReason::kLossyConversion, placed.message());
      result.outcomes.push_back(std::move(outcome));
      return;
    }
  }
  // --template renders each document or chunk; records were rendered when they were read.
  const format::ExampleTemplate* document_template =
      document != nullptr ? options_.example_template.get() : nullptr;
  if (stages_.chunker == nullptr || example.kind != ExampleKind::kText) {
    UnitOutcome outcome;
    outcome.invalid_utf8 = invalid_utf8;
    if (document_template != nullptr &&
        !TemplateDocument(*document_template, *document, nullptr, 1, parser_, example, outcome)) {
      result.outcomes.push_back(std::move(outcome));
      return;
    }
    Emit(example, outcome, result);
    return;
  }
  Document text_only;
  if (document == nullptr) {
    text_only.origin = example.origin;
    text_only.text = example.text;
    document = &text_only;
  }
  Result<std::vector<chunk::Chunk>> chunks = stages_.chunker->Split(*document);
  if (!chunks.has_value() || chunks->empty()) {
    UnitOutcome outcome;
    outcome.invalid_utf8 = invalid_utf8;
    outcome.rejection = MakeRejection(example.origin, chunks.has_value() ? RejectReason::kEmptyDocument : RejectReason::kUnchunkable,
                                      chunks.has_value() ? "no text to chunk" : chunks.error().message());
    result.outcomes.push_back(std::move(outcome));
    return;
  }
  for (size_t i = 0; i < chunks->size(); ++i) {
    const chunk::Chunk& piece = (*chunks)[i];
    Example part;
    part.origin = example.origin;
    part.kind = ExampleKind::kText;
    part.text = piece.text;
    part.metadata = example.metadata;
    chunk::SetChunkMetadata(piece, &part.metadata);
    UnitOutcome outcome;
    outcome.invalid_utf8 = i == 0 ? invalid_utf8 : 0;
    outcome.continues_unit = i > 0;
    outcome.closes_unit = i + 1 == chunks->size();
    if (document_template != nullptr &&
        !TemplateDocument(*document_template, *document, &piece, chunks->size(), parser_, part, outcome)) {
      result.outcomes.push_back(std::move(outcome));
      continue;
    }
    Emit(part, outcome, result);
  }
}

bool UnitProcessor::RecordToExample(const SourceState& source, std::string_view json,
                                    const Origin& origin, Example& example,
                                    UnitOutcome& outcome) {
  // A plain record of its format is read from its text, with no parse
  // (tunepack/format/plain_record.h); any other record, errors included, is parsed below.
  if (source.record_format != nullptr && ReadsRecordsAsTheirFormat(options_)) {
    example.origin = origin;
    if (format::ReadPlainRecord(*source.record_format, json, example)) return true;
  }
  example.messages.clear();  // the readers below add to them
  simdjson::dom::element root;
  simdjson::error_code error = parser_.parse(json.data(), json.size(), false).get(root);
  if (error == simdjson::UTF8_ERROR) {
    Result<RepairReport> repair = RepairUtf8(json, options_.on_invalid_utf8, &repaired_);
    if (!repair.has_value()) {
      const size_t bad = FindInvalidUtf8(json);
      const TextPosition at = PositionOf(json, bad);
      Origin where = origin;
      where.line = origin.line + at.line - 1;
      outcome.rejection = MakeRejection(where, RejectReason::kInvalidUtf8,
                                        "invalid UTF-8 (" + OptionRef("on-invalid-utf8") + " fail)", at.column);
      return false;
    }
    outcome.invalid_utf8 = repair->invalid_sequences;
    repaired_.append(simdjson::SIMDJSON_PADDING, ' ');
    json = std::string_view(repaired_.data(), repaired_.size() - simdjson::SIMDJSON_PADDING);
    error = parser_.parse(json.data(), json.size(), false).get(root);
  }
  if (error) {
    JsonSyntaxError syntax = FindJsonSyntaxError(json);
    const size_t offset = syntax.offset == std::string_view::npos ? 0 : syntax.offset;
    const TextPosition at = PositionOf(json, offset);
    Origin where = origin;
    where.line = origin.line + at.line - 1;
    std::string detail = syntax.offset == std::string_view::npos
                             ? std::string(simdjson::error_message(error))
                             : "malformed JSON: expected " + syntax.expected;
    outcome.rejection = MakeRejection(where, RejectReason::kMalformedJson, std::move(detail), at.column);
    return false;
  }
  if (!root.is_object()) {
    outcome.rejection = MakeRejection(origin, RejectReason::kNotAnObject,
                                      "a record must be a JSON object", 1);
    return false;
  }
  example.origin = origin;
  if (options_.example_template) {
    return TemplateRecord(*options_.example_template, root.get_object().value_unsafe(), parser_, example, outcome);
  }
  const bool mapped = !options_.mapping.fields.empty() || !options_.mapping.text_field.empty();
  Status status;
  if (mapped) {
    status = format::MapRecord(root, options_.mapping, example);
    if (!status.ok()) {
      outcome.rejection = MakeRejection(origin, RejectReason::kMissingField, status.message());
      return false;
    }
  } else if (source.record_format == nullptr) {
    outcome.rejection = MakeRejection(
        origin, RejectReason::kUnrecognizedRecord,
        "the record is in no known dataset format; pass " + OptionRef("text-field") + " FIELD for documents or " +
            OptionRef("map") + " ROLE=FIELD for conversations (see `tunepack formats`)");
    return false;
  } else {
    simdjson::dom::element record = root;
    if (options_.dataset_layout) {
      // Fields and roles renamed as the trainer's configuration says, then read by the format.
      Result<std::string> renamed = options_.dataset_layout->Reshape(root.get_object().value_unsafe());
      if (!renamed.has_value()) {
        outcome.rejection = MakeRejection(origin, RejectReason::kInvalidRecord, renamed.status().message());
        return false;
      }
      renamed_ = std::move(*renamed);
      if (layout_parser_.parse(renamed_).get(record) != simdjson::SUCCESS) {
        outcome.rejection = MakeRejection(origin, RejectReason::kInternalError, "a renamed record is not JSON");
        return false;
      }
    }
    status = source.record_format->read(record, example);
    if (status.ok() && options_.dataset_layout) status = options_.dataset_layout->Finish(example);
    if (!status.ok()) {
      outcome.rejection = MakeRejection(
          origin, RejectReason::kInvalidRecord,
          "not a valid " + source.record_format->name + " record: " + status.message());
      return false;
    }
    // --meta-field works on records of a known format too (a path missing here is skipped).
    for (const std::string& path : options_.mapping.metadata_fields) {
      Result<simdjson::dom::element> value = format::FindPath(root, path);
      if (value) example.metadata.SetJson(path, simdjson::minify(*value));
    }
  }
  return true;
}

void UnitProcessor::ProcessRecords(const Task& task, TaskResult& result) {
  const SourceState& source = *task.source;
  const ingest::RecordBatch& batch = task.batch;
  result.outcomes.reserve(batch.records.size());
  // Records encode to about their input's size: one allocation instead of a doubling series.
  result.data.reserve(batch.buffer.size() + batch.buffer.size() / 8);
  Origin origin{source.path, 0, 0};  // the path copied once a task, not once a record
  for (size_t i = 0; i < batch.records.size(); ++i) {
    const ingest::RecordSpan& span = batch.records[i];
    origin.record = task.first_record + i;
    origin.line = span.line;
    UnitOutcome outcome;
    if (!span.error.empty()) {
      outcome.rejection = MakeRejection(origin, span.oversize ? RejectReason::kTooLarge : RejectReason::kMalformedRecord,
                                        span.error, span.column);
      result.outcomes.push_back(std::move(outcome));
      continue;
    }
    // One example serves every record: a new one per record allocated its strings and
    // messages again, and freed them, for every record.
    Example& example = record_example_;
    ClearKeepingRoom(example);
    std::string_view json(batch.buffer.data() + span.begin, span.size);
    if (!RecordToExample(source, json, origin, example, outcome)) {
      result.outcomes.push_back(std::move(outcome));
      continue;
    }
    if (std::optional<StepDrop> drop = media_.Check(example)) {
      outcome.rejection = MakeRejection(origin, drop->reason, std::move(drop->detail));
      result.outcomes.push_back(std::move(outcome));
      continue;
    }
    EmitUnit(example, nullptr, result, outcome.invalid_utf8);
  }
}

void UnitProcessor::ProcessSplitFile(const Task& task, TaskResult& result) {
  const SourceState& source = *task.source;
  std::string text;
  Result<RepairReport> repair = RepairUtf8(task.bytes, options_.on_invalid_utf8, &text);
  if (!repair.has_value()) {
    const size_t bad = FindInvalidUtf8(task.bytes);
    const TextPosition at = PositionOf(task.bytes, bad);
    UnitOutcome outcome;
    outcome.rejection = MakeRejection(Origin{source.path, 0, at.line}, RejectReason::kInvalidUtf8,
                                      "invalid UTF-8 (" + OptionRef("on-invalid-utf8") + " fail)", at.column);
    result.outcomes.push_back(std::move(outcome));
    return;
  }
  uint64_t record = 0;
  std::vector<Example> examples;
  Status status = source.split_format->split(text, [&](Example&& example, uint64_t line) {
    example.origin = Origin{source.path, record++, line};
    examples.push_back(std::move(example));
  });
  if (!status.ok()) {
    UnitOutcome outcome;
    outcome.rejection = MakeRejection(Origin{source.path, record, 0}, RejectReason::kInvalidRecord,
                                      "not a valid " + source.split_format->name +
                                          " file: " + status.message());
    result.outcomes.push_back(std::move(outcome));
    return;
  }
  for (Example& example : examples) EmitUnit(example, nullptr, result);
}

void UnitProcessor::NormalizeExample(Example& example) {
  if (!options_.normalize_text || !options_.normalize_records) return;
  if (example.kind == ExampleKind::kText) {
    example.text = normalize::Normalize(example.text, options_.normalize);
    return;
  }
  ForEachMessage(example, [&](Message& message) {
    message.content = normalize::Normalize(message.content, options_.normalize);
  });
}

void UnitProcessor::Emit(Example& example, UnitOutcome& outcome, TaskResult& result) {
  for (const auto& [key, value] : options_.meta) example.metadata.SetString(key, value);
  if (stages_.steps != nullptr) {
    if (std::optional<StepDrop> drop = stages_.steps->Apply(example, &outcome.pii)) {
      outcome.rejection = MakeRejection(example.origin, std::move(drop->reason), std::move(drop->detail));
      result.outcomes.push_back(std::move(outcome));
      return;
    }
  }
  if (options_.quality_filter && example.kind == ExampleKind::kText) {
    // Gopher's rules describe web documents; short chat turns would fail them by design,
    // so conversations are not scored.
    const quality::GopherScores scores = quality::ScoreGopher(example.text);
    std::string json;
    scores.AppendJson(&json);
    example.metadata.SetJson("quality", std::move(json));
    if (const quality::QualityRule* rule = quality::FirstFailedRule(options_.quality_rules, scores)) {
      outcome.rejection = MakeRejection(example.origin, RejectReason::kLowQuality,
                                        quality::FailureReason(*rule, scores));
      result.outcomes.push_back(std::move(outcome));
      return;
    }
  }
  if (stages_.limit != nullptr && !ApplyExampleLimit(example, outcome, result)) return;
  const size_t begin = result.data.size();
  rendered_text_.clear();
  write_options_.rendered_text = measurer_ ? &rendered_text_ : nullptr;
  Status status = output_format_.write(example, write_options_, result.data);
  if (!status.ok()) {
    result.data.resize(begin);
    const bool document_into_chat = example.kind == ExampleKind::kText && !output_format_.preference;
    // A preference format given an example with no pair to write: not a loss, a mismatch.
    const bool not_preference = output_format_.preference && !IsPreference(example.kind) &&
                                status.code() == StatusCode::kFailedPrecondition;
    RejectReason reason = status.code() == StatusCode::kFailedPrecondition ? RejectReason::kLossyConversion
                                                                           : RejectReason::kInvalidExample;
    // chat-template's assistant mask, for a template that rewrites earlier turns.
    if (status.code() == StatusCode::kUnimplemented) reason = RejectReason::kUnstableTemplatePrefix;
    if (document_into_chat) reason = RejectReason::kNotAConversation;
    if (not_preference) reason = RejectReason::kNotAPreferencePair;
    outcome.rejection = MakeRejection(
        example.origin, reason,
        document_into_chat
            ? output_format_.name + " needs conversations, and plain documents become text examples: pass " +
                  OptionRef("template") + " FILE to shape them into conversations, or " + OptionRef("map") +
                  " ROLE=FIELD for records, or use " + OptionRef("format") + " jsonl, text or markdown (" +
                  status.message() + ")"
            : status.message());
    result.outcomes.push_back(std::move(outcome));
    return;
  }
  outcome.written = true;
  outcome.origin = example.origin;
  outcome.begin = begin;
  outcome.size = result.data.size() - begin;
  // A replayed task was written before an interruption: its figures come from the files.
  if (measurer_ && !result.replay) {
    try {
      outcome.figures = measurer_->Measure(example, std::string_view(result.data).substr(begin, outcome.size), &rendered_text_);
    } catch (...) {
      // A record left unmeasured makes the report read the files back; the data is not at stake.
      outcome.figures = RecordFigures();
    }
  }
  if (options_.splits.size() == 1 && stages_.exact == nullptr && stages_.near == nullptr) {
    result.outcomes.push_back(std::move(outcome));
    return;
  }
  const std::string key = ContentKey(example);
  if (options_.splits.size() > 1) outcome.split = ChooseSplit(options_.splits, Hash64(key));
  if (stages_.exact != nullptr) outcome.exact_key = stages_.exact->Key(key);
  if (stages_.near != nullptr) outcome.signature = stages_.near->Sign(key);
  result.outcomes.push_back(std::move(outcome));
}

bool UnitProcessor::ApplyExampleLimit(Example& example, UnitOutcome& outcome, TaskResult& result) {
  Result<uint64_t> tokens = stages_.limit->Count(example);
  if (!tokens.has_value()) {
    outcome.rejection = MakeRejection(example.origin, RejectReason::kUntokenizable, tokens.error().message());
    result.outcomes.push_back(std::move(outcome));
    return false;
  }
  if (*tokens <= stages_.limit->max_tokens()) return true;
  const std::string over = std::to_string(*tokens) + " tokens, over " + OptionRef("max-example-tokens") + " " +
                           std::to_string(stages_.limit->max_tokens());
  auto reject = [&](std::string detail) {
    outcome.rejection = MakeRejection(example.origin, RejectReason::kTooLong, std::move(detail));
    result.outcomes.push_back(std::move(outcome));
    return false;
  };
  switch (stages_.limit->policy()) {
    case OverlongPolicy::kDrop:
      return reject(over);
    case OverlongPolicy::kTruncate: {
      Status cut = stages_.limit->Truncate(example);
      if (!cut.ok()) return reject(over + "; not truncated: " + cut.message());
      outcome.truncated = true;
      return true;
    }
    case OverlongPolicy::kSplit:
      break;
  }
  if (example.kind != ExampleKind::kText) {
    return reject(over + "; a conversation cannot be split (use " + OptionRef("on-overlong") + " truncate or drop)");
  }
  if (emitting_pieces_) return reject(over + " after splitting");
  Document document;
  document.origin = example.origin;
  document.text = example.text;
  Result<std::vector<chunk::Chunk>> chunks = stages_.limit->splitter()->Split(document);
  if (!chunks.has_value() || chunks->empty()) {
    return reject(over + "; not split: " +
                  (chunks.has_value() ? std::string("no text") : chunks.error().message()));
  }
  // Each piece is an example of the same unit: the unit stays open until its last piece.
  emitting_pieces_ = true;
  for (size_t i = 0; i < chunks->size(); ++i) {
    Example piece;
    piece.origin = example.origin;
    piece.kind = ExampleKind::kText;
    piece.text = (*chunks)[i].text;
    piece.metadata = example.metadata;
    chunk::SetChunkMetadata((*chunks)[i], &piece.metadata);
    UnitOutcome part;
    part.invalid_utf8 = i == 0 ? outcome.invalid_utf8 : 0;
    part.continues_unit = i > 0 || outcome.continues_unit;
    part.closes_unit = i + 1 == chunks->size() && outcome.closes_unit;
    Emit(piece, part, result);
  }
  emitting_pieces_ = false;
  return false;
}

}  // namespace tunepack::pipeline
