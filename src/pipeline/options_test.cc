#include "tunepack/pipeline/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/unit_processor.h"
#include "tunepack/core/hash.h"
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
  a.messages = {Message{Role::kUser, "hi"}, Message{Role::kAssistant, "hello"}};
  b.messages = a.messages;
  b.origin.source = "elsewhere.jsonl";
  EXPECT_EQ(ContentKey(a), ContentKey(b));
  b.messages[1].content = "hello!";
  EXPECT_NE(ContentKey(a), ContentKey(b));
}

TEST(CanonicalOptionsTest, LeavesOutRuntimeChoices) {
  ExportOptions a;
  a.inputs = {"in"};
  ExportOptions b = a;
  b.jobs = 7;
  b.resume = true;
  b.progress = ProgressMode::kJson;
  EXPECT_EQ(CanonicalOptionsJson(a), CanonicalOptionsJson(b));
  b.output_format = "openai";
  EXPECT_NE(CanonicalOptionsJson(a), CanonicalOptionsJson(b));
  EXPECT_THAT(CanonicalOptionsJson(a), HasSubstr(R"("split":{"train":1.0)"));
}

TEST(ProgressModeTest, Parses) {
  EXPECT_EQ(*ParseProgressMode("json"), ProgressMode::kJson);
  EXPECT_THAT(ParseProgressMode("loud"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("loud")));
}

}  // namespace
}  // namespace tunepack::pipeline
