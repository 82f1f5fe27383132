#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"
#include "tokenize/hf/hf_tokenizer.h"

namespace tunepack::tokenize::hf {
namespace {

using testing::IsOk;

TEST(HfTokenizerTest, Placeholder) { EXPECT_TRUE(true); }

}  // namespace
}  // namespace tunepack::tokenize::hf
