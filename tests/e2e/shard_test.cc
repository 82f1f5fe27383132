// End-to-end tests of sharded exports: `export --shard I/N` ranks joined by `tunepack merge`
// must give the folder one process writes, byte for byte, for every option a rank can run
// alone; what needs all records at once is refused; parts are complete or refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::Quote;
using testing::ReadFile;
using testing::RunAndKill;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

// Every file of a folder, hidden ones included, by relative path: two exports are the same
// only when these are equal.
std::map<std::string, std::string> FolderBytes(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), dir).string()] = ReadFile(entry.path());
  }
  return files;
}

// A mix of inputs: JSONL records (some malformed, some with PII or invalid UTF-8), CSV,
// Markdown and text documents, an empty file, in folders, of uneven sizes.
void WriteCorpus(const fs::path& in) {
  for (int f = 0; f < 9; ++f) {
    std::string jsonl;
    for (int i = 0; i < 20 + 37 * f; ++i) {
      if (i % 41 == 5) {
        jsonl += "{\"text\": \"broken " + std::to_string(i) + "\"\n";
        continue;
      }
      jsonl += "{\"text\":\"File " + std::to_string(f) + " record " + std::to_string(i) +
               ": the quick brown fox jumps over the lazy dog while the writer numbers tasks in order. "
               "Write to person" + std::to_string(i) + "@example.com for more." +
               (i % 53 == 7 ? " bad \xff byte" : "") + "\"}\n";
    }
    WriteFile(in / ("records" + std::to_string(f / 3)) / ("part" + std::to_string(f) + ".jsonl"), jsonl);
  }
  WriteFile(in / "table.csv", "text,label\n\"a row of text, quoted\",1\nsecond row here,2\n");
  WriteFile(in / "docs" / "guide.md",
            "# Guide\n\nThe first section explains queues.\n\n## Details\n\nWorkers take tasks; the writer "
            "keeps their order.\n");
  WriteFile(in / "docs" / "notes.txt", "Plain notes, one paragraph.\n\nAnd a second one.\n");
  WriteFile(in / "docs" / "empty.txt", "");
}

// Runs the export as `ranks` ranks merged into `merged`; returns the exit code of the merge.
int ShardAndMerge(const fs::path& tmp, const std::string& options, int ranks, const fs::path& merged) {
  const std::string in = Quote(tmp / "in");
  std::string parts;
  for (int rank = 0; rank < ranks; ++rank) {
    const fs::path part = tmp / ("parts-" + std::to_string(ranks)) / ("rank-" + std::to_string(rank));
    const int code = RunShell("tunepack export " + in + " -o " + Quote(part) + " " + options + " --shard " +
                              std::to_string(rank) + "/" + std::to_string(ranks) + " --progress none 2>/dev/null")
                         .exit_code;
    EXPECT_LE(code, 1) << "rank " << rank;
    parts += " " + Quote(part);
  }
  return RunShell("tunepack merge" + parts + " -o " + Quote(merged) + " 2>/dev/null").exit_code;
}

struct IdentityCase {
  std::string name;
  std::string options;
};

class ShardIdentityTest : public ::testing::TestWithParam<IdentityCase> {};

TEST_P(ShardIdentityTest, MergedPartsAreByteIdenticalToOneProcess) {
  TempDir tmp;
  WriteCorpus(tmp / "in");
  const fs::path single = tmp / "single";
  const int expected_code = RunShell("tunepack export " + Quote(tmp / "in") + " -o " + Quote(single) + " " +
                                     GetParam().options + " --progress none 2>/dev/null").exit_code;
  ASSERT_LE(expected_code, 1);
  for (int ranks : {1, 2, 3, 4}) {
    const fs::path merged = tmp / ("merged-" + std::to_string(ranks));
    EXPECT_EQ(ShardAndMerge(tmp.path(), GetParam().options, ranks, merged), expected_code) << ranks << " ranks";
    ASSERT_TRUE(fs::exists(merged / "manifest.json")) << ranks << " ranks";
    const auto expected = FolderBytes(single);
    const auto actual = FolderBytes(merged);
    ASSERT_EQ(actual.size(), expected.size()) << ranks << " ranks";
    for (const auto& [name, bytes] : expected) {
      ASSERT_TRUE(actual.count(name)) << name << " missing with " << ranks << " ranks";
      EXPECT_TRUE(actual.at(name) == bytes) << name << " differs with " << ranks << " ranks";
    }
  }
}

// One large JSON Lines file (and a document after it): the rank boundaries fall inside it,
// so the ranks read byte ranges of it. A long record straddles the middle (the boundary of
// 2 and of 4 ranks), lines end in CRLF or LF, blank lines are no records, a malformed record
// sits in the second half and the last line has no newline. Returns the malformed record's
// line number.
uint64_t WriteBigRecordFile(const fs::path& in) {
  const std::string document = "# After\n\nA document after the big file, read whole by the last rank.\n";
  std::string head, tail;
  uint64_t line = 0;
  auto record = [&](std::string& out, int i) {
    ++line;
    if (i % 53 == 0) {
      out += i % 2 ? "\r\n" : "   \n";  // blank lines: no records
      return;
    }
    out += "{\"text\":\"Record " + std::to_string(i) + ": the quick brown fox jumps over the lazy dog " +
           std::string(static_cast<size_t>(i % 37), 'z') + ".\"}" + (i % 3 ? "\n" : "\r\n");
  };
  int i = 1;
  while (head.size() < 300'000) record(head, i++);
  std::string long_record = "{\"text\":\"A long record";
  while (long_record.size() < 60'000) long_record += " over the edge of two ranges";
  long_record += "\"}\n";
  ++line;
  uint64_t malformed_line = 0;
  while (tail.size() + 40 < head.size()) {
    if (!malformed_line && tail.size() > head.size() * 2 / 3) {
      tail += "{\"text\": \"malformed in the second half\"\n";
      malformed_line = ++line;
      continue;
    }
    record(tail, i++);
  }
  tail += "{\"text\":\"the last line, without a newline\"}";
  const std::string big = head + long_record + tail;
  WriteFile(in / "big.jsonl", big);
  WriteFile(in / "z-after.md", document);
  // The middle boundary (weights: each file's bytes plus 4 KiB) falls in the long record.
  const uint64_t middle = (big.size() + document.size() + 2 * 4096 + 1) / 2 - 4096;
  EXPECT_GT(middle, head.size());
  EXPECT_LT(middle, head.size() + long_record.size());
  return malformed_line;
}

TEST_P(ShardIdentityTest, OneBigRecordFileIsReadInByteRanges) {
  TempDir tmp;
  const uint64_t malformed_line = WriteBigRecordFile(tmp / "in");
  const fs::path single = tmp / "single";
  const int expected_code = RunShell("tunepack export " + Quote(tmp / "in") + " -o " + Quote(single) + " " +
                                     GetParam().options + " --progress none 2>/dev/null").exit_code;
  ASSERT_EQ(expected_code, 1);
  // The ledger locates the malformed record in the whole file, whichever rank read it.
  EXPECT_THAT(ReadFile(single / "rejected.jsonl"), HasSubstr("\"line\":" + std::to_string(malformed_line) + ","));
  for (int ranks : {1, 2, 3, 4}) {
    const fs::path merged = tmp / ("merged-" + std::to_string(ranks));
    EXPECT_EQ(ShardAndMerge(tmp.path(), GetParam().options, ranks, merged), expected_code) << ranks << " ranks";
    EXPECT_TRUE(FolderBytes(merged) == FolderBytes(single)) << ranks << " ranks";
    if (ranks > 1) {  // the file was cut: the second rank starts inside it
      EXPECT_THAT(ReadFile(tmp / ("parts-" + std::to_string(ranks)) / "rank-1" / "tunepack-part.json"),
                  ::testing::ContainsRegex("\"inputs_begin_offset\": [1-9]"));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Options, ShardIdentityTest,
    ::testing::Values(IdentityCase{"Defaults", ""},
                      IdentityCase{"SplitsAndMetadata", "--split train=0.8,validation=0.2 --with-metadata"},
                      IdentityCase{"FilesCutAtRecordCounts",
                                   "--split train=0.7,validation=0.3 --max-records-per-file 40"},
                      IdentityCase{"TextFormatWithSeparators", "--format text --split train=0.5,test=0.5"},
                      IdentityCase{"MarkdownFormat", "--format markdown"},
                      IdentityCase{"CleaningSteps", "--redact-pii --detect-language --quality-filter "
                                                    "--quality-rule min_words=12"},
                      IdentityCase{"ChunkedWithTokenizer",
                                   "--tokenizer cl100k_base --max-tokens 16 --overlap 4 "
                                   "--max-records-per-file 100 --split train=0.9,validation=0.1"},
                      // Packing and the Parquet layout take all of a split: the merge
                      // packs and writes the shards and the card from the merged files.
                      IdentityCase{"PackedAfterTheMerge",
                                   "--tokenizer cl100k_base --max-tokens 24 --pack 64 "
                                   "--split train=0.8,validation=0.2 --max-records-per-file 30"},
                      IdentityCase{"HuggingFaceLayout", "--layout hf --split train=0.8,validation=0.2"},
                      IdentityCase{"HuggingFaceLayoutWithTokens",
                                   "--layout hf --tokenizer cl100k_base --max-tokens 32 --with-metadata"}),
    [](const ::testing::TestParamInfo<IdentityCase>& info) { return info.param.name; });

// --target llama-factory: the merged folder has the dataset_info.json entry one process
// writes (named after the output folder, so both folders have the same name), and the
// target's file checks run on the merged files, not on each part's.
TEST(ShardTargetTest, MergedExportHasTheTargetsCompanionFile) {
  TempDir tmp;
  for (int f = 0; f < 4; ++f) {
    std::string jsonl;
    for (int i = 0; i < 10 + 7 * f; ++i) {
      const std::string n = std::to_string(f) + "." + std::to_string(i);
      jsonl += R"({"messages":[{"role":"system","content":"Answer briefly."},{"role":"user","content":"Question )" + n +
               R"(?"},{"role":"assistant","content":"Answer )" + n + R"(."}]})" "\n";
    }
    WriteFile(tmp / "in" / ("conversations-" + std::to_string(f) + ".jsonl"), jsonl);
  }
  // One process's export of the corpus with `options` into `out`; its exit code.
  auto export_once = [&](const std::string& options, const fs::path& out) {
    return RunShell("tunepack export " + Quote(tmp / "in") + " -o " + Quote(out) + " " + options +
                    " --progress none 2>/dev/null")
        .exit_code;
  };
  const std::string options = "--target llama-factory --split train=0.8,validation=0.2";
  const fs::path single = tmp / "one" / "support";
  ASSERT_EQ(export_once(options, single), 0);
  ASSERT_TRUE(fs::exists(single / "dataset_info.json"));
  EXPECT_THAT(ReadFile(single / "dataset_info.json"), HasSubstr("\"support_train\""));
  for (int ranks : {2, 3}) {
    const fs::path merged = tmp / ("merged-" + std::to_string(ranks)) / "support";
    EXPECT_EQ(ShardAndMerge(tmp.path(), options, ranks, merged), 0) << ranks << " ranks";
    EXPECT_TRUE(FolderBytes(merged) == FolderBytes(single)) << ranks << " ranks";
  }
  // openai-sft's minimum of 10 examples a file: the validation file's warning counts the
  // merged file's examples, not each part's.
  const std::string sft = "--target openai-sft --split train=0.9,validation=0.1";
  const fs::path sft_single = tmp / "sft-one" / "ds";
  ASSERT_EQ(export_once(sft, sft_single), 0);
  EXPECT_THAT(ReadFile(sft_single / "manifest.json"), HasSubstr("validation.jsonl: 5 examples; openai-sft needs at least 10"));
  fs::remove_all(tmp / "parts-2");
  const fs::path sft_merged = tmp / "sft-merged" / "ds";
  EXPECT_EQ(ShardAndMerge(tmp.path(), sft, 2, sft_merged), 0);
  EXPECT_TRUE(FolderBytes(sft_merged) == FolderBytes(sft_single));
}

// Records of which many repeat exactly or with one word changed, across files.
void WriteDuplicateCorpus(const fs::path& in) {
  std::vector<std::string> bases;
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 33);
  };
  const char* words[] = {"queue", "task", "worker", "retry", "backoff", "timeout", "claim", "payload",
                         "batch", "schedule", "metrics", "alert", "operator", "index", "latency", "shard"};
  auto text = [&](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += std::string(i ? " " : "") + words[next() % 16];
    return out;
  };
  for (int i = 0; i < 40; ++i) bases.push_back(text(50));
  for (int f = 0; f < 7; ++f) {
    std::string jsonl;
    for (int i = 0; i < 30 + 11 * f; ++i) {
      const uint32_t kind = next() % 10;
      std::string record = bases[next() % bases.size()];
      if (kind >= 3 && kind < 6) {
        const size_t space = record.find(' ', next() % (record.size() - 10));
        record.insert(space, " changed");
      } else if (kind >= 6) {
        record = text(50);
      }
      jsonl += "{\"text\":\"" + record + "\"}\n";
    }
    WriteFile(in / ("f" + std::to_string(f) + ".jsonl"), jsonl);
  }
}

class StagedDedupTest : public ::testing::TestWithParam<std::string> {};

// Makes the plan of `signature_parts` with `tasks` bucket tasks (dedup-plan --bucket-shard
// J/M, in reverse order: the combine must not depend on it) and their combine, into `plan`.
void PlanByBuckets(const std::string& signature_parts, int tasks, const fs::path& buckets, const fs::path& plan) {
  for (int task = tasks - 1; task >= 0; --task) {
    ASSERT_EQ(RunShell("tunepack dedup-plan" + signature_parts + " --bucket-shard " + std::to_string(task) + "/" +
                       std::to_string(tasks) + " --buckets " + Quote(buckets) + " 2>/dev/null").exit_code, 0)
        << "task " << task << "/" << tasks;
  }
  ASSERT_EQ(RunShell("tunepack dedup-plan" + signature_parts + " --buckets " + Quote(buckets) + " -o " + Quote(plan) +
                     " 2>/dev/null").exit_code, 0) << tasks << " tasks";
}

// Signatures, the plan (one process, or 1, 2 or 3 bucket tasks and their combine: the same
// bytes), the filter pass, the merge: the same records dropped with the same "duplicate of"
// in the ledger as one process, at any number of ranks.
TEST_P(StagedDedupTest, MergedPartsAreByteIdenticalToOneProcess) {
  TempDir tmp;
  WriteDuplicateCorpus(tmp / "in");
  const std::string in = Quote(tmp / "in");
  const std::string options = "--dedup " + GetParam() + " --split train=0.8,validation=0.2 --progress none";
  const fs::path single = tmp / "single";
  ASSERT_EQ(RunShell("tunepack export " + in + " -o " + Quote(single) + " " + options + " 2>/dev/null").exit_code, 0);
  ASSERT_THAT(ReadFile(single / "rejected.jsonl"), HasSubstr("duplicate"));
  for (int ranks : {1, 2, 3, 4}) {
    const fs::path run = tmp / ("run-" + std::to_string(ranks));
    std::string signature_parts, parts;
    for (int rank = 0; rank < ranks; ++rank) {
      const std::string shard = " --shard " + std::to_string(rank) + "/" + std::to_string(ranks);
      const fs::path signatures = run / "signatures" / std::to_string(rank);
      ASSERT_EQ(RunShell("tunepack export " + in + " -o " + Quote(signatures) + " " + options + shard + " 2>/dev/null")
                    .exit_code, 0);
      signature_parts += " " + Quote(signatures);
    }
    ASSERT_EQ(RunShell("tunepack dedup-plan" + signature_parts + " -o " + Quote(run / "plan.jsonl") + " 2>/dev/null")
                  .exit_code, 0);
    const std::string one_process_plan = ReadFile(run / "plan.jsonl");
    for (int tasks : {1, 2, 3}) {
      const fs::path plan = run / ("plan-" + std::to_string(tasks) + "-tasks.jsonl");
      PlanByBuckets(signature_parts, tasks, run / ("buckets-" + std::to_string(tasks)), plan);
      EXPECT_TRUE(ReadFile(plan) == one_process_plan) << ranks << " ranks, " << tasks << " bucket tasks";
    }
    // The filter takes a plan of bucket tasks (each task count in turn over the rank counts).
    const fs::path plan = run / ("plan-" + std::to_string(1 + ranks % 3) + "-tasks.jsonl");
    for (int rank = 0; rank < ranks; ++rank) {
      const std::string shard = " --shard " + std::to_string(rank) + "/" + std::to_string(ranks);
      const fs::path part = run / "parts" / std::to_string(rank);
      ASSERT_EQ(RunShell("tunepack export " + in + " -o " + Quote(part) + " " + options + shard + " --dedup-plan " +
                         Quote(plan) + " 2>/dev/null").exit_code, 0);
      parts += " " + Quote(part);
    }
    ASSERT_EQ(RunShell("tunepack merge" + parts + " -o " + Quote(run / "merged") + " 2>/dev/null").exit_code, 0);
    EXPECT_TRUE(FolderBytes(run / "merged") == FolderBytes(single)) << ranks << " ranks";
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, StagedDedupTest,
                         ::testing::Values("exact", "near", "both", "near --dedup-threshold 0.5"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (const char c : info.param) {
                             if (std::isalnum(static_cast<unsigned char>(c))) name += c;
                           }
                           return name;
                         });

TEST(ShardTest, StagedDedupRefusesMixedStagesAndOtherRunsPlans) {
  TempDir tmp;
  WriteDuplicateCorpus(tmp / "in");
  const std::string in = Quote(tmp / "in");
  auto run = [&](const std::string& args) { return RunShell("tunepack export " + in + " --progress none " + args + " 2>&1"); };
  ASSERT_EQ(run("--dedup near --shard 0/2 -o " + Quote(tmp / "s0")).exit_code, 0);
  ASSERT_EQ(run("--dedup near --shard 1/2 -o " + Quote(tmp / "s1")).exit_code, 0);
  // Signature parts are not an export: the merge says what to do instead.
  auto merge = RunShell("tunepack merge " + Quote(tmp / "s0") + " " + Quote(tmp / "s1") + " -o " +
                        Quote(tmp / "m") + " 2>&1");
  EXPECT_EQ(merge.exit_code, 2);
  EXPECT_THAT(merge.out, HasSubstr("run `tunepack dedup-plan`"));
  ASSERT_EQ(RunShell("tunepack dedup-plan " + Quote(tmp / "s0") + " " + Quote(tmp / "s1") + " -o " +
                     Quote(tmp / "plan.jsonl") + " 2>/dev/null").exit_code, 0);
  // A plan is for the options it was made under.
  auto other = run("--dedup near --dedup-threshold 0.7 --shard 0/2 --dedup-plan " + Quote(tmp / "plan.jsonl") +
                   " -o " + Quote(tmp / "p0"));
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.out, HasSubstr("dedup plan of another run"));
  auto no_shard = run("--dedup near --dedup-plan " + Quote(tmp / "plan.jsonl") + " -o " + Quote(tmp / "p1"));
  EXPECT_EQ(no_shard.exit_code, 2);
  EXPECT_THAT(no_shard.out, HasSubstr("--shard"));
  // dedup-plan never replaces a file that is not a plan.
  WriteFile(tmp / "mine.txt", "mine");
  auto foreign = RunShell("tunepack dedup-plan " + Quote(tmp / "s0") + " " + Quote(tmp / "s1") + " -o " +
                          Quote(tmp / "mine.txt") + " --overwrite 2>&1");
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_EQ(ReadFile(tmp / "mine.txt"), "mine");
}

// A bucket task's file is its completion marker: a rerun skips it, the combine refuses a
// missing task or the file of other signatures, and no file tunepack did not write is replaced.
TEST(ShardTest, BucketTasksSkipWhenCompleteAndTheCombineRefusesStaleOrMissingOnes) {
  TempDir tmp;
  WriteDuplicateCorpus(tmp / "in");
  const std::string in = Quote(tmp / "in");
  auto sign = [&](const std::string& options, const fs::path& dir, int rank) {
    return RunShell("tunepack export " + in + " --progress none --dedup " + options + " --shard " +
                    std::to_string(rank) + "/2 -o " + Quote(dir) + " 2>&1").exit_code;
  };
  for (int rank : {0, 1}) {
    ASSERT_EQ(sign("near", tmp / "s" / std::to_string(rank), rank), 0);
    ASSERT_EQ(sign("near --dedup-threshold 0.7", tmp / "t" / std::to_string(rank), rank), 0);
  }
  const std::string parts = " " + Quote(tmp / "s" / "0") + " " + Quote(tmp / "s" / "1");
  const std::string other_parts = " " + Quote(tmp / "t" / "0") + " " + Quote(tmp / "t" / "1");
  const std::string buckets = Quote(tmp / "buckets");
  auto plan = [&](const std::string& args) { return RunShell("tunepack dedup-plan" + args + " 2>&1"); };

  auto first = plan(parts + " --bucket-shard 0/2 --buckets " + buckets);
  ASSERT_EQ(first.exit_code, 0) << first.out;
  EXPECT_THAT(first.out, HasSubstr("bucket task 0/2: "));
  const fs::path file = tmp / "buckets" / "dedup-buckets-00000-of-00002.bin";
  const auto written = fs::last_write_time(file);
  auto again = plan(parts + " --bucket-shard 0/2 --buckets " + buckets);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.out, HasSubstr("already complete"));
  EXPECT_EQ(fs::last_write_time(file), written);

  auto missing = plan(parts + " --buckets " + buckets + " -o " + Quote(tmp / "plan.jsonl"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.out, HasSubstr("bucket task 1/2 has not finished"));
  EXPECT_FALSE(fs::exists(tmp / "plan.jsonl"));

  // Task 1 of other signatures: refused by the combine, and replaced only with --overwrite.
  ASSERT_EQ(plan(other_parts + " --bucket-shard 1/2 --buckets " + buckets).exit_code, 0);
  auto stale = plan(parts + " --buckets " + buckets + " -o " + Quote(tmp / "plan.jsonl"));
  EXPECT_EQ(stale.exit_code, 2);
  EXPECT_THAT(stale.out, HasSubstr("was made from other signatures"));
  auto kept = plan(parts + " --bucket-shard 1/2 --buckets " + buckets);
  EXPECT_EQ(kept.exit_code, 2);
  EXPECT_THAT(kept.out, HasSubstr("--overwrite"));
  ASSERT_EQ(plan(parts + " --bucket-shard 1/2 --buckets " + buckets + " --overwrite").exit_code, 0);
  ASSERT_EQ(plan(parts + " --buckets " + buckets + " -o " + Quote(tmp / "plan.jsonl")).exit_code, 0);
  ASSERT_EQ(plan(parts + " -o " + Quote(tmp / "one-process.jsonl")).exit_code, 0);
  EXPECT_TRUE(ReadFile(tmp / "plan.jsonl") == ReadFile(tmp / "one-process.jsonl"));

  // A damaged (cut) bucket file is refused, not read as fewer pairs.
  const std::string whole = ReadFile(file);
  WriteFile(file, whole.substr(0, whole.size() - 1));
  auto cut = plan(parts + " --buckets " + buckets + " -o " + Quote(tmp / "plan.jsonl") + " --overwrite");
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_THAT(cut.out, HasSubstr("not a complete tunepack bucket file"));
  WriteFile(file, whole);

  // Headers altered to fewer ranks, or to counts the pairs do not fit (same sizes, so only
  // the combine's checks can tell): refused with a reason, never a crash.
  const fs::path other_file = tmp / "buckets" / "dedup-buckets-00001-of-00002.bin";
  const std::string other_whole = ReadFile(other_file);
  auto with_counts = [&](const std::string& text, const std::string& counts) {
    const size_t start = text.find("\"examples\":[") + 12;
    const size_t end = text.find(']', start);
    std::string padded = counts;
    padded.resize(end - start, ' ');  // JSON white space keeps the file's size
    return text.substr(0, start) + padded + text.substr(end);
  };
  for (const std::string& counts : {std::string(""), std::string("0,0")}) {
    WriteFile(file, with_counts(whole, counts));
    WriteFile(other_file, with_counts(other_whole, counts));
    auto altered = plan(parts + " --buckets " + buckets + " -o " + Quote(tmp / "plan.jsonl") + " --overwrite");
    EXPECT_EQ(altered.exit_code, 2) << counts << ": " << altered.out;
    EXPECT_THAT(altered.out, HasSubstr("run the bucket tasks again")) << counts;
  }
  WriteFile(file, whole);
  WriteFile(other_file, other_whole);

  // Tasks of another count in the same folder: the combine does not guess which are current.
  ASSERT_EQ(plan(parts + " --bucket-shard 0/1 --buckets " + buckets).exit_code, 0);
  auto mixed = plan(parts + " --buckets " + buckets + " -o " + Quote(tmp / "plan.jsonl") + " --overwrite");
  EXPECT_EQ(mixed.exit_code, 2);
  EXPECT_THAT(mixed.out, HasSubstr("holds the bucket files of 1 and of 2 tasks"));

  // Never a file tunepack did not write; the options say what is wrong.
  WriteFile(tmp / "mine" / "dedup-buckets-00000-of-00001.bin", "mine");
  auto foreign = plan(parts + " --bucket-shard 0/1 --buckets " + Quote(tmp / "mine") + " --overwrite");
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_EQ(ReadFile(tmp / "mine" / "dedup-buckets-00000-of-00001.bin"), "mine");
  auto bad = plan(parts + " --bucket-shard 2/2 --buckets " + buckets);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.out, HasSubstr("--bucket-shard 2/2"));
  auto both = plan(parts + " --bucket-shard 0/2 --buckets " + buckets + " -o " + Quote(tmp / "p.jsonl"));
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.out, HasSubstr("writes no plan"));
}

TEST(ShardTest, OptionsThatNeedEveryRecordAreRefused) {
  TempDir tmp;
  WriteCorpus(tmp / "in");
  const std::string base = "tunepack export " + Quote(tmp / "in") + " -o " + Quote(tmp / "p") + " --shard 0/2 ";
  for (const std::string& options : {std::string("--format text --max-records-per-file 5")}) {
    auto result = RunShell(base + options + " 2>&1");
    EXPECT_EQ(result.exit_code, 2) << options;
    EXPECT_THAT(result.out, HasSubstr("--shard cannot be combined with")) << options;
  }
  EXPECT_FALSE(fs::exists(tmp / "p"));
  for (const char* bad : {"2/2", "1", "a/3", "0/0", "-1/2"}) {
    auto result = RunShell(base.substr(0, base.find("--shard")) + "--shard " + bad + " 2>&1");
    EXPECT_EQ(result.exit_code, 2) << bad;
    EXPECT_THAT(result.out, HasSubstr("--shard")) << bad;
  }
}

TEST(ShardTest, ACompleteRankDoesNothingAndAKilledRankResumes) {
  TempDir tmp;
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "{\"text\":\"record " + std::to_string(i) + " of a long file\"}\n";
  // The boundary of 2 ranks falls inside a.jsonl: rank 1 resumes inside a byte range.
  WriteFile(tmp / "in" / "a.jsonl", big);
  WriteFile(tmp / "in" / "b.jsonl", big.substr(0, big.find("{\"text\":\"record 100000 ")));
  const std::string in = Quote(tmp / "in");
  const fs::path single = tmp / "single";
  ASSERT_EQ(RunShell("tunepack export " + in + " -o " + Quote(single) + " --progress none -j 2").exit_code, 0);

  const std::string bin = Quote(fs::path(TP_BINARY));
  std::string parts;
  for (int rank = 0; rank < 2; ++rank) {
    const fs::path part = tmp / ("rank-" + std::to_string(rank));
    const std::string command = "TUNEPACK_CHECKPOINT_EVERY_BATCH=1 " + bin + " export " + in + " -o " +
                                Quote(part) + " --shard " + std::to_string(rank) + "/2 --progress none -j 2";
    // Killed mid-run: a loaded machine needs a late kill, an idle one an early kill, so
    // shorter delays are tried until the rank has started but not finished.
    bool interrupted = false;
    for (int delay_ms : {300, 120, 50, 20, 8, 3}) {
      fs::remove_all(part);
      RunAndKill(command + " 2>/dev/null", std::chrono::milliseconds(delay_ms));
      interrupted = fs::exists(part) && !fs::exists(part / "tunepack-part.json");
      if (interrupted) break;
    }
    ASSERT_TRUE(interrupted) << "no kill landed between the rank's start and its end";
    // Merging an unfinished part is refused.
    auto early = RunShell("tunepack merge " + Quote(part) + " -o " + Quote(tmp / "early") + " 2>&1");
    EXPECT_EQ(early.exit_code, 2);
    EXPECT_THAT(early.out, HasSubstr("has no tunepack-part.json"));
    ASSERT_EQ(RunShell(command + " --resume 2>/dev/null").exit_code, 0);
    ASSERT_TRUE(fs::exists(part / "tunepack-part.json"));
    if (rank == 1) {
      EXPECT_THAT(ReadFile(part / "tunepack-part.json"), ::testing::ContainsRegex("\"inputs_begin_offset\": [1-9]"));
    }
    // A rerun of a complete rank touches nothing.
    const auto before = FolderBytes(part);
    const auto modified = fs::last_write_time(part / "train.jsonl");
    auto again = RunShell(command + " --resume 2>&1");
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_THAT(again.out, HasSubstr("already complete"));
    EXPECT_TRUE(FolderBytes(part) == before);
    EXPECT_EQ(fs::last_write_time(part / "train.jsonl"), modified);
    parts += " " + Quote(part);
  }
  ASSERT_EQ(RunShell("tunepack merge" + parts + " -o " + Quote(tmp / "merged")).exit_code, 0);
  EXPECT_TRUE(FolderBytes(tmp / "merged") == FolderBytes(single));
}

TEST(ShardTest, MergeRefusesPartsThatDoNotMakeOneExport) {
  TempDir tmp;
  WriteCorpus(tmp / "in");
  const std::string in = Quote(tmp / "in");
  auto rank = [&](const std::string& name, const std::string& shard, const std::string& options) {
    RunShell("tunepack export " + in + " -o " + Quote(tmp / name) + " --shard " + shard + " " + options +
             " --progress none 2>/dev/null");
  };
  rank("a0", "0/2", "");
  rank("a1", "1/2", "");
  rank("b1", "1/2", "--with-metadata");
  rank("c1", "1/3", "");
  auto merge = [&](const std::string& parts, const std::string& out) {
    return RunShell("tunepack merge " + parts + " -o " + Quote(tmp / out) + " 2>&1");
  };
  const std::string a0 = Quote(tmp / "a0"), a1 = Quote(tmp / "a1");
  auto other_options = merge(a0 + " " + Quote(tmp / "b1"), "m1");
  EXPECT_EQ(other_options.exit_code, 2);
  EXPECT_THAT(other_options.out, HasSubstr("other options"));
  auto other_count = merge(a0 + " " + Quote(tmp / "c1"), "m2");
  EXPECT_EQ(other_count.exit_code, 2);
  EXPECT_THAT(other_count.out, HasSubstr("parts of different exports"));
  auto missing = merge(a1, "m3");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.out, HasSubstr("1 of 2 ranks missing (0)"));
  // A data file edited after its rank finished.
  fs::copy(tmp / "a1", tmp / "edited");
  WriteFile(tmp / "edited" / "train.jsonl", ReadFile(tmp / "a1" / "train.jsonl") + "{\"text\":\"added\"}\n");
  auto edited = merge(a0 + " " + Quote(tmp / "edited"), "m4");
  EXPECT_EQ(edited.exit_code, 2);
  EXPECT_THAT(edited.out, HasSubstr("differs from what its part's manifest.json lists"));
  // The user's files are never replaced, --overwrite or not.
  WriteFile(tmp / "mine" / "notes.txt", "mine");
  auto foreign = RunShell("tunepack merge " + a0 + " " + a1 + " -o " + Quote(tmp / "mine") + " --overwrite 2>&1");
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_THAT(foreign.out, HasSubstr("files tunepack did not write"));
  EXPECT_EQ(ReadFile(tmp / "mine" / "notes.txt"), "mine");
  // Nor is a part folder merged into itself.
  auto into_part = RunShell("tunepack merge " + a0 + " " + a1 + " -o " + a0 + " --overwrite 2>&1");
  EXPECT_EQ(into_part.exit_code, 2);
  EXPECT_THAT(into_part.out, HasSubstr("overlap"));
  // A second merge into a merged folder needs --overwrite, then gives the same bytes.
  ASSERT_LE(merge(a0 + " " + a1, "ok").exit_code, 1);
  const auto first = FolderBytes(tmp / "ok");
  EXPECT_EQ(merge(a1 + " " + a0, "ok").exit_code, 2);
  EXPECT_LE(RunShell("tunepack merge " + a1 + " " + a0 + " -o " + Quote(tmp / "ok") + " --overwrite 2>/dev/null")
                .exit_code, 1);
  EXPECT_TRUE(FolderBytes(tmp / "ok") == first);
}

}  // namespace
}  // namespace tunepack
