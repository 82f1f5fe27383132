#include "tunepack/pipeline/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/unit_processor.h"
#include "tunepack/core/hash.h"
#include "tunepack/core/option_ref.h"
#include "tunepack/io/file.h"
#include "support/status_matchers.h"

namespace tunepack::pipeline {
namespace {

using ::testing::HasSubstr;
using tunepack::testing::StatusIs;

TEST(SplitsTest, ParsesNamesAndFractions) {
  auto splits = ParseSplits("train=0.9,validation=0.1");
  ASSERT_TRUE(splits.ok());
  ASSERT_EQ(splits->size(), 2u);
  EXPECT_EQ((*splits)[1].name, "validation");
  EXPECT_DOUBLE_EQ((*splits)[1].fraction, 0.1);
}

TEST(SplitsTest, RejectsBadSpecs) {
  EXPECT_THAT(ParseSplits("train=0.9"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("add up to 1")));
  EXPECT_THAT(ParseSplits("train"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("NAME=FRACTION")));
  EXPECT_THAT(ParseSplits("a=x,b=1"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("'x'")));
  EXPECT_THAT(ParseSplits("a=0.5,a=0.5"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("twice")));
}

TEST(SplitsTest, ChooseSplitFollowsFractionsAndIsDeterministic) {
  std::vector<SplitSpec> splits = {{"train", 0.9}, {"validation", 0.1}};
  size_t counts[2] = {0, 0};
  for (uint64_t i = 0; i < 20000; ++i) {
    ++counts[ChooseSplit(splits, Hash64(std::to_string(i)))];
  }
  EXPECT_NEAR(counts[1] / 20000.0, 0.1, 0.01);
  EXPECT_EQ(ChooseSplit(splits, Hash64("same")), ChooseSplit(splits, Hash64("same")));
  EXPECT_EQ(ChooseSplit(splits, 0), 0u);
  EXPECT_EQ(ChooseSplit(splits, UINT64_MAX), 1u);
}

TEST(ContentKeyTest, EqualContentEqualKey) {
  Example a, b;
  a.kind = b.kind = ExampleKind::kConversation;
  a.messages.resize(2);
  a.messages[0].content = "hi";
  a.messages[1].role = Role::kAssistant;
  a.messages[1].content = "hello";
  b.messages = a.messages;
  b.origin.source = "elsewhere.jsonl";
  EXPECT_EQ(ContentKey(a), ContentKey(b));
  b.messages[1].content = "hello!";
  EXPECT_NE(ContentKey(a), ContentKey(b));
}

TEST(CanonicalOptionsTest, LeavesOutRuntimeChoices) {
  auto a = ExportOptionsFromJson(R"({"inputs": ["in"], "output": "out"})");
  auto b = ExportOptionsFromJson(R"({"inputs": ["in"], "output": "elsewhere", "jobs": 7, "resume": true})");
  auto c = ExportOptionsFromJson(R"({"inputs": ["in"], "output": "out", "format": "openai"})");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*CanonicalOptionsJson(*a), *CanonicalOptionsJson(*b));
  EXPECT_NE(*CanonicalOptionsJson(*a), *CanonicalOptionsJson(*c));
  EXPECT_THAT(*CanonicalOptionsJson(*a), HasSubstr(R"("split":"train=1")"));
  EXPECT_THAT(*CanonicalOptionsJson(*a), HasSubstr(R"("dedup":"off")"));
}

TEST(CanonicalOptionsTest, RecordsTheContentOfOptionFiles) {
  const std::string path = ::testing::TempDir() + "/canonical_eval.txt";
  ASSERT_TRUE(io::WriteFileAtomic(path, "one evaluation text").ok());
  const std::string json = R"({"inputs": ["in"], "output": "out", "decontaminate": [")" + path + R"("]})";
  auto before = ExportOptionsFromJson(json);
  ASSERT_TRUE(before.ok());
  const std::string first = *CanonicalOptionsJson(*before);
  ASSERT_TRUE(io::WriteFileAtomic(path, "another evaluation text").ok());
  EXPECT_NE(first, *CanonicalOptionsJson(*before));
  EXPECT_THAT(first, HasSubstr("file_hashes"));
}

TEST(ExportOptionsFromJsonTest, RefusesWhatTheDeclarationsDoNotAllow) {
  EXPECT_THAT(ExportOptionsFromJson(R"({"inputs": ["in"], "output": "o", "dedup": "maybe"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("off, exact, near or both")));
  EXPECT_THAT(ExportOptionsFromJson(R"({"inputs": ["in"], "output": "o", "max_tokens": "ten"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("an integer")));
  EXPECT_THAT(ExportOptionsFromJson(R"({"inputs": ["in"], "output": "o", "colour": "red"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown option")));
  EXPECT_THAT(ExportOptionsFromJson(R"({"inputs": ["in"]})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("is required")));
  // Rules between options are the resolver's, with the option named neutrally.
  Result<ExportOptions> chunked = ExportOptionsFromJson(R"({"inputs": ["in"], "output": "o", "max_tokens": 5})");
  ASSERT_FALSE(chunked.ok());
  EXPECT_EQ(WordOptionRefs(chunked.error().message(), OptionStyle::kJson),
            "max_tokens needs tokenizer (e.g. cl100k_base)");
  EXPECT_EQ(WordOptionRefs(chunked.error().message(), OptionStyle::kCli),
            "--max-tokens needs --tokenizer (e.g. cl100k_base)");
  // progress is how a terminal shows the run: not an option a JSON caller sets.
  EXPECT_THAT(ExportOptionsFromJson(R"({"inputs": ["in"], "output": "o", "progress": "bar"})"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown option")));
}

TEST(ExportOptionsFromJsonTest, ResolvesTypedOptions) {
  auto o = ExportOptionsFromJson(R"({"inputs": ["a", "b"], "output": "o", "format": "openai",
      "tokenizer": "cl100k_base", "max_tokens": 512, "overlap": 0.25, "dedup": "near",
      "pii_kinds": ["email"], "redact_pii": true, "split": "train=0.9,validation=0.1"})");
  ASSERT_TRUE(o.ok()) << o.error().message();
  EXPECT_EQ(o->inputs.size(), 2u);
  EXPECT_EQ(o->output_format, "openai");
  EXPECT_TRUE(o->chunk);
  EXPECT_EQ(o->chunk_options.max_tokens, 512u);
  EXPECT_DOUBLE_EQ(o->chunk_options.overlap_fraction, 0.25);
  EXPECT_EQ(o->dedup, DedupMode::kNear);
  EXPECT_TRUE(o->steps.pii.enabled[0]);
  EXPECT_FALSE(o->steps.pii.enabled[1]);
  EXPECT_EQ(o->splits.size(), 2u);
}

TEST(EnumTableTest, ParsesNamesAndSaysWhatIsAllowed) {
  EXPECT_EQ(*kProgressModes.Parse("json"), ProgressMode::kJson);
  EXPECT_EQ(kProgressModes.Name(ProgressMode::kBar), "bar");
  EXPECT_THAT(kProgressModes.Parse("loud"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("must be auto, bar, json or none, not 'loud'")));
}

}  // namespace
}  // namespace tunepack::pipeline
