// End-to-end tests of `tunepack export` and `tunepack convert`: the real binary on real
// files, checking the ledger invariant, determinism across thread counts, and
// kill-and-resume.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::JsonLines;
using testing::Quote;
using testing::ReadFile;
using testing::RunAndKill;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

nlohmann::json Manifest(const fs::path& dir) {
  return nlohmann::json::parse(ReadFile(dir / "manifest.json"));
}

// A ShareGPT file of `n` conversations, some of them lossy for alpaca, some malformed.
std::string ShareGptCorpus(int n, bool with_errors) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (with_errors && i % 89 == 7) {  // an exact duplicate of an earlier record
      const int earlier = i / 2;
      out += "{\"conversations\":[{\"from\":\"human\",\"value\":\"Question number " + std::to_string(earlier) +
             ": how do queues work?\"},{\"from\":\"gpt\",\"value\":\"Answer " + std::to_string(earlier) +
             " \\u00e9t\\u00e9: they hold tasks.\"}]}\n";
      continue;
    }
    if (with_errors && i % 97 == 13) {
      out += "{\"conversations\": [{\"from\": \"human\", \"value\": \"broken " + std::to_string(i) + "\"}\n";
      continue;
    }
    out += "{\"conversations\":[{\"from\":\"human\",\"value\":\"Question number " + std::to_string(i) +
           ": how do queues work?\"},{\"from\":\"gpt\",\"value\":\"Answer " + std::to_string(i) +
           " \\u00e9t\\u00e9: they hold tasks.\"}]}\n";
  }
  return out;
}

TEST(ExportTest, EveryInputIsWrittenOrRejectedWithAReason) {
  TempDir tmp;
  const fs::path in = tmp / "in";
  WriteFile(in / "good.jsonl",
            "{\"text\":\"first document\"}\n"
            "\n"
            "{\"text\": \"second\" \"oops\": 1}\n"          // line 3: malformed, column 19
            "{\"text\":\"bad utf8 \xff here\"}\n"           // line 4: invalid UTF-8 (replaced)
            "[1,2]\n"                                     // line 5: not an object
            "{\"text\":\"" + std::string(3000, 'x') + "\"}\n"  // line 6: too large
            "{\"text\":\"last\"}\n");
  WriteFile(in / "empty.txt", "");
  WriteFile(in / "blob.bin", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16) + std::string(200, '\0'));
  WriteFile(in / "notes.md", "# Notes\n\nSome *markdown* text.\n");
  const fs::path out = tmp / "out";
  auto result = RunShell("tunepack export " + Quote(in) + " -o " + Quote(out) +
                         " --format jsonl --max-record-bytes 2000 --progress none 2>/dev/null");
  EXPECT_EQ(result.exit_code, 1);  // finished, with rejections

  nlohmann::json manifest = Manifest(out);
  const auto& counts = manifest["counts"];
  EXPECT_EQ(counts["inputs"].get<int>(), counts["written"].get<int>() + counts["rejected"].get<int>());
  EXPECT_EQ(counts["written"].get<int>(), 4);  // first, bad utf8 (repaired), last, notes.md
  EXPECT_EQ(counts["invalid_utf8_sequences"].get<int>(), 1);
  std::vector<nlohmann::json> rejected = JsonLines(out / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), counts["rejected"].get<size_t>());
  std::map<std::string, nlohmann::json> by_reason;
  for (const auto& r : rejected) by_reason[r["reason"].get<std::string>()] = r;
  ASSERT_TRUE(by_reason.count("malformed_json"));
  EXPECT_EQ(by_reason["malformed_json"]["line"], 3);
  EXPECT_EQ(by_reason["malformed_json"]["column"], 19);
  EXPECT_THAT(by_reason["malformed_json"]["source"].get<std::string>(), HasSubstr("good.jsonl"));
  EXPECT_TRUE(by_reason.count("not_an_object"));
  ASSERT_TRUE(by_reason.count("too_large"));
  EXPECT_EQ(by_reason["too_large"]["line"], 6);
  EXPECT_TRUE(by_reason.count("empty_file"));
  EXPECT_TRUE(by_reason.count("binary_file"));
  std::string data = ReadFile(out / "train.jsonl");
  EXPECT_THAT(data, HasSubstr("bad utf8 \xEF\xBF\xBD here"));
  EXPECT_THAT(data, HasSubstr("# Notes"));
  for (const auto& input : manifest["inputs"]) {
    EXPECT_EQ(input["units"].get<int>(), input["written"].get<int>() + input["rejected"].get<int>());
    EXPECT_EQ(input["xxh3_128"].get<std::string>().size(), 32u);
  }
}

TEST(ExportTest, StrictStopsAtTheFirstRejection) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"text\":\"ok\"}\n{bad\n{\"text\":\"never\"}\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                         " --strict --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, HasSubstr("in.jsonl:2:2: malformed_json"));
}

TEST(ExportTest, FailPolicyRejectsInvalidUtf8WithPosition) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"text\":\"ok\"}\n{\"text\":\"ab\xc3\"}\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                         " --on-invalid-utf8 fail --progress none 2>/dev/null");
  EXPECT_EQ(result.exit_code, 1);
  auto rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "invalid_utf8");
  EXPECT_EQ(rejected[0]["line"], 2);
  EXPECT_EQ(rejected[0]["column"], 12);
}

TEST(ExportTest, ChatFormatFromDocumentsIsRefusedWithAHint) {
  TempDir tmp;
  WriteFile(tmp / "doc.md", "# Title\n\nBody.\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "doc.md") + " -o " + Quote(tmp / "out") +
                         " --format openai --progress none 2>/dev/null");
  EXPECT_EQ(result.exit_code, 1);
  auto rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "not_a_conversation");
  EXPECT_THAT(rejected[0]["detail"].get<std::string>(), HasSubstr("--format jsonl"));
}

TEST(ExportTest, ReadsStandardInputAndRefusesToOverwriteSilently) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"q\":\"2+2?\",\"a\":\"4\"}\n");
  const std::string base = "tunepack export - -o " + Quote(tmp / "out") +
                           " --format openai --map user=q --map assistant=a --progress none";
  auto first = RunShell(base + " < " + Quote(tmp / "in.jsonl"));
  EXPECT_EQ(first.exit_code, 0);
  EXPECT_EQ(ReadFile(tmp / "out" / "train.jsonl"),
            "{\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"}]}\n");
  auto again = RunShell(base + " < " + Quote(tmp / "in.jsonl") + " 2>&1");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.out, HasSubstr("--overwrite"));
}

std::map<std::string, std::string> FolderBytes(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files[entry.path().filename().string()] = ReadFile(entry.path());
  }
  return files;
}

// A template mapping ShareGPT records to openai messages, as `export --template` renders it.
constexpr char kShareGptTemplate[] =
    "{\"messages\": [{% for turn in conversations %}"
    "{\"role\": {{ {'human': 'user', 'gpt': 'assistant'}[turn.from]|tojson }}, "
    "\"content\": {{ turn.value|tojson }}}{% if not loop.last %}, {% endif %}{% endfor %}]}\n";

// The same records through `convert` and through `export --template`: both must write the
// same bytes at any thread count.
class ThreadCountTest : public ::testing::TestWithParam<bool> {};

TEST_P(ThreadCountTest, OutputIsByteIdenticalAtAnyThreadCount) {
  const bool with_template = GetParam();
  TempDir tmp;
  WriteFile(tmp / "in.sharegpt.jsonl", ShareGptCorpus(30000, true));
  WriteFile(tmp / "sharegpt.jinja", kShareGptTemplate);
  const std::string command =
      with_template ? "tunepack export --template " + Quote(tmp / "sharegpt.jinja") + " --format openai"
                    : "tunepack convert --to openai";
  std::map<std::string, std::string> reference;
  for (int jobs : {1, 2, 5}) {
    const fs::path out = tmp / ("out" + std::to_string(jobs));
    auto result = RunShell(command + " " + Quote(tmp / "in.sharegpt.jsonl") + " -o " +
                           Quote(out) + " --split train=0.9,validation=0.1 --max-records-per-file 7000 -j " +
                           std::to_string(jobs) + " --progress none 2>/dev/null");
    ASSERT_EQ(result.exit_code, 1);
    auto files = FolderBytes(out);
    if (reference.empty()) {
      reference = files;
      EXPECT_TRUE(files.count("train-00003.jsonl"));
      EXPECT_TRUE(files.count("validation-00000.jsonl"));
    } else {
      EXPECT_TRUE(files == reference) << "jobs=" << jobs;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Mapping, ThreadCountTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "template" : "convert"; });

TEST(ExportTest, DedupKeepsTheFirstAndNamesItForEachDuplicate) {
  TempDir tmp;
  const std::string fox = "The quick brown fox jumps over the lazy dog near the river bank today";
  WriteFile(tmp / "in.jsonl",
            "{\"text\":\"" + fox + ".\"}\n"
            "{\"text\":\"Something else entirely, about queues and workers and retries.\"}\n"
            "{\"text\":\"" + fox + ".\"}\n"
            "{\"text\":\"" + fox + "!\"}\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                         " --dedup both --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 0);  // dropping duplicates is what --dedup asked for
  EXPECT_THAT(result.out, HasSubstr("near dedup used LSH b="));
  auto rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0]["reason"], "duplicate");
  EXPECT_EQ(rejected[0]["line"], 3);
  EXPECT_THAT(rejected[0]["detail"].get<std::string>(), HasSubstr("in.jsonl record 0"));
  EXPECT_EQ(rejected[1]["reason"], "near_duplicate");
  EXPECT_EQ(rejected[1]["line"], 4);
  EXPECT_THAT(Manifest(tmp / "out")["near_dedup_lsh"].get<std::string>(), HasSubstr("b="));
}

TEST(ExportTest, QualityFilterRejectsShortDocumentsWithTheRuleName) {
  TempDir tmp;
  WriteFile(tmp / "short.txt", "Too short to be a document.\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "short.txt") + " -o " + Quote(tmp / "out") +
                         " --quality-filter --progress none 2>/dev/null");
  EXPECT_EQ(result.exit_code, 0);  // a filter the user asked for is not a failure
  auto rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "low_quality");
  EXPECT_THAT(rejected[0]["detail"].get<std::string>(), HasSubstr("min_words"));
  auto relaxed = RunShell("tunepack export " + Quote(tmp / "short.txt") + " -o " + Quote(tmp / "out2") +
                          // A short text is its own top n-gram (datatrove scores one seen once).
                          " --quality-rule min_words=3 --quality-rule max_top_2gram_chars=-1"
                          " --quality-rule max_top_3gram_chars=-1 --quality-rule max_top_4gram_chars=-1"
                          " --with-metadata --progress none 2>/dev/null");
  EXPECT_EQ(relaxed.exit_code, 0);
  EXPECT_THAT(ReadFile(tmp / "out2" / "train.jsonl"), HasSubstr("\"quality\":{"));
}

// KillResumeCase: the command and extra flags of one kill-and-resume run.
struct KillResumeCase {
  std::string name;
  bool with_template = false;  ///< export --template instead of convert
  std::string extra;           ///< e.g. "--dedup both"
  int records = 400000;        ///< records in the two input files together
};

// Names the case in test listings (ctest would otherwise print the struct's bytes).
void PrintTo(const KillResumeCase& c, std::ostream* os) { *os << c.name; }

class KillResumeTest : public ::testing::TestWithParam<KillResumeCase> {};

TEST_P(KillResumeTest, KilledAtRandomMomentsAndResumedGivesIdenticalOutput) {
  TempDir tmp;
  // Large enough (about 60 MB without a template, which renders records slower) that a run
  // takes most of a second, so kills land mid-run.
  WriteFile(tmp / "a.sharegpt.jsonl", ShareGptCorpus(GetParam().records * 3 / 5, true));
  WriteFile(tmp / "b.sharegpt.jsonl", ShareGptCorpus(GetParam().records * 2 / 5, false));
  WriteFile(tmp / "sharegpt.jinja", kShareGptTemplate);
  const std::string bin_dir = fs::path(TP_BINARY).parent_path().string();
  const std::string verb = GetParam().with_template
                               ? "export --template " + Quote(tmp / "sharegpt.jinja") + " --format openai"
                               : "convert --to openai";
  const std::string args = " --split train=0.8,validation=0.2 --max-records-per-file 9000"
                           " --progress none -j 2 " + GetParam().extra + " ";
  const std::string inputs = Quote(tmp / "a.sharegpt.jsonl") + " " + Quote(tmp / "b.sharegpt.jsonl");
  const fs::path reference = tmp / "reference";
  ASSERT_EQ(RunShell("tunepack " + verb + " " + inputs + " -o " + Quote(reference) + args + "2>/dev/null").exit_code, 1);
  const auto expected = FolderBytes(reference);

  std::mt19937 random(20261125);
  std::uniform_int_distribution<int> delay_ms(5, 500);
  int interrupted = 0;
  for (int attempt = 0; attempt < 6; ++attempt) {
    const fs::path out = tmp / ("run" + std::to_string(attempt));
    const std::string command = "TUNEPACK_CHECKPOINT_EVERY_BATCH=1 '" + bin_dir + "/tunepack' " + verb + " " +
                                inputs + " -o " + Quote(out) + args;
    RunAndKill(command + " 2>/dev/null", std::chrono::milliseconds(delay_ms(random)));
    if (!fs::exists(out / "manifest.json")) ++interrupted;
    // A second interruption, this time of the resumed run.
    RunAndKill(command + " --resume 2>/dev/null", std::chrono::milliseconds(delay_ms(random)));
    auto finished = RunShell(command + " --resume 2>/dev/null");
    ASSERT_EQ(finished.exit_code, 1) << "attempt " << attempt;
    EXPECT_TRUE(FolderBytes(out) == expected) << "attempt " << attempt;
  }
  // The test means something only if most kills hit a running export.
  EXPECT_GE(interrupted, 4);
}

TEST(ExportTest, ResumeRefusesAnEditedTemplate) {
  TempDir tmp;
  WriteFile(tmp / "a.sharegpt.jsonl", ShareGptCorpus(240000, false));
  WriteFile(tmp / "sharegpt.jinja", kShareGptTemplate);
  const std::string bin_dir = fs::path(TP_BINARY).parent_path().string();
  const std::string command = "TUNEPACK_CHECKPOINT_EVERY_BATCH=1 '" + bin_dir + "/tunepack' export " +
                              Quote(tmp / "a.sharegpt.jsonl") + " --template " + Quote(tmp / "sharegpt.jinja") +
                              " --format openai --progress none -j 2 -o " + Quote(tmp / "out");
  if (!testing::InterruptAfterACheckpoint(command, tmp / "out")) GTEST_SKIP() << "no kill landed while the export ran";
  // The same template with a different meaning must not continue the old output.
  WriteFile(tmp / "sharegpt.jinja", std::string(kShareGptTemplate) + "{# edited #}");
  auto refused = RunShell(command + " --resume 2>&1");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.out, HasSubstr("other options"));
  WriteFile(tmp / "sharegpt.jinja", kShareGptTemplate);
  EXPECT_EQ(RunShell(command + " --resume 2>&1").exit_code, 0);
}

// Without dedup, and with it: a resumed dedup run must rebuild the dedupers' state from the
// records written before the interruption. With a template: records are mapped in the
// worker threads by one shared parsed template.
INSTANTIATE_TEST_SUITE_P(Runs, KillResumeTest,
                         ::testing::Values(KillResumeCase{"off", false, ""},
                                           KillResumeCase{"both", false, "--dedup both"},
                                           KillResumeCase{"template", true, "", 150000}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace tunepack
