// Record text is data: `tunepack export` passes every record field through byte for byte
// unless --normalize-records asks otherwise, whatever chat format it travels through.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

// Exports `input` as `format` into `dir` with the default options and returns the data
// file, asserting that every record was written.
std::string Export(const std::string& input, const std::string& format, const std::string& dir,
                   const std::string& extra = "") {
  auto result = RunShell("tunepack export '" + input + "' --format " + format + " -o '" + dir +
                         "' --progress none " + extra + " 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  EXPECT_THAT(result.out, HasSubstr(" 0 rejected")) << result.out;
  return dir + "/train.jsonl";
}

// Text a chat answer may hold and that normalisation would rewrite: code with two blank
// lines, tabs, trailing spaces, CRLF, NBSP, a decomposed accent, a ZWJ emoji sequence,
// zero-width characters, leading and trailing newlines.
constexpr std::array<const char*, 16> kPieces = {
    "def f():\n    return 1\n\n\ndef g():\n\tpass\n",
    "\tindented\twith\ttabs",
    "diff line with trailing spaces   \n+added  \n",
    "windows\r\nline\r\nends\r\n",
    "lone\rcarriage",
    "non\u00a0breaking\u00a0space",
    "cafe\u0301 and re\u0301sume\u0301",
    "\U0001F469\u200D\U0001F4BB and \U0001F468\u200D\U0001F469\u200D\U0001F467",
    "zero\u200bwidth\u200cjoiners\u200d\ufeffbom",
    "\n\nleading newlines",
    "trailing newlines\n\n\n",
    "   spaces around   ",
    "quotes \" and \\ backslashes",
    "full\uff37idth \u2126hm \ufb01 ligature",
    "plain words here",
    "\n",
};

std::string RandomText(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> piece(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> count(1, 4);
  std::string text;
  for (int n = count(rng); n > 0; --n) text += kPieces[piece(rng)];
  return text;
}

// An openai record every chat format can hold: an optional system prompt, then
// user/assistant pairs.
std::string RandomRecord(std::mt19937& rng) {
  nlohmann::ordered_json messages = nlohmann::ordered_json::array();
  auto add = [&](const char* role) {
    nlohmann::ordered_json message;
    message["role"] = role;
    message["content"] = RandomText(rng);
    messages.push_back(std::move(message));
  };
  if (rng() % 2 == 0) add("system");
  for (int pairs = 1 + static_cast<int>(rng() % 3); pairs > 0; --pairs) {
    add("user");
    add("assistant");
  }
  nlohmann::ordered_json record;
  record["messages"] = std::move(messages);
  return record.dump(-1, ' ', false) + "\n";
}

TEST(RecordFidelityTest, RecordTextSurvivesEveryChatFormatByteForByte) {
  TempDir tmp;
  std::mt19937 rng(20240608);
  std::string records;
  for (int i = 0; i < 200; ++i) records += RandomRecord(rng);
  std::string path = (tmp / "in.jsonl").string();
  WriteFile(path, records);
  for (const char* format : {"sharegpt", "alpaca", "chatml", "openai"}) {
    path = Export(path, format, (tmp / format).string());
  }
  EXPECT_EQ(ReadFile(path), records);
}

TEST(RecordFidelityTest, ExportKeepsRecordTextAsReadByDefault) {
  TempDir tmp;
  const std::string record =
      R"({"messages":[{"role":"user","content":"Fix it  \r\n"},{"role":"assistant","content":"def a():\n    pass\n\n\ndef b():\n    pass\n"}]})"
      "\n";
  WriteFile(tmp / "in.jsonl", record);
  const std::string out = Export((tmp / "in.jsonl").string(), "openai", (tmp / "out").string());
  EXPECT_EQ(ReadFile(out), record);
}

TEST(RecordFidelityTest, TextFieldRecordsAreKeptAsReadToo) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"body\":\"cafe\\u0301\\r\\n\\n\\n\\nend  \"}\n");
  const std::string out = Export((tmp / "in.jsonl").string(), "jsonl", (tmp / "out").string(),
                                 "--text-field body");
  EXPECT_EQ(ReadFile(out), "{\"text\":\"cafe\xcc\x81\\r\\n\\n\\n\\nend  \"}\n");
}

TEST(RecordFidelityTest, NormalizeRecordsIsOptIn) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"cafe\\u0301  \\r\\nx\"},"
            "{\"role\":\"assistant\",\"content\":\"a\\n\\n\\n\\nb\"}]}\n");
  const std::string out = Export((tmp / "in.jsonl").string(), "openai", (tmp / "out").string(),
                                 "--normalize-records");
  EXPECT_EQ(ReadFile(out),
            "{\"messages\":[{\"role\":\"user\",\"content\":\"caf\xc3\xa9\\nx\"},"
            "{\"role\":\"assistant\",\"content\":\"a\\n\\nb\"}]}\n");
}

TEST(RecordFidelityTest, InvalidUtf8InRecordsStillFollowsThePolicy) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"text\":\"bad \xff byte\"}\n");
  const std::string out = Export((tmp / "in.jsonl").string(), "jsonl", (tmp / "out").string(),
                                 "--text-field text");
  EXPECT_EQ(ReadFile(out), "{\"text\":\"bad \xef\xbf\xbd byte\"}\n");
  auto fail = RunShell("tunepack export '" + (tmp / "in.jsonl").string() + "' --format jsonl -o '" +
                       (tmp / "fail").string() + "' --text-field text --progress none --on-invalid-utf8 fail 2>&1");
  EXPECT_THAT(fail.out, HasSubstr("invalid_utf8"));
}

}  // namespace
}  // namespace tunepack
