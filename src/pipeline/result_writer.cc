#include "pipeline/result_writer.h"

#include <cstdio>

#include "tunepack/core/json_writer.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/path_text.h"
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {
namespace {

using Clock = std::chrono::steady_clock;


}  // namespace

std::string RejectionLine(const Rejection& r) {
  std::string line;
  JsonObjectWriter object(line);
  // Source names are text already (SourceFile::name); a detail may quote raw bytes (an
  // error naming a file): the ledger stays valid UTF-8 JSON whatever it holds.
  object.String("source", io::DisplayPath(r.origin.source));
  object.Int("record", static_cast<int64_t>(r.origin.record));
  object.Int("line", static_cast<int64_t>(r.origin.line));
  object.Int("column", static_cast<int64_t>(r.column));
  object.String("reason", RejectReasonName(r.reason));
  // Options are spelled the CLI's way whichever front end ran the export: the ledger is
  // part of the output, byte-identical from the CLI, the HTTP API and Python.
  object.String("detail", WordOptionRefs(io::DisplayPath(r.detail), OptionStyle::kCli));
  object.Close();
  line.push_back('\n');
  return line;
}

std::string RejectionText(const Rejection& r) {
  std::string where = r.origin.source;
  if (r.origin.line) where += ":" + std::to_string(r.origin.line);
  if (r.origin.line && r.column) where += ":" + std::to_string(r.column);
  if (!r.origin.line && r.origin.record) where += ": record " + std::to_string(r.origin.record);
  return where + ": " + std::string(RejectReasonName(r.reason)) + ": " + r.detail;
}

ResultWriter::ResultWriter(Parts parts)
    : p_(std::move(parts)), started_(Clock::now()), last_checkpoint_(started_) {
  const RunState& s = *p_.state;
  snapshot_ = {s.inputs, s.written, s.rejected + s.filtered, 0, p_.bytes_total, 0};
}

uint64_t ResultWriter::first_seq() const {
  return (p_.exact || p_.near || p_.plan) ? 0 : p_.state->tasks_done;
}

Result<Dedupers> CreateDedupers(const ExportOptions& options) {
  Dedupers dedupers;
  if (options.dedup == DedupMode::kExact || options.dedup == DedupMode::kBoth) {
    dedupers.exact = std::make_unique<dedup::ExactDeduper>();
  }
  if (options.dedup == DedupMode::kNear || options.dedup == DedupMode::kBoth) {
    TP_ASSIGN_OR_RETURN(dedup::NearDeduper created, dedup::NearDeduper::Create(options.near_dedup));
    dedupers.near = std::make_unique<dedup::NearDeduper>(std::move(created));
  }
  return dedupers;
}

Rejection DuplicateRejection(const dedup::Verdict& verdict, bool near, const Origin& origin,
                             const std::function<std::string(size_t)>& kept_name) {
  const size_t source = static_cast<size_t>(verdict.kept_id >> kDedupSourceShift);
  const uint64_t record = verdict.kept_id & ((uint64_t{1} << kDedupSourceShift) - 1);
  const std::string kept = kept_name(source) + " record " + std::to_string(record);
  if (!near) return Rejection{origin, 0, RejectReason::kDuplicate, "exact duplicate of " + kept};
  char similarity[32];
  std::snprintf(similarity, sizeof similarity, "%.2f", verdict.similarity);
  return Rejection{origin, 0, RejectReason::kNearDuplicate,
                   std::string("near-duplicate (Jaccard ") + similarity + ") of " + kept};
}

std::optional<Rejection> DecideDuplicate(dedup::ExactDeduper* exact, dedup::NearDeduper* near,
                                         const Hash128& exact_key, const dedup::Signature& signature, uint64_t id,
                                         const Origin& origin,
                                         const std::function<std::string(size_t)>& kept_name) {
  if (exact) {
    const dedup::Verdict verdict = exact->Insert(exact_key, id);
    if (verdict.duplicate) return DuplicateRejection(verdict, false, origin, kept_name);
  }
  if (near) {
    const dedup::Verdict verdict = near->Insert(signature, id);
    if (verdict.duplicate) return DuplicateRejection(verdict, true, origin, kept_name);
  }
  return std::nullopt;
}

std::optional<Rejection> ResultWriter::CheckDuplicate(const UnitOutcome& outcome, uint64_t id) const {
  const std::vector<SourceFile>& sources = *p_.sources;
  return DecideDuplicate(p_.exact, p_.near, outcome.exact_key, outcome.signature, id, outcome.origin,
                         [&](size_t source) { return source < sources.size() ? sources[source].name : std::string("?"); });
}

void ResultWriter::FinishInput() {
  if (!open_input_) return;
  Event finished;
  finished.kind = EventKind::kInputFinished;
  finished.input_index = *open_input_;
  finished.path = (*p_.sources)[*open_input_].name;
  p_.events->Publish(finished);
  open_input_.reset();
}

void ResultWriter::Finish() { FinishInput(); }

Status ResultWriter::Apply(uint64_t seq, TaskResult& result) {
  // The records are written from result.data, which the caller reuses once this returns.
  const Status applied = ApplyRecords(seq, result);
  const Status released = p_.outputs->ReleaseBorrowed();
  return applied.ok() ? released : applied;
}

Status ResultWriter::ApplyRecords(uint64_t seq, TaskResult& result) {
  if (!result.replay && open_input_ != result.source_index) {
    // Tasks come in input order: an input is finished when a later one's first task comes.
    FinishInput();
    open_input_ = result.source_index;
  }
  for (UnitOutcome& outcome : result.outcomes) {
    if (outcome.written && p_.plan) {
      if (std::optional<Rejection> duplicate = p_.plan->Verdict(candidates_++, outcome.origin)) {
        outcome.written = false;
        outcome.rejection = std::move(*duplicate);
      }
    } else if (outcome.written && (p_.exact || p_.near)) {
      const uint64_t id = DedupId(result.source_index, outcome.origin.record);
      if (std::optional<Rejection> duplicate = CheckDuplicate(outcome, id)) {
        outcome.written = false;
        outcome.rejection = std::move(*duplicate);
      }
    } else if (outcome.written && p_.signatures && !result.replay) {
      TP_RETURN_IF_ERROR(p_.signatures->Append(result.source_index, outcome.origin.record, outcome));
    }
    if (result.replay) continue;
    TP_RETURN_IF_ERROR(ApplyOutcome(result, outcome));
  }
  if (result.replay) return Status::Ok();

  RunState& state = *p_.state;
  state.tasks_done = seq + 1;
  SourceCounts& counts = state.sources[result.source_index];
  counts.consumed_bytes = result.prefix_bytes;
  counts.consumed_hash = result.prefix_hash;
  snapshot_ = {state.inputs, state.written, state.rejected + state.filtered,
               snapshot_.bytes_done + result.input_bytes, p_.bytes_total,
               std::chrono::duration<double>(Clock::now() - started_).count()};
  p_.events->Progress(snapshot_);
  const auto now = Clock::now();
  if (now - last_checkpoint_ >= std::chrono::milliseconds(p_.options->checkpoint_interval_ms)) {
    last_checkpoint_ = now;
    TP_RETURN_IF_ERROR(Checkpoint());
  }
  return Status::Ok();
}

Status ResultWriter::ApplyOutcome(const TaskResult& result, UnitOutcome& outcome) {
  const ExportOptions& options = *p_.options;
  RunState& state = *p_.state;
  SourceCounts& counts = state.sources[result.source_index];
  const std::string& path = (*p_.sources)[result.source_index].name;
  // Units are counted when they close: written when any of their examples was.
  if (!outcome.continues_unit) unit_written_ = unit_failed_ = false;
  state.invalid_utf8 += outcome.invalid_utf8;
  for (size_t kind = 0; kind < quality::kPiiKinds; ++kind) {
    if (outcome.pii.by_kind[kind] == 0) continue;
    state.pii_redacted[std::string(quality::PiiKindName(static_cast<quality::PiiKind>(kind)))] +=
        outcome.pii.by_kind[kind];
  }
  const bool filtered = !outcome.written && IsRequestedFilter(outcome.rejection.reason, options);
  if (outcome.written) {
    unit_written_ = true;
    ++state.examples_written;
    if (outcome.truncated) ++state.examples_truncated;
    TP_RETURN_IF_ERROR(
        p_.outputs->WriteBorrowed(outcome.split, std::string_view(result.data).substr(outcome.begin, outcome.size)));
    if (p_.stats) p_.stats->Add(outcome.split, p_.outputs->CurrentFile(outcome.split), outcome.figures);
    Event written;
    written.kind = EventKind::kRecordWritten;
    written.input_index = result.source_index;
    written.path = path;
    written.record = outcome.origin.record;
    written.split = options.splits[outcome.split].name;
    p_.events->Publish(std::move(written));
  } else {
    ++state.examples_rejected;
    ++(filtered ? state.filtered_by_reason : state.rejected_by_reason)[std::string(RejectReasonName(outcome.rejection.reason))];
    if (!filtered) unit_failed_ = true;
  }
  if (outcome.closes_unit) {
    ++state.inputs;
    ++counts.units;
    // A unit some of whose examples were written counts as written; one dropped only by
    // requested filters as filtered.
    if (unit_written_) {
      ++state.written;
      ++counts.written;
    } else if (unit_failed_) {
      ++state.rejected;
      ++counts.rejected;
    } else {
      ++state.filtered;
      ++counts.filtered;
    }
  }
  if (outcome.written) return Status::Ok();

  if (!filtered && state.first_rejection.empty()) state.first_rejection = RejectionText(outcome.rejection);
  TP_RETURN_IF_ERROR(p_.ledger->Write(RejectionLine(outcome.rejection)));
  Event rejected;
  rejected.kind = EventKind::kRecordRejected;
  rejected.input_index = result.source_index;
  rejected.path = path;
  rejected.record = outcome.rejection.origin.record;
  rejected.reason = RejectReasonName(outcome.rejection.reason);
  rejected.detail = outcome.rejection.detail;
  rejected.filtered = filtered;
  p_.events->Publish(std::move(rejected));
  if (options.strict && !filtered) {
    return CancelledError(OptionRef("strict") + ": " + RejectionText(outcome.rejection));
  }
  return Status::Ok();
}

Status ResultWriter::Checkpoint() {
  // The data a checkpoint covers is on the disk before the checkpoint is: after a power
  // loss the checkpoint never points past what survived. One sync per file per checkpoint,
  // not per write.
  TP_RETURN_IF_ERROR(p_.outputs->Sync());
  TP_RETURN_IF_ERROR(p_.ledger->Sync());
  RunState& state = *p_.state;
  state.files = p_.outputs->Files();
  state.rejected_file_bytes = p_.ledger->size();
  if (p_.signatures) {
    TP_RETURN_IF_ERROR(p_.signatures->Sync());
    state.signatures_bytes = p_.signatures->size();
  }
  return io::WriteFileAtomic(p_.checkpoint_path, CheckpointJson(state, p_.options_json));
}

}  // namespace tunepack::pipeline
