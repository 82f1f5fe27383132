// --layout hf: data/<split>-NNNNN-of-NNNNN.parquet shards and a README.md dataset card,
// written through the output folder's staging, manifest and publish like any export.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tunepack/parquet/parquet.h"

namespace tunepack {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;
namespace fs = std::filesystem;

std::string ChatRecords(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += R"({"messages":[{"role":"user","content":"Question )" + std::to_string(i) +
           R"( ✓"},{"role":"assistant","content":"Answer )" + std::string(static_cast<size_t>(i % 50), 'x') + "\"}]}\n";
  }
  return out;
}

std::vector<std::string> ReadParquet(const std::string& path) {
  auto file = parquet::OpenRandomAccessFile(path);
  EXPECT_TRUE(file.ok());
  auto reader = parquet::ParquetReader::Open(std::move(*file), {});
  EXPECT_TRUE(reader.ok()) << reader.error().message();
  std::vector<std::string> records;
  for (size_t g = 0; g < (*reader)->num_row_groups(); ++g) EXPECT_TRUE((*reader)->ReadRowGroup(g, records).ok());
  return records;
}

TEST(HfLayoutTest, ConvertWritesShardsAndADatasetCard) {
  TempDir tmp;
  const std::string input = (tmp / "chat.jsonl").string();
  WriteFile(input, ChatRecords(200));
  const std::string out = (tmp / "out").string();
  auto result = RunShell("tunepack convert '" + input + "' --to openai --split train=0.8,test=0.2 --layout hf -o '" +
                         out + "' --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  ASSERT_TRUE(fs::exists(out + "/data/train-00000-of-00001.parquet"));
  ASSERT_TRUE(fs::exists(out + "/data/test-00000-of-00001.parquet"));
  EXPECT_FALSE(fs::exists(out + "/train.jsonl"));
  const size_t rows = ReadParquet(out + "/data/train-00000-of-00001.parquet").size() +
                      ReadParquet(out + "/data/test-00000-of-00001.parquet").size();
  EXPECT_EQ(rows, 200u);

  const std::string card = ReadFile(out + "/README.md");
  EXPECT_THAT(card, HasSubstr("configs:\n- config_name: \"default\"\n  data_files:\n  - split: \"train\"\n    path: \"data/train-*\""));
  EXPECT_THAT(card, HasSubstr("dataset_info:\n  features:\n  - name: \"messages\"\n    list:\n    - name: \"role\"\n      dtype: \"string\""));
  EXPECT_THAT(card, HasSubstr("num_examples: "));
  EXPECT_THAT(card, HasSubstr("download_size: "));
  EXPECT_THAT(card, HasSubstr("size_categories:\n- \"n<1K\"\n---"));
  EXPECT_THAT(card, HasSubstr("## Rejections by reason"));
  const std::string manifest = ReadFile(out + "/manifest.json");
  EXPECT_THAT(manifest, HasSubstr("\"path\": \"data/train-00000-of-00001.parquet\""));
  EXPECT_THAT(manifest, HasSubstr("\"dataset_card\""));

  // The same run again gives the same bytes; --overwrite replaces it, and a folder holding a
  // file of the user's inside data/ is refused.
  const std::string first = ReadFile(out + "/data/train-00000-of-00001.parquet");
  result = RunShell("tunepack convert '" + input + "' --to openai --split train=0.8,test=0.2 --layout hf -o '" + out +
                    "' --overwrite --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_EQ(ReadFile(out + "/data/train-00000-of-00001.parquet"), first);
  WriteFile(out + "/data/mine.txt", "mine");
  result = RunShell("tunepack convert '" + input + "' --to openai --layout hf -o '" + out + "' --overwrite --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_THAT(result.out, HasSubstr("data/mine.txt"));
  EXPECT_EQ(ReadFile(out + "/data/mine.txt"), "mine");
}

TEST(HfLayoutTest, ShardsBySize) {
  TempDir tmp;
  const std::string input = (tmp / "chat.jsonl").string();
  std::string records;
  for (int i = 0; i < 3000; ++i) {
    records += R"({"text":")" + std::to_string(i * 7919) + std::string(700, static_cast<char>('a' + i % 26)) + "\"}\n";
  }
  WriteFile(input, records);
  const std::string out = (tmp / "out").string();
  auto result = RunShell("tunepack export '" + input + "' --layout hf --max-shard-mb 1 --parquet-compression none -o '" +
                         out + "' --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  size_t shards = 0, rows = 0;
  for (const auto& entry : fs::directory_iterator(out + "/data")) {
    ++shards;
    EXPECT_THAT(entry.path().filename().string(), HasSubstr("-of-0000"));
    rows += ReadParquet(entry.path().string()).size();
  }
  EXPECT_GE(shards, 2u);
  EXPECT_THAT(ReadFile(out + "/README.md"), HasSubstr("- \"1K<n<10K\""));
  EXPECT_EQ(rows, 3000u);
  // Formats that are not records are refused with the reason.
  result = RunShell("tunepack export '" + input + "' --format text --layout hf -o '" + (tmp / "text").string() +
                    "' --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, HasSubstr("needs a JSON Lines format, not text"));
  // A reading command reads the export back.
  auto stats = RunShell("tunepack stats '" + out + "/data/train-00000-of-0000" + std::to_string(shards) + ".parquet' 2>&1");
  EXPECT_EQ(stats.exit_code, 0) << stats.out;
}

TEST(HfLayoutTest, RecordsWhoseShapeChangesAfterTheFirstRowGroupAreAllWritten) {
  // Row groups of 1 MB: a field first seen (messages[].weight) and a type change (content as
  // a list of parts instead of a string) 2 MB into the data, in the third row group. The schema is found over every
  // record first, so the first shard already has them and no record is refused.
  TempDir tmp;
  std::vector<std::string> lines;
  for (int i = 0; i < 3000; ++i) {
    lines.push_back(R"({"messages":[{"role":"user","content":"Q)" + std::to_string(i) + std::string(700, 'q') +
                    R"("},{"role":"assistant","content":"A"}]})");
  }
  lines[2900] = R"({"messages":[{"role":"user","content":"late"},{"role":"assistant","content":"A","weight":0}]})";
  lines[2950] = R"({"messages":[{"role":"user","content":[{"type":"text","text":"see"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]},{"role":"assistant","content":"B"}]})";
  std::string input_text;
  for (const std::string& line : lines) input_text += line + "\n";
  const std::string input = (tmp / "chat.jsonl").string();
  WriteFile(input, input_text);
  const std::string out = (tmp / "out").string();
  auto result = RunShell("tunepack convert '" + input + "' --to openai --layout hf --max-shard-mb 1 -o '" + out +
                         "' --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  std::vector<std::string> rows;
  std::vector<std::string> shards;
  for (const auto& entry : fs::directory_iterator(out + "/data")) shards.push_back(entry.path().string());
  std::sort(shards.begin(), shards.end());
  for (const std::string& shard : shards) {
    for (std::string& row : ReadParquet(shard)) rows.push_back(std::move(row));
  }
  ASSERT_EQ(rows.size(), lines.size());
  // Read back with its nulls (the weight no other message has), each record is the one written.
  EXPECT_EQ(rows[2900], R"({"messages":[{"role":"user","content":"late","weight":null},{"role":"assistant","content":"A","weight":0}]})");
  EXPECT_EQ(rows[2950], R"({"messages":[{"role":"user","content":[{"type":"text","text":"see"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}],"weight":null},{"role":"assistant","content":"B","weight":null}]})");
  EXPECT_EQ(ReadFile(out + "/rejected.jsonl"), "");
  // One schema for every shard, described by the card.
  EXPECT_THAT(ReadFile(out + "/README.md"), HasSubstr("- name: \"weight\"\n      dtype: \"int64\""));
}

// The card's per-split token figures and stats.json's come from the one pass that writes the
// shards: each split's total in the card is the sum over its shards in stats.json.
TEST(HfLayoutTest, CardTokensPerSplitAreStatsJsons) {
  TempDir tmp;
  const std::string input = (tmp / "chat.jsonl").string();
  WriteFile(input, ChatRecords(200));
  const std::string out = (tmp / "out").string();
  auto result = RunShell("tunepack export '" + input + "' --format openai --layout hf --tokenizer cl100k_base "
                         "--split train=0.7,validation=0.3 -o '" + out +
                         "' --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const nlohmann::json stats = nlohmann::json::parse(ReadFile(out + "/stats.json"));
  const std::string card = ReadFile(out + "/README.md");
  for (const std::string split : {"train", "validation"}) {
    const uint64_t records = stats["splits"][split]["records"].get<uint64_t>();
    const uint64_t tokens = stats["splits"][split]["tokens"].get<uint64_t>();
    ASSERT_GT(records, 0u);
    EXPECT_THAT(card, HasSubstr("| " + split + " | " + std::to_string(records) + " | " + std::to_string(tokens) + " |"));
  }
  ASSERT_EQ(stats["files"].size(), 2u);
  EXPECT_EQ(stats["files"][0]["path"], "data/train-00000-of-00001.parquet");
  EXPECT_EQ(stats["files"][1]["path"], "data/validation-00000-of-00001.parquet");
}

TEST(HfLayoutTest, CardDeclaresLicenseLanguagesAndTokens) {
  TempDir tmp;
  const std::string input = (tmp / "chat.jsonl").string();
  WriteFile(input, ChatRecords(20));
  const std::string out = (tmp / "out").string();
  auto result = RunShell("tunepack export '" + input + "' --format openai --layout hf --card-license apache-2.0 "
                         "--card-language en,fr --tokenizer cl100k_base -o '" + out + "' --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::string card = ReadFile(out + "/README.md");
  EXPECT_THAT(card, HasSubstr("\nlicense: \"apache-2.0\"\nlanguage:\n- \"en\"\n- \"fr\"\nsize_categories:"));
  EXPECT_THAT(card, HasSubstr("Tokens per example, counted with `cl100k_base`"));
  EXPECT_THAT(card, HasSubstr("| split | examples | tokens | min | mean | median | p95 | max |"));
  // The total is stats.json's (both measured in the pass that writes the shards).
  const std::string stats = ReadFile(out + "/stats.json");
  const size_t at = stats.find("\"total\": ");
  ASSERT_NE(at, std::string::npos) << stats;
  const std::string total = stats.substr(at + 9, stats.find_first_not_of("0123456789", at + 9) - (at + 9));
  EXPECT_THAT(card, HasSubstr("| train | 20 | " + total + " |"));

  // Without a tokenizer the card says so; card options without --layout hf, or with a
  // value that is no id, are refused.
  result = RunShell("tunepack export '" + input + "' --format openai --layout hf -o '" + (tmp / "plain").string() +
                    "' --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(ReadFile((tmp / "plain" / "README.md").string()), HasSubstr("Not counted: the export was given no tokenizer."));
  EXPECT_THAT(ReadFile((tmp / "plain" / "README.md").string()), Not(HasSubstr("license:")));
  result = RunShell("tunepack export '" + input + "' --format openai --card-license mit -o '" + (tmp / "flat").string() +
                    "' --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_THAT(result.out, HasSubstr("--card-license describes the dataset card, which only --layout hf writes"));
  result = RunShell("tunepack export '" + input + "' --format openai --layout hf --card-language 'en: x' -o '" +
                    (tmp / "bad").string() + "' --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_THAT(result.out, HasSubstr("--card-language 'en: x': expected an id"));
}

}  // namespace
}  // namespace tunepack
