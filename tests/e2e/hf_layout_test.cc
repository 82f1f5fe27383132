// --layout hf: data/<split>-NNNNN-of-NNNNN.parquet shards and a README.md dataset card,
// written through the output folder's staging, manifest and publish like any export.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

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

}  // namespace
}  // namespace tunepack
