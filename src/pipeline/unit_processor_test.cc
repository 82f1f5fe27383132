// A worker reads record after record into one example (UnitProcessor): nothing of a record
// may reach the next one's output. Each record's output is checked against the same record
// exported alone, by a worker that read nothing before it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/temp_dir.h"
#include "tp_test_paths.h"
#include "tunepack/pipeline/export.h"

namespace tunepack::pipeline {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

class NoEvents : public EventSubscriber {
 public:
  void OnEvent(const Event&) override {}
};

// OpenAI records, each after one that fills what it leaves empty: names, tool calls and
// schemas, a weight, carried fields, more turns, a line that is not JSON. The plain ones are
// read from their text, the others through the parsed record.
const std::vector<std::string> kRecords = {
    R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi","name":"ann"},{"role":"assistant","content":"Hello","name":"bot"}]})",
    R"({"messages":[{"role":"user","content":"Weather?"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"c1","content":"sunny"},{"role":"assistant","content":"Sunny."}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]})",
    R"({"messages":[{"role":"user","content":"Short"},{"role":"assistant","content":"Yes"}]})",
    R"({"messages":[{"role":"user","content":"Grade this"},{"role":"assistant","content":"No","weight":0}]})",
    R"({"messages":[{"role":"user","content":"One"},{"role":"assistant","content":"Two"},{"role":"user","content":"Three"},{"role":"assistant","content":"Four"}]})",
    R"({"messages":[{"role":"user","content":"Carried"},{"role":"assistant","content":"Fields"}],"id":"r6","metadata":{"source":"test"}})",
    // Over the megabyte of room a worker keeps from one record for the next.
    R"({"messages":[{"role":"user","content":"Long"},{"role":"assistant","content":")" + std::string(1500000, 'x') + R"("}]})",
    R"({"messages":[{"role":"user","content":"After the \"carried\" one\n"},{"role":"assistant","content":"Plain"}]})",
    R"({"messages":[{"role":"user","content":)",
    R"({"messages":[{"role":"assistant","content":"Last"}]})",
};

struct Case {
  std::string name;
  std::string options;  ///< JSON members added to the options
  long written;         ///< the records written
};

class RecordAfterRecordTest : public ::testing::TestWithParam<Case> {
 protected:
  // Exports `lines` with one worker and the case's options; returns the data file.
  std::string Export(const std::string& name, const std::string& lines) {
    WriteFile(tmp_ / (name + ".jsonl"), lines);
    Result<ExportOptions> options = ExportOptionsFromJson(
        R"({"inputs": [")" + (tmp_ / (name + ".jsonl")).string() + R"("], "output": ")" + (tmp_ / name).string() +
        R"(", "jobs": 1, )" + GetParam().options + "}");
    EXPECT_TRUE(options.has_value()) << options.error().message();
    if (!options.has_value()) return "";
    NoEvents events;
    Result<ExportSummary> summary = RunExport(*options, events);
    EXPECT_TRUE(summary.has_value()) << summary.error().message();
    return ReadFile(tmp_ / name / "train.jsonl");
  }

  TempDir tmp_;
};

TEST_P(RecordAfterRecordTest, EachRecordComesOutAsItDoesAlone) {
  std::string together;
  std::string alone;
  for (size_t i = 0; i < kRecords.size(); ++i) {
    together += kRecords[i] + "\n";
    alone += Export("alone-" + std::to_string(i), kRecords[i] + "\n");
  }
  const std::string written = Export("together", together);
  EXPECT_EQ(written, alone);
  // Records were written: a test of nothing would pass too.
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), GetParam().written);
}

INSTANTIATE_TEST_SUITE_P(
    Formats, RecordAfterRecordTest,
    // All but the line that is not JSON.
    ::testing::Values(Case{"openai", R"("format": "openai", "with_metadata": true)", 9},
                      Case{"chat_template",
                           R"("format": "chat-template", "with_metadata": true, "model": ")" TP_SOURCE_DIR
                           R"(/tests/data/chat-model")",
                           9}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace tunepack::pipeline
