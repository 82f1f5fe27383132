// End-to-end tests of `tunepack validate`: each check fires on a crafted bad line and names
// that line; a clean file passes; the exit codes follow exit_codes.h.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/run.h"
#include "support/temp_dir.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

constexpr const char* kGood =
    R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello","weight":1}]})";

struct BadLine {
  std::string json;
  std::string expected;  // in the message for that line
};

TEST(ValidateCommandTest, EachOpenAiCheckNamesItsLine) {
  const std::vector<BadLine> cases = {
      {R"(["not", "an", "object"])", "error: the line is not a JSON object"},
      {R"({"prompt":"x","completion":"y"})", "error: missing \"messages\""},
      {R"({"messages":{}})", "error: \"messages\" must be an array"},
      {R"({"messages":[]})", "error: \"messages\" is empty"},
      {R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}],"extra":1})",
       "warning: unrecognized top-level key \"extra\""},
      {R"({"messages":[{"content":"Hi"},{"role":"assistant","content":"Yo"}]})", "error: message 1 has no \"role\""},
      {R"({"messages":[{"role":"human","content":"Hi"},{"role":"assistant","content":"Yo"}]})",
       "error: message 1: unrecognized role \"human\""},
      {R"({"messages":[{"role":"user","content":"Hi","lang":"en"},{"role":"assistant","content":"Yo"}]})",
       "error: message 1: unrecognized key \"lang\""},
      {R"({"messages":[{"role":"user"},{"role":"assistant","content":"Yo"}]})", "error: message 1 (user): missing content"},
      {R"({"messages":[{"role":"user","content":["a"]},{"role":"assistant","content":"Yo"}]})",
       "error: message 1 (user): content part 0 has no \"type\""},
      {R"({"messages":[{"role":"user","content":{"text":"Hi"}},{"role":"assistant","content":"Yo"}]})",
       "error: message 1 (user): content must be a string"},
      {R"({"messages":[{"role":"user","content":"Hi"}]})", "error: no assistant message"},
      {R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo","weight":0.5}]})",
       "error: message 2 (assistant): \"weight\" must be 0 or 1, not 0.5"},
      {R"({"messages":[{"role":"user","content":"Hi","weight":1},{"role":"assistant","content":"Yo"}]})",
       "error: message 1 (user): \"weight\" is only allowed on assistant messages"},
      {R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":{}}}]}]})",
       "\"function.arguments\" must be a JSON-encoded string"},
      {R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]})",
       "tool_calls[0] has no \"id\" string"},
      {R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","tool_calls":{"id":"c1"}}]})",
       "\"tool_calls\" must be an array"},
      {R"({"messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"nope","content":"18"},{"role":"assistant","content":"Yo"}]})",
       "error: message 2 (tool): \"tool_call_id\" \"nope\" answers no earlier tool call"},
      {R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}],"tools":[{"type":"function"}]})",
       "error: tools[0] must be"},
      {R"({"messages": [{"role": "user")", "error: invalid JSON"},
      {R"({"messages":[{"role":"user","content":"Please write me one long sentence about the sea, its waves, its tides, its storms and its quiet mornings."},{"role":"assistant","content":"The sea rolls on and on."}]})",
       "tokens (cl100k_base), over the limit of 20"},
  };
  TempDir tmp;
  std::string file;
  for (int i = 0; i < 10; ++i) file += std::string(kGood) + "\n";  // no 10-example warning
  const int first_bad_line = 11;
  for (const BadLine& bad : cases) file += bad.json + "\n";
  WriteFile(tmp / "data.jsonl", file);
  auto result = RunShell("tunepack validate " + Quote(tmp / "data.jsonl") +
                         " --format openai --tokenizer cl100k_base --max-tokens 20");
  EXPECT_EQ(result.exit_code, 1);
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string prefix = (tmp / "data.jsonl").string() + ":" + std::to_string(first_bad_line + i) + ": ";
    // The message for that line, wherever it is in it.
    const size_t at = result.out.find(prefix);
    ASSERT_NE(at, std::string::npos) << cases[i].json;
    bool found = false;
    for (size_t pos = at; pos != std::string::npos; pos = result.out.find(prefix, pos + 1)) {
      const std::string line = result.out.substr(pos, result.out.find('\n', pos) - pos);
      found = found || line.find(cases[i].expected) != std::string::npos;
    }
    EXPECT_TRUE(found) << "line " << first_bad_line + i << " should say: " << cases[i].expected;
  }
  // The good lines raise nothing.
  for (int line = 1; line < first_bad_line; ++line) {
    EXPECT_THAT(result.out, Not(HasSubstr(".jsonl:" + std::to_string(line) + ": "))) << line;
  }
}

TEST(ValidateCommandTest, CleanFilePassesAndSmallFileIsWarned) {
  TempDir tmp;
  std::string file;
  for (int i = 0; i < 12; ++i) file += std::string(kGood) + "\n";
  WriteFile(tmp / "ok.jsonl", file);
  auto clean = RunShell("tunepack validate " + Quote(tmp / "ok.jsonl"));
  EXPECT_EQ(clean.exit_code, 0);
  EXPECT_THAT(clean.out, HasSubstr("12 records checked as openai: 0 errors, 0 warnings"));
  WriteFile(tmp / "small.jsonl", std::string(kGood) + "\n");
  auto small = RunShell("tunepack validate " + Quote(tmp / "small.jsonl"));
  EXPECT_EQ(small.exit_code, 0);  // a warning is not an error
  EXPECT_THAT(small.out, HasSubstr("small.jsonl:1: warning: 1 examples; OpenAI fine-tuning needs at least 10"));
}

TEST(ValidateCommandTest, OtherFormatsGetStructuralChecks) {
  TempDir tmp;
  WriteFile(tmp / "chat.sharegpt.jsonl",
            "{\"conversations\":[{\"from\":\"human\",\"value\":\"Hi\"},{\"from\":\"gpt\",\"value\":\"Yo\"}]}\n"
            "{\"conversations\":[{\"from\":\"alien\",\"value\":\"Hi\"}]}\n"
            "\n");
  auto result = RunShell("tunepack validate " + Quote(tmp / "chat.sharegpt.jsonl"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("chat.sharegpt.jsonl:2: error: not a valid sharegpt record"));
  EXPECT_THAT(result.out, HasSubstr("chat.sharegpt.jsonl:3: warning: blank line"));
  EXPECT_THAT(result.out, HasSubstr("checked as sharegpt: 1 errors, 1 warnings"));
}

TEST(ValidateCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunShell("tunepack validate /nonexistent.jsonl >/dev/null 2>&1").exit_code, 2);
  EXPECT_EQ(RunShell("tunepack validate x.jsonl --max-tokens 5 >/dev/null 2>&1").exit_code, 2);
  EXPECT_EQ(RunShell("tunepack validate x.jsonl --format nope >/dev/null 2>&1").exit_code, 2);
}

}  // namespace
}  // namespace tunepack
