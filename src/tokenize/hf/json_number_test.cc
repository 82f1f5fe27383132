#include "tokenize/hf/json_number.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "support/status_matchers.h"

namespace tunepack::tokenize::hf {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

// Returns the parsed value of `text`, or NaN (which equals nothing) after a failure.
double Parse(std::string_view text) {
  auto value = ParseHfJsonNumber(text);
  EXPECT_THAT(value, IsOk()) << text;
  return value.ok() ? *value : std::nan("");
}

TEST(HfJsonNumberTest, ExactValuesAreExact) {
  EXPECT_EQ(Parse("0"), 0.0);
  EXPECT_EQ(Parse("-30"), -30.0);
  EXPECT_EQ(Parse("0.0"), 0.0);
  EXPECT_EQ(Parse("-6.5"), -6.5);
  EXPECT_EQ(Parse("-75e-1"), -7.5);
  EXPECT_EQ(Parse("-1.5E+1"), -15.0);
  EXPECT_EQ(Parse("25e1"), 250.0);
  EXPECT_TRUE(std::signbit(Parse("-0")));
}

TEST(HfJsonNumberTest, UpToFifteenDigitsAreTheNearestDouble) {
  // The significand and the power of ten are both exact: one rounding, like strtod.
  EXPECT_EQ(Parse("-6.81693576203276"), -6.81693576203276);
  EXPECT_EQ(Parse("0.1"), 0.1);
}

TEST(HfJsonNumberTest, SixteenOrMoreDigitsRoundTwice) {
  // 9034096149460707 is above 2^53, so it is rounded before the division by 1e15 and the
  // quotient lands next to the nearest double (-9.034096149460707 itself); the 17 digits of
  // -7.2858326893384895 round twice too and happen to land on the nearest.
  EXPECT_EQ(Parse("-9.034096149460707"), -9.034096149460709);
  EXPECT_EQ(Parse("-7.2858326893384895"), -7.2858326893384895);
  // Digits past those that fit in 64 bits are dropped, not rounded: the nearest doubles are
  // -9.034400376143653 and 1.2345678901234569e23.
  EXPECT_EQ(Parse("-9.034400376143653705656"), -9.034400376143655);
  EXPECT_EQ(Parse("123456789012345678901234"), 1.2345678901234567e23);
}

TEST(HfJsonNumberTest, NonNumbersAndOverflowAreErrors) {
  for (const char* text : {"", "-", "01", "1.", ".5", "1e", "1e+", "--1", "1x", "NaN", "\"1\""}) {
    EXPECT_THAT(ParseHfJsonNumber(text), StatusIs(StatusCode::kInvalidArgument, HasSubstr("not a JSON number")))
        << text;
  }
  EXPECT_THAT(ParseHfJsonNumber("1e309"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("out of range")));
  EXPECT_THAT(ParseHfJsonNumber("1e99999999999"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("out of range")));
  EXPECT_EQ(Parse("1e-99999999999"), 0.0);
  EXPECT_EQ(Parse("1e-400"), 0.0);
}

}  // namespace
}  // namespace tunepack::tokenize::hf
