// Datasets read through an axolotl config's datasets entries: each record reshaped as axolotl
// reads it (chat_template's field_messages, property mappings, roles, system field, training
// flags; alpaca; input_output; completion), golden records out, and the refusals of what no
// tunepack format carries.
#include "tunepack/format/axolotl_dataset.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "format/format_test_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

// Parses `yaml` (a whole config) and picks `selector`.
Result<AxolotlDataset> Entry(const std::string& yaml, std::string_view selector = "") {
  return ParseAxolotlDataset(yaml, selector, "axolotl.yml");
}

// A config with one dataset entry whose options are `options` (YAML lines indented by 4).
std::string OneEntry(const std::string& options) {
  return "base_model: Qwen/Qwen3-0.6B\ndatasets:\n  - path: data.jsonl\n" + options;
}

// Reshapes `record` with `dataset` and reads it with the dataset's format, written back in
// that format: what tunepack makes of the record.
Result<std::string> ReadAs(const AxolotlDataset& dataset, std::string_view record) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(record).get_object().get(object) != simdjson::SUCCESS) return InvalidArgumentError("bad test record");
  TP_ASSIGN_OR_RETURN(std::string reshaped, ReshapeAxolotlRecord(dataset, object));
  return testing::Convert(dataset.format, dataset.format, reshaped);
}

Result<std::string> ReadAs(const std::string& options, std::string_view record) {
  TP_ASSIGN_OR_RETURN(AxolotlDataset dataset, Entry(OneEntry(options)));
  return ReadAs(dataset, record);
}

TEST(AxolotlDatasetTest, ShareGptShapedConversationsAsAxolotlsDocsConfigureThem) {
  // The configuration axolotl's conversation.qmd gives for ShareGPT data.
  Result<std::string> out = ReadAs(
      "    type: chat_template\n    field_messages: conversations\n"
      "    message_property_mappings:\n      role: from\n      content: value\n",
      R"({"conversations":[{"from":"system","value":"Be brief."},{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]})"
            "\n");
}

TEST(AxolotlDatasetTest, DefaultsAreAxolotls) {
  Result<AxolotlDataset> dataset = Entry(OneEntry("    type: chat_template\n"));
  ASSERT_THAT(dataset, IsOk());
  EXPECT_EQ(dataset->format, "openai");
  EXPECT_EQ(dataset->field_messages, "messages");
  EXPECT_EQ(dataset->property_mappings,
            (std::vector<std::pair<std::string, std::string>>{{"role", "role"}, {"content", "content"}}));
  Result<std::string> out = ReadAs(*dataset, R"({"messages":[{"role":"human","content":"Hi"},{"role":"gpt","content":"Yo"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}]})" "\n");
}

TEST(AxolotlDatasetTest, RolesReplaceTheDefaultMap) {
  const std::string options =
      "    type: chat_template\n    roles:\n      user: [usr]\n      assistant: [bot, model]\n";
  Result<std::string> out =
      ReadAs(options, R"({"messages":[{"role":"usr","content":"Hi"},{"role":"model","content":"Yo"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}]})" "\n");
  // "gpt" is no longer mapped: axolotl hands it to the template as "gpt", tunepack refuses it.
  EXPECT_THAT(ReadAs(options, R"({"messages":[{"role":"usr","content":"Hi"},{"role":"gpt","content":"Yo"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown role 'gpt'")));
}

TEST(AxolotlDatasetTest, SystemFieldOpensTheConversationUnlessItHasASystemTurn) {
  const std::string options = "    type: chat_template\n";
  Result<std::string> out =
      ReadAs(options, R"({"system":"Be brief.","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}]})"
            "\n");
  // axolotl ignores the field then: it stays an unread field, never dropped silently.
  Result<AxolotlDataset> dataset = Entry(OneEntry(options));
  ASSERT_THAT(dataset, IsOk());
  simdjson::dom::parser parser;
  Result<std::string> reshaped = ReshapeAxolotlRecord(
      *dataset,
      parser.parse(std::string_view(R"({"system":"Ignored.","messages":[{"role":"system","content":"S"},{"role":"user","content":"Hi"}]})"))
          .get_object()
          .value());
  ASSERT_THAT(reshaped, IsOk());
  Result<Example> example = testing::ReadRecord("openai", *reshaped);
  ASSERT_THAT(example, IsOk());
  ASSERT_NE(example->unread_fields.FindJson("system"), nullptr);
  EXPECT_EQ(*example->unread_fields.FindJson("system"), "\"Ignored.\"");
  // drop_system_message drops the opening system turn, the field's included.
  out = ReadAs(options + "    drop_system_message: true\n",
               R"({"system":"Be brief.","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Yo"}]})" "\n");
}

TEST(AxolotlDatasetTest, TrainingFlagMasksAssistantTurns) {
  const std::string options = "    type: chat_template\n    message_field_training: train\n";
  Result<std::string> out = ReadAs(
      options,
      R"({"messages":[{"role":"user","content":"Q1","train":false},{"role":"assistant","content":"Draft","train":false},{"role":"user","content":"Q2"},{"role":"assistant","content":"Final","train":true}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"messages":[{"role":"user","content":"Q1"},{"role":"assistant","content":"Draft","weight":0},{"role":"user","content":"Q2"},{"role":"assistant","content":"Final"}]})"
            "\n");
  EXPECT_THAT(ReadAs(options, R"({"messages":[{"role":"user","content":"Q","train":true},{"role":"assistant","content":"A"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("turn 0 (user) is trained by \"train\"")));
  // Without message_field_training, a turn's weight is not axolotl's to read.
  EXPECT_THAT(ReadAs("    type: chat_template\n",
                     R"({"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":"A","weight":0}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl does not read a turn's \"weight\"")));
}

TEST(AxolotlDatasetTest, ContentPartsAreJoinedAndToolsParsed) {
  Result<std::string> out = ReadAs(
      "    type: chat_template\n",
      R"({"messages":"[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Add \"},{\"type\":\"text\",\"text\":\"2 and 2.\"}]},{\"role\":\"assistant\",\"content\":\"4\"}]","tools":"[{\"type\":\"function\",\"function\":{\"name\":\"add\",\"parameters\":{\"type\":\"object\"}}}]"})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out,
            R"({"messages":[{"role":"user","content":"Add 2 and 2."},{"role":"assistant","content":"4"}],"tools":[{"type":"function","function":{"name":"add","parameters":{"type":"object"}}}]})"
            "\n");
  EXPECT_THAT(ReadAs("    type: chat_template\n",
                     R"({"messages":[{"role":"user","content":"Q"},{"role":"assistant","content":[{"text":"Think.","train":false},{"text":" 4"}]}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("turn 1, content part 0 has its own train or weight")));
  EXPECT_THAT(ReadAs("    type: chat_template\n",
                     R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"a.png"}}]}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("has no text (text, content or value)")));
}

TEST(AxolotlDatasetTest, LegacyFieldsAndConflicts) {
  Result<AxolotlDataset> dataset =
      Entry(OneEntry("    type: chat_template\n    message_field_role: from\n    message_field_content: value\n"));
  ASSERT_THAT(dataset, IsOk());
  EXPECT_EQ(dataset->property_mappings,
            (std::vector<std::pair<std::string, std::string>>{{"role", "from"}, {"content", "value"}}));
  EXPECT_THAT(Entry(OneEntry("    type: chat_template\n    message_field_role: from\n"
                             "    message_property_mappings:\n      role: speaker\n")),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("message_field_role \"from\" conflicts with message_property_mappings.role \"speaker\"")));
  // A turn holding both a mapped key and the property's own name: axolotl's pick depends on
  // the template.
  EXPECT_THAT(ReadAs("    type: chat_template\n    message_property_mappings:\n      content: value\n",
                     R"({"messages":[{"role":"user","value":"a","content":"b"}]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("has both \"content\" and the key")));
}

TEST(AxolotlDatasetTest, WhatNoTunepackFormatCarriesIsRefusedWithItsPlace) {
  EXPECT_THAT(Entry(OneEntry("    type: chat_template\n    roles_to_train: [user, assistant]\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl.yml:5:21: roles_to_train [user, assistant]")));
  EXPECT_THAT(Entry(OneEntry("    type: chat_template\n    roles_to_train: [gpt]\n")), IsOk());
  EXPECT_THAT(Entry(OneEntry("    type: chat_template\n    train_on_eos: all\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("train_on_eos \"all\"")));
  EXPECT_THAT(Entry("train_on_inputs: true\n" + OneEntry("    type: alpaca\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl.yml:1:18: train_on_inputs: true trains the prompts")));
  EXPECT_THAT(Entry(OneEntry("    type: chat_template\n    message_field_training_detail: spans\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not character spans")));
  EXPECT_THAT(Entry(OneEntry("    type: sharegpt\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("type \"sharegpt\" is not supported: use one of chat_template, alpaca, input_output, completion")));
  EXPECT_THAT(Entry(OneEntry("    type:\n      field_instruction: q\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("a user-defined type")));
  EXPECT_THAT(Entry(OneEntry("    ds_type: json\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("pre-tokenized")));
  EXPECT_THAT(Entry("rl: dpo\n" + OneEntry("    type: chat_template\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("rl: axolotl reads the datasets of this config as preference data")));
  EXPECT_THAT(Entry(OneEntry("    type: chat_template\n    shards: 10\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("shards: axolotl then reads part of the file")));
}

TEST(AxolotlDatasetTest, EntriesAreChosenByPathOrIndex) {
  const std::string config =
      "datasets:\n  - path: a.jsonl\n    type: alpaca\n  - path: b.jsonl\n    type: completion\n    field: body\n";
  Result<AxolotlDataset> b = Entry(config, "b.jsonl");
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->format, "jsonl");
  Result<AxolotlDataset> first = Entry(config, "0");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->format, "alpaca");
  EXPECT_THAT(Entry(config), StatusIs(StatusCode::kInvalidArgument,
                                      HasSubstr("datasets has 2 entries: name one by its path or index (0: a.jsonl, 1: b.jsonl)")));
  EXPECT_THAT(Entry(config, "c.jsonl"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("no dataset \"c.jsonl\"")));
  EXPECT_THAT(Entry(config, "2"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("no dataset \"2\"")));
}

TEST(AxolotlDatasetTest, AlpacaInputOutputAndCompletion) {
  Result<std::string> out = ReadAs("    type: alpaca\n", R"({"instruction":"Translate","input":"Hello","output":"Bonjour"})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"instruction":"Translate\nHello","input":"","output":"Bonjour"})" "\n");
  EXPECT_THAT(ReadAs("    type: alpaca\n", R"({"instruction":"T","output":"B","system":"S"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl's alpaca does not read \"system\"")));
  out = ReadAs("    type: input_output\n",
               R"({"segments":[{"label":false,"text":"<s>Q: 2+2?\n"},{"label":true,"text":"A: 4</s>"}]})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"segments":[{"label":false,"text":"<s>Q: 2+2?\n"},{"label":true,"text":"A: 4</s>"}]})" "\n");
  out = ReadAs("    type: completion\n    field: body\n", R"({"body":"Once upon a time."})");
  ASSERT_THAT(out, IsOk());
  EXPECT_EQ(*out, R"({"text":"Once upon a time."})" "\n");
  EXPECT_THAT(ReadAs("    type: completion\n    field: body\n", R"({"body":"a","text":"b"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("\"text\" is not the field of the text")));
}

TEST(AxolotlDatasetTest, HostileFilesGetAClearError) {
  EXPECT_THAT(Entry(std::string(100000, '[') + std::string(100000, ']')),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl.yml")));
  EXPECT_THAT(Entry("datasets: [\n  {path: a"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl.yml:")));
  EXPECT_THAT(Entry("\xff\xfe\x00junk"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl.yml")));
  EXPECT_THAT(Entry("- just\n- a list\n"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not an axolotl config")));
  // A name that is not UTF-8 would become a JSON key (found by the axolotl_config fuzz target).
  EXPECT_THAT(Entry(OneEntry("    type: chat_template\n    message_property_mappings:\n      role: from\n"
                             "      na\xc3g: train\n")),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("axolotl.yml:7:9: not valid UTF-8")));
  EXPECT_THAT(Entry("base_model: x\n"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("no datasets: list")));
  ::tunepack::testing::TempDir dir;
  const std::string path = (dir.path() / "axolotl.yml").string();
  std::ofstream(path) << OneEntry("    type: chat_template\n");
  EXPECT_THAT(LoadAxolotlDataset(path, "data.jsonl"), IsOk());
  EXPECT_THAT(LoadAxolotlDataset((dir.path() / "missing.yml").string(), ""), StatusIs(StatusCode::kNotFound, ::testing::_));
}

}  // namespace
}  // namespace tunepack::format
