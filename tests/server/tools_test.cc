// Uploads, token counts and template checks.
#include "server/api_fixture.h"

namespace tunepack::testing {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

class ToolsTest : public ApiTest {};

TEST_F(ToolsTest, UploadListUseAndDelete) {
  httplib::Result stored = client_->Post("/api/v1/uploads?name=../../evil/qa%20set.jsonl", QaCorpus(3),
                                         "application/octet-stream");
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->status, 201) << stored->body;
  const json upload = json::parse(stored->body);
  EXPECT_EQ(upload["name"], "qa set.jsonl");
  EXPECT_EQ(upload["bytes"], QaCorpus(3).size());
  const std::string id = upload["id"];

  ApiReply list = Get("/api/v1/uploads");
  ASSERT_EQ(list.body["uploads"].size(), 1u);
  EXPECT_EQ(list.body["uploads"][0]["id"], id);

  const json view = ExportAndWait({{"inputs", {id}}, {"format", "openai"}, {"map", {"user=question", "assistant=answer"}}});
  EXPECT_EQ(view["status"], "succeeded") << view.dump();
  EXPECT_EQ(view["counts"]["written"], 3);

  EXPECT_EQ(Delete("/api/v1/uploads/" + id).status, 204);
  EXPECT_EQ(Delete("/api/v1/uploads/" + id).status, 404);
  ApiReply gone = Post("/api/v1/exports", {{"inputs", {id}}});
  EXPECT_EQ(gone.status, 404) << gone.text;
  EXPECT_EQ(gone.body["error"]["details"]["option"], "inputs");
}

TEST_F(ToolsTest, CountMatchesTheTokenizer) {
  ApiReply counted = Post("/api/v1/count", {{"texts", {"hello world", "", "tunepack turns documents into datasets"}},
                                            {"tokenizers", {"cl100k_base", "o200k_base"}}});
  ASSERT_EQ(counted.status, 200) << counted.text;
  ASSERT_EQ(counted.body["results"].size(), 2u);
  const json& cl100k = counted.body["results"][0];
  EXPECT_EQ(cl100k["tokenizer"], "cl100k_base");
  // The same counts as `tunepack tokenize` gives ids.
  const std::string ids = RunShell("printf '%s\\n' '{\"text\":\"hello world\"}' '{\"text\":\"\"}' "
                                   "'{\"text\":\"tunepack turns documents into datasets\"}' | "
                                   "tunepack tokenize --tokenizer cl100k_base").out;
  std::vector<size_t> expected;
  std::istringstream lines(ids);
  for (std::string line; std::getline(lines, line);) expected.push_back(json::parse(line).size());
  EXPECT_EQ(cl100k["counts"].get<std::vector<size_t>>(), expected);
  EXPECT_EQ(cl100k["total"], expected[0] + expected[1] + expected[2]);

  ApiReply unknown = Post("/api/v1/count", {{"texts", {"x"}}, {"tokenizers", {"no-such-tokenizer"}}});
  EXPECT_EQ(unknown.status, 404) << unknown.text;
  ApiReply outside = Post("/api/v1/count", {{"texts", {"x"}}, {"tokenizers", {"/etc/passwd"}}});
  EXPECT_EQ(outside.status, 403) << outside.text;
  EXPECT_EQ(Post("/api/v1/count", {{"texts", "x"}, {"tokenizers", {"cl100k_base"}}}).status, 400);
}

TEST_F(ToolsTest, TemplateCheckGivesLineAndColumnAsTheCli) {
  ApiReply good = Post("/api/v1/templates/check", {{"template", "{{ question }} -> {{ answer | trim }}"}});
  ASSERT_EQ(good.status, 200);
  EXPECT_EQ(good.body["ok"], true);
  EXPECT_EQ(good.body["variables"], json::array({"question", "answer"}));

  const std::string bad = "line one\n{% for x in items %}\n  {{ x }\n{% endfor %}\n";
  ApiReply checked = Post("/api/v1/templates/check", {{"template", bad}, {"name", "t.j2"}});
  ASSERT_EQ(checked.status, 200);
  EXPECT_EQ(checked.body["ok"], false);
  ASSERT_EQ(checked.body["errors"].size(), 1u);
  const json& error = checked.body["errors"][0];
  WriteFile(tmp_ / "t.j2", bad);
  const std::string cli = RunShell("cd '" + tmp_.path().string() + "' && tunepack template check t.j2 2>&1").out;
  // "tunepack: t.j2:LINE:COLUMN: message"
  EXPECT_THAT(cli, HasSubstr("t.j2:" + std::to_string(error["line"].get<int>()) + ":" +
                             std::to_string(error["column"].get<int>()) + ": " + error["message"].get<std::string>()));
  EXPECT_EQ(error["line"], 3);
  EXPECT_EQ(Post("/api/v1/templates/check", json::object()).status, 400);
}

}  // namespace
}  // namespace tunepack::testing
