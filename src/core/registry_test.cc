#include "tunepack/core/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace tunepack {
namespace {

struct Entry {
  std::string name;
  int value = 0;
};

TEST(RegistryTest, FindsByNameAndRejectsDuplicates) {
  Registry<Entry> registry;
  EXPECT_THAT(registry.Add({"b", 1}), testing::IsOk());
  EXPECT_THAT(registry.Add({"a", 2}), testing::IsOk());
  EXPECT_THAT(registry.Add({"b", 3}),
              testing::StatusIs(StatusCode::kAlreadyExists, ::testing::HasSubstr("'b'")));
  ASSERT_NE(registry.Find("a"), nullptr);
  EXPECT_EQ(registry.Find("a")->value, 2);
  EXPECT_EQ(registry.Find("c"), nullptr);
  EXPECT_EQ(registry.Names(), "b, a");  // registration order
}

}  // namespace
}  // namespace tunepack
