// End-to-end tests of chunking inside `tunepack export` (--tokenizer/--max-tokens): every
// chunk fits the budget under the same tokenizer, units are counted once however many
// chunks they make, and the output does not depend on the thread count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
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
using testing::RunShell;
using testing::TempDir;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

const fs::path kDocs = fs::path(TP_SOURCE_DIR) / "examples" / "docs";

TEST(ExportChunkTest, EveryChunkFitsTheBudgetAndUnitsAreCountedOnce) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  auto result = RunShell("tunepack export " + Quote(kDocs) + " -o " + Quote(out) +
                         " --format jsonl --tokenizer cl100k_base --max-tokens 48 --overlap 8"
                         " --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr(" chunks"));

  const std::string data = ReadFile(out / "train.jsonl");
  const std::vector<std::string> records = Lines(data);
  // Count each chunk's tokens with the same tokenizer through `tunepack tokenize`.
  auto ids = RunShell("tunepack tokenize --tokenizer cl100k_base < " + Quote(out / "train.jsonl"));
  ASSERT_EQ(ids.exit_code, 0);
  const std::vector<std::string> id_lines = Lines(ids.out);
  ASSERT_EQ(id_lines.size(), records.size());
  for (size_t i = 0; i < id_lines.size(); ++i) {
    const size_t tokens = nlohmann::json::parse(id_lines[i]).size();
    EXPECT_GE(tokens, 1u) << records[i];
    EXPECT_LE(tokens, 48u) << records[i];
  }

  const auto manifest = nlohmann::json::parse(ReadFile(out / "manifest.json"));
  const auto& counts = manifest.at("counts");
  const uint64_t inputs = counts.at("inputs").get<uint64_t>();
  EXPECT_EQ(inputs, 4u);  // the four bundled documents
  EXPECT_EQ(counts.at("written").get<uint64_t>() + counts.at("rejected").get<uint64_t>(), inputs);
  EXPECT_EQ(counts.at("examples_written").get<uint64_t>(), records.size());
  EXPECT_GT(records.size(), inputs) << "the documents are longer than 48 tokens";
}

TEST(ExportChunkTest, ChunkedOutputIsByteIdenticalAtAnyThreadCount) {
  TempDir tmp;
  std::string first;
  for (const char* jobs : {"1", "2", "4"}) {
    const fs::path out = tmp / (std::string("out") + jobs);
    auto result = RunShell("tunepack export " + Quote(kDocs) + " -o " + Quote(out) +
                           " --format jsonl --tokenizer o200k_base --max-tokens 40 --overlap 0.25"
                           " --heading-context --jobs " + jobs + " --progress none 2>/dev/null");
    ASSERT_EQ(result.exit_code, 0);
    const std::string data = ReadFile(out / "train.jsonl");
    if (first.empty()) {
      first = data;
      EXPECT_FALSE(first.empty());
    } else {
      EXPECT_EQ(data, first) << "--jobs " << jobs;
    }
  }
}

TEST(ExportChunkTest, ChunkOptionsWithoutMaxTokensAreAUsageError) {
  TempDir tmp;
  auto no_tokenizer = RunShell("tunepack export " + Quote(kDocs) + " -o " + Quote(tmp / "a") +
                               " --max-tokens 40 2>&1");
  EXPECT_EQ(no_tokenizer.exit_code, 2);
  EXPECT_THAT(no_tokenizer.out, HasSubstr("--max-tokens needs --tokenizer"));
  auto overlap_alone = RunShell("tunepack export " + Quote(kDocs) + " -o " + Quote(tmp / "c") +
                                " --overlap 4 2>&1");
  EXPECT_EQ(overlap_alone.exit_code, 2);
  EXPECT_THAT(overlap_alone.out, HasSubstr("give --max-tokens as well"));
}

TEST(ExportChunkTest, PackWritesEachSplitAsSequencesAndRecordsThemInTheManifest) {
  TempDir tmp;
  const fs::path out = tmp / "out";
  auto result = RunShell("tunepack export " + Quote(kDocs) + " -o " + Quote(out) +
                         " --format jsonl --tokenizer cl100k_base --max-tokens 100 --pack 256"
                         " --split train=0.7,validation=0.3 --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr("train.packed.jsonl: "));
  const auto manifest = nlohmann::json::parse(ReadFile(out / "manifest.json"));
  ASSERT_EQ(manifest.at("packed").size(), 2u);
  uint64_t examples = 0;
  for (const auto& packed : manifest.at("packed")) {
    const std::string split = packed.at("split");
    const auto rows = JsonLines(out / packed.at("path").get<std::string>());
    EXPECT_EQ(rows.size(), packed.at("sequences").get<size_t>());
    uint64_t tokens = 0, lengths = 0;
    for (const auto& row : rows) {
      EXPECT_LE(row.at("input_ids").size(), 256u);
      tokens += row.at("input_ids").size();
      lengths += row.at("lengths").size();
    }
    EXPECT_EQ(tokens, packed.at("tokens").get<uint64_t>());
    EXPECT_EQ(lengths, packed.at("packed").get<uint64_t>());
    EXPECT_EQ(Lines(ReadFile(out / (split + ".jsonl"))).size(), packed.at("examples").get<size_t>());
    examples += packed.at("examples").get<uint64_t>();
  }
  EXPECT_EQ(examples, manifest.at("counts").at("examples_written").get<uint64_t>());

  auto no_tokenizer = RunShell("tunepack export " + Quote(kDocs) + " -o " + Quote(tmp / "x") +
                               " --pack 256 2>&1");
  EXPECT_EQ(no_tokenizer.exit_code, 2);
  EXPECT_THAT(no_tokenizer.out, HasSubstr("--pack needs --tokenizer"));
}

}  // namespace
}  // namespace tunepack
