#include "tunepack/report/dataset_stats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "tunepack/report/example_tokens.h"
#include "tunepack/report/dataset_reader.h"
#include "tunepack/report/file_stats.h"

namespace tunepack::report {
namespace {

std::shared_ptr<const tokenize::Tokenizer> Cl100k() {
  auto tokenizer = tokenize::LoadTokenizer("cl100k_base");
  EXPECT_TRUE(tokenizer.has_value());
  return *tokenizer;
}

uint64_t Tokens(std::string_view text) { return *Cl100k()->Count(text, {}); }

Example Conversation(std::vector<std::pair<Role, std::string>> turns) {
  Example e;
  e.kind = ExampleKind::kConversation;
  for (auto& [role, content] : turns) {
    Message m;
    m.role = role;
    m.content = std::move(content);
    e.messages.push_back(std::move(m));
  }
  return e;
}

// Characters are Unicode code points, counted sixty-four, sixteen and eight bytes at a time:
// every length and every offset of a multi-byte character must count as one byte at a time
// would, also past the 4032 bytes after which the byte counters are summed.
TEST(StatsCollectorTest, CharactersAreCodePointsAtEveryLengthAndOffset) {
  const std::string pieces[] = {"a", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", " "};
  std::vector<size_t> lengths;
  for (size_t length = 0; length < 40; ++length) lengths.push_back(length);
  for (size_t length : {1630, 1631, 1632, 4000, 4001}) lengths.push_back(length);
  for (size_t length : lengths) {
    for (size_t start = 0; start < 5; ++start) {
      std::string text;
      uint64_t code_points = 0;
      for (size_t i = 0; i < length; ++i, ++code_points) text += pieces[(start + i * 3) % 5];
      StatsCollector collector(StatsOptions{});
      Example e;
      e.text = text;
      ASSERT_TRUE(collector.Add(e).ok());
      EXPECT_EQ(std::move(collector).Finish().characters, code_points) << length << " " << start;
    }
  }
}

TEST(ExampleTokensTest, CountsContentsAndToolCallsByRole) {
  Example e = Conversation({{Role::kSystem, "Be terse."}, {Role::kUser, "Weather in Paris?"}});
  Message call;
  call.role = Role::kAssistant;
  call.has_content = false;
  call.tool_calls.push_back({"c1", "get_weather", "{\"city\":\"Paris\"}"});
  e.messages.push_back(call);
  e.tools = "[{\"type\":\"function\"}]";
  auto tokens = CountExampleTokens(*Cl100k(), e);
  ASSERT_TRUE(tokens.has_value());
  EXPECT_EQ(tokens->by_role["system"], Tokens("Be terse."));
  EXPECT_EQ(tokens->by_role["user"], Tokens("Weather in Paris?"));
  EXPECT_EQ(tokens->by_role["assistant"], Tokens("get_weather") + Tokens("{\"city\":\"Paris\"}"));
  EXPECT_EQ(tokens->by_role["tools"], Tokens(e.tools));
  EXPECT_EQ(tokens->total, tokens->by_role["system"] + tokens->by_role["user"] +
                               tokens->by_role["assistant"] + tokens->by_role["tools"]);
}

TEST(ExampleTokensTest, SpecialTokenStringsCountAsText) {
  Example e;
  e.text = "<|endoftext|>";
  auto tokens = CountExampleTokens(*Cl100k(), e);
  ASSERT_TRUE(tokens.has_value());
  EXPECT_GT(tokens->total, 1u);  // as the special token it would be exactly 1
}

// The language's confidence (metadata "language_score", written by --detect-language) is
// summarised per language in stats.json.
TEST(StatsCollectorTest, SummarisesLanguageScoresPerLanguage) {
  StatsCollector collector(StatsOptions{});
  collector.BeginFile("a.jsonl", "text");
  for (const char* score : {"0.99", "0.75"}) {
    Example text;
    text.text = "Bonjour à tous.";
    text.metadata.SetString("language", "fr");
    text.metadata.SetJson("language_score", score);
    ASSERT_TRUE(collector.Add(text).ok());
  }
  Example without_score;
  without_score.text = "Hello.";
  without_score.metadata.SetString("language", "en");
  ASSERT_TRUE(collector.Add(without_score).ok());
  DatasetStats stats = std::move(collector).Finish();
  EXPECT_EQ(stats.languages["fr"], 2u);
  EXPECT_EQ(stats.language_scores["fr"].count, 2u);
  EXPECT_DOUBLE_EQ(stats.language_scores["fr"].min, 0.75);
  EXPECT_DOUBLE_EQ(stats.language_scores["fr"].max, 0.99);
  EXPECT_EQ(stats.language_scores.count("en"), 0u);
}

TEST(StatsCollectorTest, CountsRecordsCharactersTurnsAndMetadata) {
  StatsOptions options;
  options.tokenizer = Cl100k();
  options.max_tokens = 5;
  StatsCollector collector(options);
  collector.BeginFile("a.jsonl", "openai");
  Example short_chat = Conversation({{Role::kUser, "héllo"}, {Role::kAssistant, "hi"}});
  short_chat.metadata.SetString("language", "en");
  Example text;
  text.text = "A longer text that is certainly more than five tokens long.";
  text.metadata.SetJson("language", R"({"code":"fr","percent":97})");
  text.metadata.SetJson("quality", R"({"words":12,"alpha_words":0.5})");
  Example text2 = text;
  text2.metadata.SetJson("quality", R"({"words":4,"alpha_words":1})");
  ASSERT_TRUE(collector.Add(short_chat).ok());
  ASSERT_TRUE(collector.Add(text).ok());
  ASSERT_TRUE(collector.Add(text2).ok());
  collector.AddUnreadable();
  DatasetStats stats = std::move(collector).Finish();
  EXPECT_EQ(stats.records, 3u);
  EXPECT_EQ(stats.conversations, 1u);
  EXPECT_EQ(stats.texts, 2u);
  EXPECT_EQ(stats.unreadable, 1u);
  EXPECT_EQ(stats.files[0].records, 3u);
  EXPECT_EQ(stats.files[0].unreadable, 1u);
  EXPECT_EQ(stats.characters, 5u + 2u + 2 * text.text.size());  // é is one character
  EXPECT_EQ(stats.turns.max(), 2u);
  const uint64_t text_tokens = Tokens(text.text);
  EXPECT_EQ(stats.tokens.sum(), Tokens("héllo") + Tokens("hi") + 2 * text_tokens);
  EXPECT_EQ(stats.tokens_by_role["text"], 2 * text_tokens);
  EXPECT_EQ(stats.tokens.CountAbove(5), 2u);
  EXPECT_EQ(stats.languages["en"], 1u);
  EXPECT_EQ(stats.languages["fr"], 2u);
  EXPECT_EQ(stats.quality_records, 2u);
  EXPECT_EQ(stats.quality["words"].min, 4);
  EXPECT_EQ(stats.quality["words"].max, 12);
  EXPECT_DOUBLE_EQ(stats.quality["alpha_words"].mean(), 0.75);
}

TEST(StatsCollectorTest, CostBillsOpenAisCountUpToTheLimitTimesEpochs) {
  StatsOptions options;
  options.tokenizer = Cl100k();
  options.max_tokens = 20;
  options.epochs = 3;
  options.price_per_million = 8.0;
  StatsCollector collector(options);
  const Example short_chat = Conversation({{Role::kUser, "Hi"}, {Role::kAssistant, "Hello there"}});
  const Example long_chat = Conversation({{Role::kUser, std::string(200, 'x') + " long question"}, {Role::kAssistant, "ok"}});
  ASSERT_TRUE(collector.Add(short_chat).ok());
  ASSERT_TRUE(collector.Add(long_chat).ok());
  const DatasetStats stats = std::move(collector).Finish();
  // 3 per message, its role ("user" and "assistant" are one token each in cl100k) and
  // content, 3 for the reply.
  const uint64_t short_billed = 3 + 1 + Tokens("Hi") + 3 + 1 + Tokens("Hello there") + 3;
  EXPECT_EQ(stats.billed_per_example.min(), short_billed);
  EXPECT_GT(stats.billed_per_example.max(), 20u);
  EXPECT_EQ(stats.over_billing_cap, 1u);
  EXPECT_EQ(stats.billed_per_epoch, std::min<uint64_t>(short_billed, 20) + 20);
  EXPECT_EQ(stats.BilledTokens(), stats.billed_per_epoch * 3);
  EXPECT_FALSE(stats.default_epochs);
  EXPECT_DOUBLE_EQ(*stats.EstimatedCost(), static_cast<double>(stats.BilledTokens()) / 1e6 * 8.0);
  EXPECT_EQ(stats.missing_system, 2u);
  EXPECT_EQ(stats.missing_user, 0u);
}

TEST(StatsCollectorTest, NamedMessagesCostTheirNameAndOne) {
  StatsOptions options;
  options.tokenizer = Cl100k();
  StatsCollector collector(options);
  Example chat = Conversation({{Role::kUser, "Hi"}, {Role::kAssistant, "Hello"}});
  chat.messages[0].name = "alice_smith";
  ASSERT_TRUE(collector.Add(chat).ok());
  const DatasetStats stats = std::move(collector).Finish();
  EXPECT_EQ(stats.billed_per_example.max(), 3 + 1 + Tokens("Hi") + 1 + Tokens("alice_smith") + 3 + 1 + Tokens("Hello") + 3);
  EXPECT_EQ(stats.billing_cap, kOpenAiTokensPerExample);
  // No --epochs: OpenAI's default for one example.
  EXPECT_TRUE(stats.default_epochs);
  EXPECT_EQ(stats.epochs, 25u);
}

TEST(OpenAiDefaultEpochsTest, FollowsTheNotebooksRule) {
  EXPECT_EQ(OpenAiDefaultEpochs(1), 25u);     // 100 / 1 = 100, at most 25
  EXPECT_EQ(OpenAiDefaultEpochs(10), 10u);    // 30 < 100: 100 / 10
  EXPECT_EQ(OpenAiDefaultEpochs(33), 3u);     // 99 < 100: 100 / 33 = 3
  EXPECT_EQ(OpenAiDefaultEpochs(34), 3u);
  EXPECT_EQ(OpenAiDefaultEpochs(8333), 3u);   // 24,999
  EXPECT_EQ(OpenAiDefaultEpochs(8334), 2u);   // 25,002 > 25,000: 25,000 / 8,334
  EXPECT_EQ(OpenAiDefaultEpochs(30000), 1u);  // 25,000 / 30,000 = 0, at least 1
}

TEST(ManifestCountsTest, ReadsTheLedgerAndDuplicates) {
  auto counts = ParseManifestCounts(R"({"counts":{"inputs":10,"written":6,"rejected":4,
      "rejected_by_reason":{"duplicate":2,"near_duplicate":1,"too_long":1},
      "examples_written":6,"examples_rejected":4}})");
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->inputs, 10u);
  EXPECT_EQ(counts->rejected, 4u);
  EXPECT_EQ(counts->duplicates(), 3u);
  EXPECT_EQ(counts->rejected_by_reason.at("too_long"), 1u);
  EXPECT_FALSE(ParseManifestCounts("{\"tool\":1}").has_value());
}

TEST(FileStatsTest, ReadsEachFileInItsDetectedFormatAndCountsBadLines) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "chat.jsonl",
                     "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}\n"
                     "\n"
                     "{\"messages\": [\n"
                     "{\"messages\":[{\"role\":\"user\",\"content\":\"Yo\"},{\"role\":\"assistant\",\"content\":\"Hey\"},"
                     "{\"role\":\"user\",\"content\":\"Bye\"}]}\n");
  testing::WriteFile(tmp / "notes.txt", "First document.\n");
  auto stats = ComputeFileStats({(tmp / "chat.jsonl").string(), (tmp / "notes.txt").string()},
                                nullptr, StatsOptions{});
  ASSERT_TRUE(stats.has_value()) << stats.error().message();
  ASSERT_EQ(stats->files.size(), 2u);
  EXPECT_EQ(stats->files[0].format, "openai");
  EXPECT_EQ(stats->files[0].records, 2u);
  EXPECT_EQ(stats->files[0].unreadable, 1u);
  EXPECT_EQ(stats->files[1].format, "text");
  EXPECT_EQ(stats->conversations, 2u);
  EXPECT_EQ(stats->texts, 1u);
  EXPECT_EQ(stats->turns.min(), 2u);
  EXPECT_EQ(stats->turns.max(), 3u);
  EXPECT_TRUE(stats->tokenizer.empty());
}

TEST(FileStatsTest, MissingFileIsNotFound) {
  auto stats = ComputeFileStats({"/nonexistent/x.jsonl"}, nullptr, StatsOptions{});
  ASSERT_FALSE(stats.has_value());
  EXPECT_EQ(stats.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(stats.error().message(), ::testing::HasSubstr("x.jsonl: cannot open: No such file or directory"));
}

// A file that opens but cannot be read (/proc/self/mem has nothing mapped at offset 0) used
// to count as an empty file of 0 records; now its read error is the result, as JSON Lines
// and as a plain-file format read block by block.
TEST(FileStatsTest, ReadFailureIsAnErrorNotAnEmptyFile) {
  for (const format::Format* forced : {static_cast<const format::Format*>(nullptr), *format::FindFormat("text")}) {
    auto stats = ComputeFileStats({"/proc/self/mem"}, forced, StatsOptions{});
    ASSERT_FALSE(stats.has_value());
    EXPECT_THAT(stats.error().message(), ::testing::HasSubstr("/proc/self/mem: cannot read: Input/output error"));
  }
}

}  // namespace
}  // namespace tunepack::report

namespace tunepack::report {
namespace {

// Reading a separated plain file record by record must give what splitting the whole file
// gives: same examples, same lines, also for records that straddle the 1 MiB read blocks.
class SeparatedFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SeparatedFileTest, StreamingEqualsWholeFileSplit) {
  const format::Format& format = **format::FindFormat(GetParam());
  std::string file;
  for (int i = 0; i < 60; ++i) {
    Example e;
    e.text = "Record " + std::to_string(i) + "\nsecond line\n" + std::string(i * 7919 % 120000, 'x');
    if (i) file += format.separator;
    ASSERT_TRUE(format.write(e, {}, file).ok());
  }
  ASSERT_GT(file.size(), 2u << 20);
  testing::TempDir tmp;
  const std::string path = (tmp / ("data" + format.extension)).string();
  testing::WriteFile(path, file);
  std::vector<std::pair<std::string, uint64_t>> expected, actual;
  ASSERT_TRUE(format.split(file, [&](Example&& e, uint64_t line) { expected.emplace_back(e.text, line); }).ok());
  DatasetVisitor visitor;
  visitor.on_example = [&](const Example& e, uint64_t line) {
    actual.emplace_back(e.text, line);
    return Status::Ok();
  };
  visitor.on_unreadable = [](uint64_t, const std::string& message) { return InternalError(message); };
  ASSERT_TRUE(ReadDataset(path, nullptr, visitor).ok());
  ASSERT_EQ(actual.size(), 60u);
  EXPECT_TRUE(actual == expected);
}

INSTANTIATE_TEST_SUITE_P(Formats, SeparatedFileTest, ::testing::Values("text", "markdown"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace tunepack::report
