// POST /api/v1/preview: the first examples exactly as the export writes them (chat-template:
// the rendered text), with token counts and the rejections among them, fast on a large input.
#include "server/api_fixture.h"
#include "tp_test_paths.h"

namespace tunepack::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class PreviewTest : public ApiTest {};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(PreviewTest, ShowsWhatTheExportWritesWithRejections) {
  // Every fifth record has no answer: rejected with a reason.
  std::string input;
  const std::vector<std::string> records = Lines(QaCorpus(30));
  for (size_t i = 0; i < records.size(); ++i) {
    input += i % 5 == 2 ? "{\"question\": \"lonely " + std::to_string(i) + "\"}\n" : records[i] + "\n";
  }
  WriteFile(root_ / "mixed.jsonl", input);
  ApiReply preview = Post("/api/v1/preview", {{"inputs", {"mixed.jsonl"}}, {"format", "openai"},
                                              {"map", {"user=question", "assistant=answer"}}, {"limit", 6}});
  ASSERT_EQ(preview.status, 200) << preview.text;
  EXPECT_EQ(preview.body["format"], "openai");
  EXPECT_EQ(preview.body["tokenizer"], "cl100k_base");
  EXPECT_EQ(preview.body["more"], true);
  const json& examples = preview.body["examples"];
  ASSERT_EQ(examples.size(), 6u);

  const std::filesystem::path cli = tmp_ / "cli";
  ASSERT_EQ(Cli(Quote((root_ / "mixed.jsonl").string()) + " -o " + Quote(cli.string()) +
                " --format openai --map user=question --map assistant=answer"),
            1);  // some rejected
  const std::vector<std::string> written = Lines(ReadFile(cli / "train.jsonl"));
  for (size_t i = 0; i < examples.size(); ++i) {
    EXPECT_EQ(examples[i]["data"], written[i]);
    EXPECT_EQ(examples[i]["split"], "train");
    EXPECT_GT(examples[i]["tokens"].get<int>(), 10);
  }
  EXPECT_EQ(examples[2]["record"], 3);  // record 2 was rejected
  // The rejections met before the sixth example (record 6): record 2 (7 comes after).
  ASSERT_EQ(preview.body["rejections"].size(), 1u);
  EXPECT_EQ(preview.body["rejections"][0]["record"], 2);
  EXPECT_EQ(preview.body["rejections"][0]["reason"], "missing_field");
  ApiReply more = Post("/api/v1/preview", {{"inputs", {"mixed.jsonl"}}, {"format", "openai"},
                                           {"map", {"user=question", "assistant=answer"}}, {"limit", 7}});
  ASSERT_EQ(more.body["rejections"].size(), 2u);
  EXPECT_EQ(more.body["rejections"][1]["record"], 7);
}

TEST_F(PreviewTest, ChatTemplateShowsTheRenderedText) {
  std::filesystem::copy(std::filesystem::path(TP_SOURCE_DIR) / "templates/examples/chatml-model", root_ / "model");
  ApiReply preview = Post("/api/v1/preview", {{"inputs", {"qa.jsonl"}}, {"format", "chat-template"}, {"model", "model"},
                                              {"map", {"user=question", "assistant=answer"}}, {"limit", 3}});
  ASSERT_EQ(preview.status, 200) << preview.text;
  ASSERT_EQ(preview.body["examples"].size(), 3u);
  const json first = json::parse(preview.body["examples"][0]["data"].get<std::string>());
  EXPECT_THAT(first["text"].get<std::string>(), HasSubstr("<|im_start|>user\nHow does queue 0 handle retries"));
  EXPECT_GT(preview.body["examples"][0]["tokens"].get<int>(), 10);
  // The same line the export writes.
  const std::filesystem::path cli = tmp_ / "cli";
  ASSERT_EQ(Cli(Quote((root_ / "qa.jsonl").string()) + " -o " + Quote(cli.string()) + " --format chat-template --model " +
                Quote((root_ / "model").string()) + " --map user=question --map assistant=answer"),
            0);
  EXPECT_EQ(preview.body["examples"][2]["data"], Lines(ReadFile(cli / "train.jsonl"))[2]);
}

TEST_F(PreviewTest, ALargeInputIsNotReadToItsEnd) {
  // About 150 MB; the preview must not read it all.
  const std::string chunk = QaCorpus(20000);
  {
    std::ofstream out(root_ / "large.jsonl", std::ios::binary);
    for (size_t written = 0; written < (150u << 20); written += chunk.size()) out << chunk;
  }
  const auto start = std::chrono::steady_clock::now();
  ApiReply preview = Post("/api/v1/preview", {{"inputs", {"large.jsonl"}}, {"format", "openai"},
                                              {"map", {"user=question", "assistant=answer"}}});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(preview.status, 200) << preview.text;
  EXPECT_EQ(preview.body["examples"].size(), 20u);
  EXPECT_EQ(preview.body["more"], true);
  EXPECT_LT(seconds, 1.0);
}

TEST_F(PreviewTest, BadRequests) {
  EXPECT_EQ(Post("/api/v1/preview", {{"inputs", {"qa.jsonl"}}, {"limit", 0}}).status, 400);
  EXPECT_EQ(Post("/api/v1/preview", {{"inputs", {"qa.jsonl"}}, {"limit", 1001}}).status, 400);
  ApiReply bad = Post("/api/v1/preview", {{"inputs", {"qa.jsonl"}}, {"dedup", "sometimes"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["details"]["option"], "dedup");
  // Options that resolve but cannot run on this input: 422.
  ApiReply unrunnable = Post("/api/v1/preview", {{"inputs", {"qa.jsonl"}}, {"format", "chat-template"}});
  EXPECT_TRUE(unrunnable.status == 400 || unrunnable.status == 422) << unrunnable.text;
}

}  // namespace
}  // namespace tunepack::testing
