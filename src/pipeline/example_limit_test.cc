#include "pipeline/example_limit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tunepack::pipeline {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<ExampleLimit> Limit(uint64_t max_tokens, OverlongPolicy policy) {
  ExportOptions options;
  options.tokenizer = "cl100k_base";
  options.max_example_tokens = max_tokens;
  options.on_overlong = policy;
  auto limit = ExampleLimit::Create(options, *tokenize::LoadTokenizer("cl100k_base"));
  EXPECT_TRUE(limit.has_value());
  return std::move(*limit);
}

Message Turn(Role role, std::string content) {
  Message m;
  m.role = role;
  m.content = std::move(content);
  return m;
}

TEST(ExampleLimitTest, NoLimitNoObject) {
  auto limit = ExampleLimit::Create(ExportOptions{}, nullptr);
  ASSERT_TRUE(limit.has_value());
  EXPECT_EQ(*limit, nullptr);
}

TEST(ExampleLimitTest, TruncatedConversationKeepsLeadingTurnsWithinTheLimit) {
  auto limit = Limit(40, OverlongPolicy::kTruncate);
  Example e;
  e.kind = ExampleKind::kConversation;
  e.messages = {Turn(Role::kUser, "Tell me about queues."),
                Turn(Role::kAssistant, std::string(400, 'a') + " queues hold tasks until a worker takes them"),
                Turn(Role::kUser, "And retries?"),
                Turn(Role::kAssistant, "They back off.")};
  ASSERT_GT(*limit->Count(e), 40u);
  ASSERT_TRUE(limit->Truncate(e).ok());
  EXPECT_LE(*limit->Count(e), 40u);
  EXPECT_GE(*limit->Count(e), 35u);  // cut at the limit, not far before it
  ASSERT_EQ(e.messages.size(), 2u);  // the later turns no longer fit
  EXPECT_EQ(e.messages[0].content, "Tell me about queues.");
  EXPECT_EQ(e.messages[1].role, Role::kAssistant);
  EXPECT_FALSE(e.messages[1].content.empty());
}

TEST(ExampleLimitTest, TruncationThatLeavesNoAnswerIsRefused) {
  auto limit = Limit(10, OverlongPolicy::kTruncate);
  Example e;
  e.kind = ExampleKind::kConversation;
  e.messages = {Turn(Role::kUser, std::string(200, 'q') + " question"), Turn(Role::kAssistant, "Answer.")};
  Status status = limit->Truncate(e);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("no assistant answer"));
}

TEST(ExampleLimitTest, SplitPolicyHasASplitter) {
  EXPECT_NE(Limit(50, OverlongPolicy::kSplit)->splitter(), nullptr);
  EXPECT_EQ(Limit(50, OverlongPolicy::kDrop)->splitter(), nullptr);
}

}  // namespace
}  // namespace tunepack::pipeline
