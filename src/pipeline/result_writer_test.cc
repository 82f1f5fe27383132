// ResultWriter on hand-made results: what it writes, what it counts, what it tells.
#include "pipeline/result_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/format/format.h"

namespace tunepack::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class RecordingSubscriber : public EventSubscriber {
 public:
  void OnEvent(const Event& event) override {
    if (event.kind == EventKind::kRecordWritten) seen.push_back("written " + std::to_string(event.record));
    if (event.kind == EventKind::kRecordRejected) {
      seen.push_back(std::string(event.filtered ? "filtered " : "rejected ") + std::string(event.reason));
    }
    if (event.kind == EventKind::kInputFinished) seen.push_back("finished " + std::string(event.path));
  }
  std::vector<std::string> seen;
};

// A result of one input holding `outcomes`, each written one carrying its record as data.
struct ResultBuilder {
  TaskResult result;
  ResultBuilder& Written(uint64_t record, std::string_view text, Hash128 key = {}) {
    UnitOutcome outcome;
    outcome.written = true;
    outcome.origin = Origin{"in.jsonl", record, record + 1};
    outcome.begin = result.data.size();
    result.data += std::string(text) + "\n";
    outcome.size = result.data.size() - outcome.begin;
    outcome.exact_key = key;
    result.outcomes.push_back(outcome);
    return *this;
  }
  ResultBuilder& Rejected(uint64_t record, RejectReason reason) {
    UnitOutcome outcome;
    outcome.origin = Origin{"in.jsonl", record, record + 1};
    outcome.rejection = Rejection{outcome.origin, 0, reason, "because"};
    result.outcomes.push_back(outcome);
    return *this;
  }
};

class ResultWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    format_ = *format::BindFormat("jsonl", {});
    sources_.resize(1);
    sources_[0].name = "in.jsonl";
    state_.sources.resize(1);
    outputs_ = std::make_unique<OutputSet>(dir_.path().string(), options_.splits, *format_, 0);
    ASSERT_TRUE(outputs_->Open(nullptr).ok());
    ledger_ = *io::AppendFile::Open((dir_ / "rejected.jsonl").string(), -1);
    options_.checkpoint_interval_ms = 3600 * 1000;  // checkpoints only when asked
  }

  ResultWriter MakeWriter(dedup::ExactDeduper* exact = nullptr) {
    return ResultWriter({&options_, &sources_, &state_, outputs_.get(), ledger_.get(), exact, nullptr, nullptr, nullptr, &events_, nullptr,
                         (dir_ / "checkpoint.json").string(), "{}", 100});
  }

  std::string Ledger() {
    EXPECT_TRUE(ledger_->Flush().ok());
    return testing::ReadFile(dir_ / "rejected.jsonl");
  }

  testing::TempDir dir_;
  ExportOptions options_;
  std::shared_ptr<const format::Format> format_;
  std::vector<SourceFile> sources_;
  RunState state_;
  std::unique_ptr<OutputSet> outputs_;
  std::unique_ptr<io::AppendFile> ledger_;
  RecordingSubscriber subscriber_;
  EventPublisher events_{subscriber_};
};

TEST_F(ResultWriterTest, WritesDataAndLedgerAndCountsEachUnitOnce) {
  ResultWriter writer = MakeWriter();
  ResultBuilder batch;
  batch.Written(0, R"({"text":"a"})").Rejected(1, RejectReason::kMalformedJson).Written(2, R"({"text":"c"})");
  ASSERT_TRUE(writer.Apply(0, batch.result).ok());
  writer.Finish();
  EXPECT_EQ(state_.inputs, 3u);
  EXPECT_EQ(state_.written, 2u);
  EXPECT_EQ(state_.rejected, 1u);
  EXPECT_EQ(state_.rejected_by_reason.at("malformed_json"), 1u);
  EXPECT_EQ(state_.tasks_done, 1u);
  EXPECT_EQ(state_.first_rejection, "in.jsonl:2: malformed_json: because");
  EXPECT_THAT(Ledger(), HasSubstr(R"("record":1,"line":2,"column":0,"reason":"malformed_json","detail":"because")"));
  EXPECT_THAT(subscriber_.seen, ElementsAre("written 0", "rejected malformed_json", "written 2", "finished in.jsonl"));
  ASSERT_TRUE(writer.Checkpoint().ok());
  EXPECT_EQ(testing::ReadFile(dir_ / "train.jsonl"), "{\"text\":\"a\"}\n{\"text\":\"c\"}\n");
}

TEST_F(ResultWriterTest, ExactDuplicatesAreFilteredNamingTheKeptRecord) {
  options_.dedup = DedupMode::kExact;
  dedup::ExactDeduper exact;
  ResultWriter writer = MakeWriter(&exact);
  const Hash128 same = HashBytes("same");
  ResultBuilder batch;
  batch.Written(0, R"({"text":"x"})", same).Written(1, R"({"text":"x"})", same);
  ASSERT_TRUE(writer.Apply(0, batch.result).ok());
  EXPECT_EQ(state_.written, 1u);
  EXPECT_EQ(state_.filtered, 1u);
  EXPECT_EQ(state_.rejected, 0u);
  EXPECT_EQ(state_.filtered_by_reason.at("duplicate"), 1u);
  EXPECT_TRUE(state_.first_rejection.empty());  // a requested filter is not a failure
  EXPECT_THAT(Ledger(), HasSubstr("exact duplicate of in.jsonl record 0"));
}

TEST_F(ResultWriterTest, AReplayedResultOnlyFeedsTheDeduper) {
  options_.dedup = DedupMode::kExact;
  dedup::ExactDeduper exact;
  ResultWriter writer = MakeWriter(&exact);
  EXPECT_EQ(writer.first_seq(), 0u);  // with dedup, resumed runs replay from the start
  const Hash128 key = HashBytes("k");
  ResultBuilder replayed;
  replayed.Written(0, R"({"text":"k"})", key);
  replayed.result.replay = true;
  ASSERT_TRUE(writer.Apply(0, replayed.result).ok());
  EXPECT_EQ(state_.inputs, 0u);
  EXPECT_TRUE(subscriber_.seen.empty());
  ResultBuilder fresh;
  fresh.Written(1, R"({"text":"k"})", key);
  ASSERT_TRUE(writer.Apply(1, fresh.result).ok());
  EXPECT_EQ(state_.filtered_by_reason.at("duplicate"), 1u);
}

TEST_F(ResultWriterTest, StrictStopsAtTheFirstRejectionButNotAtAFilter) {
  options_.strict = true;
  options_.dedup = DedupMode::kExact;
  dedup::ExactDeduper exact;
  ResultWriter writer = MakeWriter(&exact);
  const Hash128 key = HashBytes("k");
  ResultBuilder filtered;
  filtered.Written(0, R"({"text":"k"})", key).Written(1, R"({"text":"k"})", key);
  EXPECT_TRUE(writer.Apply(0, filtered.result).ok());
  ResultBuilder failing;
  failing.Rejected(2, RejectReason::kMissingField);
  Status status = writer.Apply(1, failing.result);
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_THAT(status.message(), HasSubstr("in.jsonl:3: missing_field: because"));
}

TEST_F(ResultWriterTest, AChunkedUnitIsWrittenWhenAnyOfItsExamplesIs) {
  ResultWriter writer = MakeWriter();
  ResultBuilder batch;
  batch.Rejected(0, RejectReason::kTooLong).Written(0, R"({"text":"part"})");
  batch.result.outcomes[0].closes_unit = false;
  batch.result.outcomes[1].continues_unit = true;
  ASSERT_TRUE(writer.Apply(0, batch.result).ok());
  EXPECT_EQ(state_.inputs, 1u);
  EXPECT_EQ(state_.written, 1u);
  EXPECT_EQ(state_.examples_written, 1u);
  EXPECT_EQ(state_.examples_rejected, 1u);
}

TEST_F(ResultWriterTest, CheckpointRecordsFilesAndLedgerSize) {
  ResultWriter writer = MakeWriter();
  ResultBuilder batch;
  batch.Written(0, R"({"text":"a"})").Rejected(1, RejectReason::kNotAnObject);
  ASSERT_TRUE(writer.Apply(0, batch.result).ok());
  ASSERT_TRUE(writer.Checkpoint().ok());
  EXPECT_GT(state_.rejected_file_bytes, 0u);
  ASSERT_EQ(state_.files.size(), 1u);
  EXPECT_EQ(state_.files[0].records, 1u);
  Result<RunState> saved = ParseCheckpoint(testing::ReadFile(dir_ / "checkpoint.json"), "{}");
  ASSERT_TRUE(saved.has_value()) << saved.error().message();
  EXPECT_EQ(saved->tasks_done, 1u);
  EXPECT_EQ(saved->rejected, 1u);
}

// Borrowed records reach the file when released, in order with copied ones, separated and
// cut into shards as copied ones are, and the running hash is the file's.
TEST(OutputSetTest, BorrowedRecordsReachTheFileInOrderWithCopiedOnes) {
  for (const char* name : {"jsonl", "markdown"}) {
    testing::TempDir dir;
    auto format = format::BindFormat(name, {});
    ASSERT_TRUE(format.has_value());
    const std::vector<SplitSpec> splits = {{"train", 1.0}};
    OutputSet outputs(dir.path().string(), splits, **format, 3);
    ASSERT_TRUE(outputs.Open(nullptr).ok());
    std::string task = "r1\nr2\nr3\nr4\n";  // one task's records, back to back
    const std::string_view records(task);
    ASSERT_TRUE(outputs.WriteBorrowed(0, records.substr(0, 3)).ok());
    ASSERT_TRUE(outputs.WriteBorrowed(0, records.substr(3, 3)).ok());
    ASSERT_TRUE(outputs.Write(0, "copied\n").ok());
    ASSERT_TRUE(outputs.WriteBorrowed(0, records.substr(6, 3)).ok());  // starts a shard
    ASSERT_TRUE(outputs.WriteBorrowed(0, records.substr(9, 3)).ok());
    ASSERT_TRUE(outputs.ReleaseBorrowed().ok());
    task.assign(task.size(), 'x');  // the caller reuses the memory once released
    ASSERT_TRUE(outputs.Close().ok());
    const std::string separator = (*format)->separator;
    const std::vector<OutputFileSummary> files = outputs.Files();
    ASSERT_EQ(files.size(), 2u) << name;
    EXPECT_EQ(testing::ReadFile(dir.path() / files[0].path), "r1\n" + separator + "r2\n" + separator + "copied\n");
    EXPECT_EQ(testing::ReadFile(dir.path() / files[1].path), "r3\n" + separator + "r4\n");
    for (const OutputFileSummary& file : files) {
      EXPECT_EQ(file.bytes, testing::ReadFile(dir.path() / file.path).size()) << file.path;
      EXPECT_EQ(outputs.FileHash(file.path)->Hex(), HashBytes(testing::ReadFile(dir.path() / file.path)).Hex());
    }
  }
}

TEST(RejectionLineTest, OptionsAreSpelledTheCliWayWhateverFrontEndRan) {
  // The ledger is output: the same bytes whether the CLI, the HTTP API or Python ran the
  // export, so an option named in a detail is spelled one way.
  const Rejection rejection{Origin{"in.jsonl", 3, 3}, 7, RejectReason::kInvalidUtf8,
                            "invalid UTF-8 (" + OptionRef("on-invalid-utf8") + " fail)"};
  EXPECT_THAT(RejectionLine(rejection), HasSubstr("\"detail\":\"invalid UTF-8 (--on-invalid-utf8 fail)\""));
  Event event;
  event.kind = EventKind::kRecordRejected;
  event.detail = rejection.detail;
  EXPECT_THAT(EventJson(event, OptionStyle::kJson), HasSubstr("(--on-invalid-utf8 fail)"));
  Event warning;
  warning.kind = EventKind::kWarning;
  const std::string message = "pass " + OptionRef("text-field");
  warning.message = message;
  EXPECT_THAT(EventJson(warning, OptionStyle::kJson), HasSubstr("\"message\":\"pass text_field\""));
  EXPECT_THAT(EventJson(warning, OptionStyle::kCli), HasSubstr("\"message\":\"pass --text-field\""));
}

}  // namespace
}  // namespace tunepack::pipeline
