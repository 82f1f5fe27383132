#include "tunepack/core/utf8.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace tunepack {
namespace {

using testing::StatusIs;

TEST(Utf8Test, FindsFirstInvalidByte) {
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough to use the fast path"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\x80"), 2u);          // overlong NUL
  EXPECT_EQ(FindInvalidUtf8("a\xED\xA0\x80"), 1u);       // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("a\xF4\x90\x80\x80"), 1u);   // past U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("0123456789\xE2\x82"), 10u);  // truncated at the end
}

TEST(Utf8Test, ReplaceUsesOneReplacementPerMaximalSubpart) {
  std::string out;
  // "\xE2\x82" is one truncated sequence (one U+FFFD); "\xFF" is another.
  auto report = RepairUtf8("a\xE2\x82" "b\xFF" "c", InvalidUtf8Policy::kReplace, &out);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(out, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c");
  EXPECT_EQ(report->invalid_sequences, 2u);
  EXPECT_EQ(report->first_invalid, 1u);
}

TEST(Utf8Test, SkipDropsAndFailRejects) {
  std::string out;
  ASSERT_TRUE(RepairUtf8("x\xC3y", InvalidUtf8Policy::kSkip, &out).ok());
  EXPECT_EQ(out, "xy");
  EXPECT_THAT(RepairUtf8("x\xC3y", InvalidUtf8Policy::kFail, &out),
              StatusIs(StatusCode::kDataLoss, ::testing::HasSubstr("byte 1")));
  EXPECT_THAT(ParseInvalidUtf8Policy("drop"), StatusIs(StatusCode::kInvalidArgument,
                                                       ::testing::HasSubstr("drop")));
}

TEST(Utf8Test, DecodeAndEncodeRoundTrip) {
  std::string text;
  for (char32_t cp : {U'a', U'\u00e9', U'\u20ac', U'\U0001F600'}) AppendUtf8(cp, text);
  size_t pos = 0;
  EXPECT_EQ(DecodeUtf8(text, pos), U'a');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u00e9');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\u20ac');
  EXPECT_EQ(DecodeUtf8(text, pos), U'\U0001F600');
  EXPECT_EQ(pos, text.size());
}

TEST(Utf8Test, PositionCountsLinesAndCodePoints) {
  std::string_view text = "ab\nc\xC3\xA9" "d";
  TextPosition p = PositionOf(text, text.find('d'));
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 3u);
}

}  // namespace
}  // namespace tunepack
