// Round trips through `tunepack convert`: each format converted away and back gives the
// same bytes, where the formats can hold the records.
#include <gtest/gtest.h>

#include <string>

#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

// Converts `input` to `format` into `dir`, asserting that nothing was rejected, and returns
// the data file's path.
std::string Convert(const std::string& input, const std::string& format, const std::string& dir,
                    const std::string& extension) {
  auto result = RunShell("tunepack convert '" + input + "' --to " + format + " -o '" + dir +
                         "' --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  return dir + "/train" + extension;
}

struct RoundTrip {
  std::string name;
  std::string source_format;
  std::string via;
  std::string via_extension;
  std::string records;
};

void PrintTo(const RoundTrip& trip, std::ostream* os) { *os << trip.name; }

// Records are written in each writer's canonical key order, so that "the same bytes" is the
// right expectation.
class ConvertRoundTripTest : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(ConvertRoundTripTest, AwayAndBackGivesTheSameBytes) {
  const RoundTrip& trip = GetParam();
  TempDir tmp;
  const std::string input = (tmp / "in.jsonl").string();
  WriteFile(input, trip.records);
  const std::string there = Convert(input, trip.via, (tmp / "there").string(), trip.via_extension);
  const std::string back = Convert(there, trip.source_format, (tmp / "back").string(), ".jsonl");
  EXPECT_EQ(ReadFile(back), trip.records);
}

const char kOpenAi[] =
    R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi\nthere"},{"role":"assistant","content":"Hello \"friend\" é"}]})" "\n"
    R"({"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"},{"role":"user","content":"and 3+3?"},{"role":"assistant","content":"6"}]})" "\n";
const char kOpenAiTools[] =
    R"({"messages":[{"role":"user","content":"Weather in Oslo?"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]},{"role":"tool","content":"{\"c\":3}","tool_call_id":"call_1"},{"role":"assistant","content":"3 degrees."}],"tools":[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]})" "\n";
const char kText[] = R"({"text":"First document.\n\nWith two paragraphs."})" "\n" R"({"text":"Second one."})" "\n";
const char kAlpaca[] =
    R"({"instruction":"Name a colour.","input":"","output":"Blue."})" "\n"
    R"({"instruction":"Add them.","input":"","output":"5","system":"Be exact.","history":[["2+2?","4"]]})" "\n";

INSTANTIATE_TEST_SUITE_P(
    Formats, ConvertRoundTripTest,
    ::testing::Values(RoundTrip{"openai_sharegpt", "openai", "sharegpt", ".jsonl", kOpenAi},
                      RoundTrip{"openai_chatml", "openai", "chatml", ".jsonl", kOpenAi},
                      RoundTrip{"openai_alpaca", "openai", "alpaca", ".jsonl", kOpenAi},
                      RoundTrip{"openai_tools_sharegpt", "openai", "sharegpt", ".jsonl", kOpenAiTools},
                      RoundTrip{"alpaca_openai", "alpaca", "openai", ".jsonl", kAlpaca},
                      RoundTrip{"alpaca_sharegpt", "alpaca", "sharegpt", ".jsonl", kAlpaca},
                      RoundTrip{"jsonl_text", "jsonl", "text", ".txt", kText},
                      RoundTrip{"jsonl_markdown", "jsonl", "markdown", ".md", kText}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace tunepack
