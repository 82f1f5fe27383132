// stats.json and report.html measured while the export writes (export_stats.h) must be the
// bytes reading the written files back gives (WriteExportReport, the oracle here), for every
// output format, option and thread count, and for a resumed export.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/export_report.h"
#include "pipeline/file_hash.h"
#include "support/temp_dir.h"
#include "tunepack/pipeline/export.h"
#include "tp_test_paths.h"

namespace tunepack::pipeline {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;
using Json = nlohmann::json;

// Counts the records written.
class CountWrites : public EventSubscriber {
 public:
  void OnEvent(const Event& event) override { written += event.kind == EventKind::kRecordWritten; }
  uint64_t written = 0;
};
using NoEvents = CountWrites;

// Cancels the run at its `after`-th written record; what was submitted is still written
// and covered by a checkpoint, so --resume continues from there.
class CancelAfter : public EventSubscriber {
 public:
  CancelAfter(CancelToken& token, int after) : token_(token), left_(after) {}
  void OnEvent(const Event& event) override {
    if (event.kind == EventKind::kRecordWritten && --left_ == 0) token_.Cancel();
  }

 private:
  CancelToken& token_;
  int left_;
};

const char* const kEnglish[] = {
    "The river flows quietly past the old mill, and the children watch the ducks from the bridge.",
    "Please explain how the engine converts fuel into motion, step by step, with a short example.",
    "A good recipe lists every ingredient first and then describes each step in the right order."};
const char* const kFrench[] = {
    "La rivière coule doucement près du vieux moulin et les enfants regardent les canards du pont.",
    "Expliquez comment le moteur transforme le carburant en mouvement, étape par étape, s'il vous plaît."};

std::string Sentence(int i) {
  return i % 5 == 4 ? kFrench[i % 2] : kEnglish[i % 3];
}

// ShareGPT conversations of varied lengths and languages, with duplicates, a system turn
// now and then, a record no format takes and a malformed line.
std::string Conversations(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    Json turns = Json::array();
    if (i % 7 == 0) turns.push_back({{"from", "system"}, {"value", "Be brief. é ü 中文 " + std::to_string(i % 3)}});
    for (int t = 0; t <= i % 3; ++t) {
      turns.push_back({{"from", "human"}, {"value", Sentence(i + t) + " (" + std::to_string(i % 40) + ")"}});
      std::string answer;
      for (int k = 0; k <= (i * 7 + t) % 9; ++k) answer += Sentence(i + k) + " ";
      // Every character JSON escapes, short forms and \u00XX alike.
      if (i % 11 == 3) answer += "\"Quoted\", a back\\slash, a\ttab, a bell\x07, a\r\nbreak and \x1f.";
      turns.push_back({{"from", "gpt"}, {"value", answer}});
    }
    out += Json({{"conversations", turns}}).dump() + "\n";
  }
  out += "{\"conversations\": [\n";
  out += Json({{"conversations", Json::array()}}).dump() + "\n";
  return out;
}

// Text documents for the plain-file formats and the quality filter: words drawn from a
// small vocabulary (deterministically), so that most pass the Gopher rules and some do not.
std::string Texts(int n) {
  static const char* const kWords[] = {
      "the", "and", "of", "to", "with", "that", "river", "engine", "recipe", "children", "garden", "morning",
      "quietly", "explains", "careful", "bridge", "market", "window", "season", "harvest", "village", "teacher",
      "written", "history", "between", "number", "simple", "question", "answer", "because", "while", "travel",
      "mountain", "evening", "library", "picture", "example", "journey", "kitchen", "weather"};
  uint64_t state = 12345;
  auto next = [&](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  std::string out;
  for (int i = 0; i < n; ++i) {
    std::string text;
    const uint64_t words = i % 13 == 0 ? 8 : 60 + next(240);
    for (uint64_t w = 0; w < words; ++w) {
      text += kWords[next(sizeof kWords / sizeof *kWords)];
      text += w % 11 == 10 ? (w % 3 ? ".\n\n" : ". ") : " ";
    }
    if (i % 5 == 4) text += kFrench[i % 2];
    out += Json({{"text", text + "."}}).dump() + "\n";
  }
  return out;
}

std::string Preferences(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    Json record = {{"prompt", {{{"role", "user"}, {"content", Sentence(i) + " " + std::to_string(i % 30)}}}},
                   {"chosen", {{{"role", "assistant"}, {"content", Sentence(i + 1) + Sentence(i + 2)}}}},
                   {"rejected", {{{"role", "assistant"}, {"content", i % 9 == 0 ? Sentence(i + 1) + Sentence(i + 2)
                                                                               : Sentence(i + 3)}}}}};
    out += record.dump() + "\n";
  }
  return out;
}

// OpenAI records, every third with a tool schema written bare (no "type": "function", which
// the openai writer adds) and a tool call: those are measured read back, the others in hand.
std::string ToolConversations(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    Json messages = {{{"role", "user"}, {"content", Sentence(i) + " " + std::to_string(i % 17)}}};
    Json record;
    if (i % 3 == 0) {
      messages.push_back(Json::parse(R"({"role": "assistant", "tool_calls": [{"id": "c1", "type": "function",
          "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]})"));
      messages.push_back(Json::parse(R"({"role": "tool", "tool_call_id": "c1", "content": "sunny, 21 degrees"})"));
      record["tools"] = Json::parse(R"([{"name": "get_weather", "description": "The weather in a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}])");
    }
    messages.push_back({{"role", "assistant"}, {"content", Sentence(i + 1)}});
    record["messages"] = messages;
    out += record.dump() + "\n";
  }
  return out;
}

struct Case {
  std::string name;
  std::string input;     ///< "conversations", "texts", "preferences" or "tools"
  std::string options;   ///< JSON members added to the options
  bool read_back = false;  ///< the report is read back (not measurable while writing)
};

// Names the case in test listings.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class ExportStatsTest : public ::testing::TestWithParam<Case> {
 protected:
  // Each corpus as 12 files, each one task or more: a cancellation lands between tasks.
  void SetUp() override {
    WriteParts("conversations", Conversations(420));
    WriteParts("texts", Texts(260));
    WriteParts("preferences", Preferences(150));
    WriteParts("tools", ToolConversations(90));
  }

  void WriteParts(const std::string& name, const std::string& lines) {
    std::vector<std::string> parts(12);
    size_t line = 0;
    for (size_t begin = 0, end; begin < lines.size(); begin = end + 1, ++line) {
      end = lines.find('\n', begin);
      parts[std::min(parts.size() - 1, line * parts.size() / CountLines(lines))] += lines.substr(begin, end - begin + 1);
    }
    std::filesystem::create_directories(tmp_ / name);
    for (size_t i = 0; i < parts.size(); ++i) {
      WriteFile(tmp_ / name / ("part-" + std::to_string(10 + i) + ".jsonl"), parts[i]);
    }
  }

  static size_t CountLines(const std::string& lines) { return std::count(lines.begin(), lines.end(), '\n'); }

  Result<ExportOptions> Options(const std::string& out, int jobs, bool resume) {
    const std::string json = R"({"inputs": [")" + (tmp_ / GetParam().input).string() +
                             R"("], "output": ")" + (tmp_ / out).string() + R"(", "jobs": )" +
                             std::to_string(jobs) + (resume ? R"(, "resume": true)" : "") + ", " +
                             GetParam().options + "}";
    return ExportOptionsFromJson(json);
  }

  // Returns stats.json + report.html of `out`, checking first that reading its files back
  // gives the same bytes.
  std::string ReportMatchingReadBack(const std::string& out, const ExportOptions& options,
                                     const ExportSummary& summary) {
    const std::string stats = ReadFile(tmp_ / out / kStatsFile);
    const std::string html = ReadFile(tmp_ / out / kReportFile);
    auto format = format::BindFormat(options.output_format, options.format_params);
    EXPECT_TRUE(format.has_value());
    std::shared_ptr<const tokenize::Tokenizer> tokenizer;
    if (!options.tokenizer.empty()) tokenizer = *tokenize::LoadTokenizer(options.tokenizer);
    const Status read_back = WriteExportReport(options, (tmp_ / out).string(), **format, tokenizer, summary.outputs,
                                               ReadFile(tmp_ / out / "manifest.json"));
    EXPECT_TRUE(read_back.ok()) << read_back.message();
    EXPECT_EQ(stats, ReadFile(tmp_ / out / kStatsFile)) << out;
    EXPECT_EQ(html, ReadFile(tmp_ / out / kReportFile)) << out;
    return stats + html;
  }

  TempDir tmp_;
};

TEST_P(ExportStatsTest, MeasuredWhileWritingEqualsReadingTheFilesBackAtAnyThreadCount) {
  std::string first;
  for (int jobs : {1, 2, 3}) {
    const std::string out = "out-j" + std::to_string(jobs);
    Result<ExportOptions> options = Options(out, jobs, false);
    ASSERT_TRUE(options.has_value()) << options.error().message();
    NoEvents events;
    Result<ExportSummary> summary = RunExport(*options, events);
    ASSERT_TRUE(summary.has_value()) << summary.error().message();
    EXPECT_EQ(summary->report_read_back, GetParam().read_back);
    EXPECT_GT(summary->examples_written, 0u);
    const std::string report = ReportMatchingReadBack(out, *options, *summary);
    if (first.empty()) first = report;
    EXPECT_EQ(report, first) << "-j " << jobs;
  }
}

TEST_P(ExportStatsTest, ResumedExportCountsWhatTheInterruptedRunWrote) {
  Result<ExportOptions> whole = Options("whole", 2, false);
  ASSERT_TRUE(whole.has_value()) << whole.error().message();
  NoEvents events;
  Result<ExportSummary> reference = RunExport(*whole, events);
  ASSERT_TRUE(reference.has_value()) << reference.error().message();

  Result<ExportOptions> first = Options("resumed", 2, false);
  ASSERT_TRUE(first.has_value());
  CancelToken token;
  CancelAfter cancel(token, 10);
  Result<ExportSummary> interrupted = RunExport(*first, cancel, &token);
  ASSERT_FALSE(interrupted.has_value());
  ASSERT_EQ(interrupted.error().code(), StatusCode::kCancelled);
  Result<ExportOptions> again = Options("resumed", 2, true);
  ASSERT_TRUE(again.has_value());
  CountWrites resumed_writes;
  Result<ExportSummary> resumed = RunExport(*again, resumed_writes);
  ASSERT_TRUE(resumed.has_value()) << resumed.error().message();
  // Both runs wrote part of the output.
  EXPECT_GT(resumed_writes.written, 0u);
  EXPECT_LT(resumed_writes.written, reference->examples_written);
  EXPECT_EQ(ReportMatchingReadBack("resumed", *again, *resumed), ReportMatchingReadBack("whole", *whole, *reference));
  // The data files' hashes, taken as they are written (a resumed file's prefix read first),
  // are those of the files.
  const Json outputs = Json::parse(ReadFile(tmp_ / "resumed" / "manifest.json"))["outputs"];
  EXPECT_EQ(outputs, Json::parse(ReadFile(tmp_ / "whole" / "manifest.json"))["outputs"]);
  for (const Json& file : outputs) {
    Result<Hash128> hash = HashFile((tmp_ / "resumed" / file["path"].get<std::string>()).string());
    ASSERT_TRUE(hash.has_value());
    EXPECT_EQ(file["xxh3_128"], hash->Hex()) << file["path"];
  }
}

const std::string kTokens = R"("tokenizer": "cl100k_base", )";
const std::string kSplits = R"("split": "train=0.6,validation=0.25,test=0.15", "max_records_per_file": 37, )";
const std::string kScores = R"("detect_language": true, "quality_filter": true, "with_metadata": true, )";

INSTANTIATE_TEST_SUITE_P(
    Formats, ExportStatsTest,
    ::testing::Values(
        Case{"openai", "conversations", kTokens + kSplits + R"("dedup": "exact", "detect_language": true, "with_metadata": true, "format": "openai")"},
        // Tool schemas the writer rewrites: their examples are read back, not measured in hand.
        Case{"openai_tools", "tools", kTokens + R"("format": "openai")"},
        Case{"sharegpt", "conversations", kSplits + R"("detect_language": true, "with_metadata": true, "format": "sharegpt")"},
        Case{"chatml", "conversations", kTokens + R"("format": "chatml")"},
        Case{"alpaca", "conversations", kTokens + kSplits + R"("format": "alpaca")"},
        Case{"jsonl", "texts", kTokens + kSplits + kScores + R"("format": "jsonl")"},
        // Scores in the examples' metadata but not written: none count, as none read back.
        Case{"jsonl_scores_not_written", "texts", kTokens + R"("detect_language": true, "quality_filter": true, "format": "jsonl")"},
        Case{"text", "texts", kTokens + kSplits + R"("quality_filter": true, "format": "text")"},
        Case{"markdown", "texts", kSplits + R"("dedup": "both", "format": "markdown")"},
        Case{"trl_preference", "preferences", kTokens + kSplits + R"("format": "trl-preference")"},
        Case{"openai_dpo", "preferences", kTokens + R"("format": "openai-dpo")"},
        Case{"chat_template", "conversations",
             kTokens + kSplits + R"("format": "chat-template", "model": ")" TP_SOURCE_DIR R"(/tests/data/chat-model")"},
        // Without token ids its records are {"text": ...} alone, measured without a parse.
        Case{"chat_template_text", "conversations",
             kSplits + R"("format": "chat-template", "model": ")" TP_SOURCE_DIR R"(/tests/data/chat-model")"},
        Case{"chat_template_preference", "preferences",
             kTokens + R"("format": "chat-template", "model": ")" TP_SOURCE_DIR R"(/tests/data/chat-model")"},
        // --layout hf measures its records in the pass that writes the shards.
        Case{"hf_layout", "texts", kTokens + kSplits + kScores + R"("layout": "hf", "format": "jsonl")"},
        Case{"hf_layout_openai", "conversations", kTokens + kSplits + R"("layout": "hf", "format": "openai")"},
        Case{"hf_layout_chat_template", "conversations",
             kTokens + kSplits + R"("layout": "hf", "format": "chat-template", "model": ")" TP_SOURCE_DIR R"(/tests/data/chat-model")"},
        // Its shards read back as the template's read_as format, its JSON Lines as TRL's
        // preference format: the shards are read back.
        Case{"hf_layout_chat_template_preference", "preferences",
             kTokens + R"("layout": "hf", "format": "chat-template", "model": ")" TP_SOURCE_DIR R"(/tests/data/chat-model")",
             true}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace tunepack::pipeline
