#include "server/auth.h"

#include <gtest/gtest.h>

namespace tunepack::server {
namespace {

TEST(TokenMatchesTest, AcceptsOnlyTheExactToken) {
  EXPECT_TRUE(TokenMatches("s3cret", "s3cret"));
  EXPECT_FALSE(TokenMatches("s3cret", "s3creT"));
  EXPECT_FALSE(TokenMatches("s3cret", "s3cre"));
  EXPECT_FALSE(TokenMatches("s3cret", "s3crett"));
  EXPECT_FALSE(TokenMatches("s3cret", ""));
  // An empty expected token never matches: a server without a token must not open up.
  EXPECT_FALSE(TokenMatches("", ""));
}

TEST(BearerTokenTest, ReadsTheSchemeCaseInsensitively) {
  EXPECT_EQ(BearerToken("Bearer abc").value_or(""), "abc");
  EXPECT_EQ(BearerToken("bearer  abc ").value_or(""), "abc");
  EXPECT_EQ(BearerToken("BEARER abc").value_or(""), "abc");
  EXPECT_FALSE(BearerToken("Basic abc").has_value());
  EXPECT_FALSE(BearerToken("Bearer").has_value());
  EXPECT_FALSE(BearerToken("Bearer    ").has_value());
  EXPECT_FALSE(BearerToken("abc").has_value());
}

TEST(RandomHexTest, GivesFreshHexDigits) {
  const std::optional<std::string> a = RandomHex(16), b = RandomHex(16);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace tunepack::server
