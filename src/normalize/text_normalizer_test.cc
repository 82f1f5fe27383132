#include "tunepack/normalize/normalizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include <utf8proc.h>

#include "support/status_matchers.h"
#include "tunepack/core/utf8.h"

namespace tunepack::normalize {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::StatusIs;

// Returns options with only the step `enable` switched on.
NormalizeOptions Only(void (*enable)(NormalizeOptions&)) {
  NormalizeOptions options = NormalizeOptions::None();
  enable(options);
  return options;
}

TEST(ParseUnicodeFormTest, AcceptsTheThreeNames) {
  EXPECT_EQ(*ParseUnicodeForm("nfc"), UnicodeForm::kNfc);
  EXPECT_EQ(*ParseUnicodeForm("nfkc"), UnicodeForm::kNfkc);
  EXPECT_EQ(*ParseUnicodeForm("none"), UnicodeForm::kNone);
  EXPECT_THAT(ParseUnicodeForm("nfd"), StatusIs(StatusCode::kInvalidArgument, HasSubstr("nfd")));
  EXPECT_EQ(UnicodeFormName(UnicodeForm::kNfkc), "nfkc");
}

TEST(NormalizeTest, AsciiTextThatNeedsNothingIsUnchanged) {
  const std::string text = "Hello, world.\n\nSecond paragraph\twith a tab.\n";
  EXPECT_EQ(Normalize(text, {}), text);
}

TEST(NormalizeTest, NoneOptionsLeaveEverythingAlone) {
  const std::string text = "e\xCC\x81 \r\n\r\n\r\n\x01\xEF\xBB\xBFx  ";
  EXPECT_EQ(Normalize(text, NormalizeOptions::None()), text);
}

TEST(NormalizeTest, NfcComposesCombiningMarks) {
  // "e" + COMBINING ACUTE ACCENT becomes U+00E9.
  const auto nfc = Only([](NormalizeOptions& o) { o.form = UnicodeForm::kNfc; });
  EXPECT_EQ(Normalize("Cafe\xCC\x81", nfc), "Caf\xC3\xA9");
  // NFC keeps compatibility characters: the fi ligature and full-width A stay.
  EXPECT_EQ(Normalize("\xEF\xAC\x81 \xEF\xBC\xA1", nfc), "\xEF\xAC\x81 \xEF\xBC\xA1");
}

TEST(NormalizeTest, NfkcFoldsCompatibilityCharacters) {
  const auto nfkc = Only([](NormalizeOptions& o) { o.form = UnicodeForm::kNfkc; });
  EXPECT_EQ(Normalize("\xEF\xAC\x81 \xEF\xBC\xA1 \xC2\xBD", nfkc),
            "fi A 1\xE2\x81\x84" "2");
}

TEST(NormalizeTest, NfkcNbspAtLineEndIsTrimmedByDefaults) {
  NormalizeOptions options;
  options.form = UnicodeForm::kNfkc;
  EXPECT_EQ(Normalize("a\xC2\xA0\nb", options), "a\nb");
}

TEST(NormalizeTest, NewlinesStep) {
  const auto on = Only([](NormalizeOptions& o) { o.newlines = true; });
  EXPECT_EQ(Normalize("a\r\nb\rc\n", on), "a\nb\nc\n");
  EXPECT_EQ(Normalize("a\r\n", NormalizeOptions::None()), "a\r\n");
}

TEST(NormalizeTest, NewlinesOffKeepsCarriageReturnEvenWhenRemovingControls) {
  const auto controls = Only([](NormalizeOptions& o) { o.control_chars = true; });
  EXPECT_EQ(Normalize("a\r\nb\x07", controls), "a\r\nb");
}

TEST(NormalizeTest, ControlCharactersStep) {
  const auto on = Only([](NormalizeOptions& o) { o.control_chars = true; });
  // C0 (NUL, BEL, ESC, DEL), C1 (U+0085, U+009F) and U+FEFF go; tab and newline stay.
  EXPECT_EQ(Normalize(std::string("a\0b\x07\x1B\x7F\tc\n", 9) + "\xC2\x85\xC2\x9F" "d\xEF\xBB\xBF" "e",
                      on),
            "ab\tc\nde");
  // ZWJ and ZWNJ are content (emoji sequences, Persian, Indic scripts).
  const std::string zwj = "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB \xE2\x80\x8C";
  EXPECT_EQ(Normalize(zwj, on), zwj);
  // U+00A0 (C2 A0) is not a C1 control.
  EXPECT_EQ(Normalize("a\xC2\xA0" "b", on), "a\xC2\xA0" "b");
  EXPECT_EQ(Normalize("a\x07", NormalizeOptions::None()), "a\x07");
}

TEST(NormalizeTest, TrailingSpacesStep) {
  const auto on = Only([](NormalizeOptions& o) { o.trailing_spaces = true; });
  EXPECT_EQ(Normalize("a \t \nb\t\n  c  ", on), "a\nb\n  c");
  EXPECT_EQ(Normalize("a  \n", NormalizeOptions::None()), "a  \n");
}

TEST(NormalizeTest, BlankLinesStep) {
  const auto on = Only([](NormalizeOptions& o) { o.blank_lines = true; });
  EXPECT_EQ(Normalize("a\n\n\n\n\nb\n\nc\n", on), "a\n\nb\n\nc\n");
  EXPECT_EQ(Normalize("\n\n\na", on), "\na");
  // Without trimming, a line of spaces is not blank.
  EXPECT_EQ(Normalize("a\n  \n\n\nb", on), "a\n  \n\nb");
  EXPECT_EQ(Normalize("a\n\n\nb", NormalizeOptions::None()), "a\n\n\nb");
}

TEST(NormalizeTest, DefaultsCombineSteps) {
  // CRLF blank lines with trailing spaces collapse after conversion and trimming.
  EXPECT_EQ(Normalize("Title  \r\n \r\n\r\n\r\nCafe\xCC\x81\x0C\r\n", {}),
            "Title\n\nCaf\xC3\xA9\n");
}

TEST(NormalizeTest, InvalidUtf8IsRepairedNotDropped) {
  EXPECT_EQ(Normalize("ok \xFF" "e\xCC\x81", {}), "ok \xEF\xBF\xBD\xC3\xA9");
}

TEST(NormalizeTest, IsIdempotent) {
  const std::string text = "  x\r\n\r\n\r\n\xEF\xAC\x81\xC2\x85 \t\n\n\ny  ";
  for (UnicodeForm form : {UnicodeForm::kNfc, UnicodeForm::kNfkc}) {
    NormalizeOptions options;
    options.form = form;
    const std::string once = Normalize(text, options);
    EXPECT_EQ(Normalize(once, options), once);
  }
}

TEST(NormalizeTest, LongRepetitiveInputStaysLinear) {
  const std::string text(1 << 20, '\n');
  EXPECT_EQ(Normalize(text, {}), "\n");
  const std::string spaces = std::string(1 << 20, ' ') + "x";
  EXPECT_EQ(Normalize(spaces, {}), spaces);
}

// Returns the NFC of `text` straight from utf8proc, bypassing tunepack's fast path.
std::string NormalizeText(const std::string& text) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                          static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                                          static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::string out(reinterpret_cast<const char*>(mapped), n < 0 ? 0 : static_cast<size_t>(n));
  std::free(mapped);
  return out;
}

TEST(NormalizeTest, NfcInertCodePointsAreStableUnderNfc) {
  // The NFC fast path skips lines made only of inert code points. Check that claim against
  // utf8proc: each inert code point has combining class 0 and is its own NFC, and none is
  // the last code point of any canonical decomposition, which is where the second character
  // of every canonical composition ends up (so no two inert ones compose).
  std::set<char32_t> seconds;
  for (char32_t cp = 0; cp < 0x30000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    utf8proc_int32_t decomposed[8];
    int boundclass = 0;
    const utf8proc_ssize_t n = utf8proc_decompose_char(
        static_cast<utf8proc_int32_t>(cp), decomposed, 8, UTF8PROC_DECOMPOSE, &boundclass);
    if (n > 1) seconds.insert(static_cast<char32_t>(decomposed[n - 1]));
  }
  ASSERT_TRUE(seconds.count(0x0301));  // the check sees real compositions (e + U+0301)
  ASSERT_TRUE(seconds.count(0x0338));  // and '<' + U+0338
  for (char32_t cp = 0; cp < 0x30000; ++cp) {
    if (!IsNfcInert(cp)) continue;
    std::string one;
    AppendUtf8(cp, one);
    ASSERT_EQ(NormalizeText(one), one) << std::hex << static_cast<uint32_t>(cp);
    ASSERT_EQ(utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->combining_class, 0)
        << std::hex << static_cast<uint32_t>(cp);
    ASSERT_FALSE(seconds.count(cp)) << std::hex << static_cast<uint32_t>(cp);
  }
}

TEST(NormalizeTest, LineByLineNfcEqualsWholeTextNfc) {
  // Decomposed accents, a mark after a newline, '<' + U+0338 (composes to U+226E), Hangul
  // L+V+T jamo, kana + voicing mark, and inert lines around them.
  const std::string text =
      "cafe\u0301 plain\n\u0301 leading mark\nx <\u0338 y\n\u1100\u1161\u11A8\n"
      "\u304B\u3099 \u6771\u4EAC\n\u00E9t\u00E9 already composed\n";
  NormalizeOptions nfc_only = NormalizeOptions::None();
  nfc_only.form = UnicodeForm::kNfc;
  const std::string expected =
      "caf\u00E9 plain\n\u0301 leading mark\nx \u226E y\n\uAC01\n\u304C \u6771\u4EAC\n"
      "\u00E9t\u00E9 already composed\n";
  EXPECT_EQ(Normalize(text, nfc_only), expected);
}

// Issue 8: code in documents is never changed beyond line endings.
TEST(NormalizeExceptTest, CodeRangesOnlyGetLineEndings) {
  const std::string nfd = "e\xCC\x81";
  const std::string text = "Caf" + nfd + "  \n\n\n\n```\nx  \n\n\n\n" + nfd + "\x01\n```\n\n\n\ny";
  const size_t begin = text.find("x  ");
  const size_t end = text.find("```", begin);
  EXPECT_EQ(NormalizeExcept(text, {{begin, end}}, {}),
            "Caf\xC3\xA9\n\n```\nx  \n\n\n\n" + nfd + "\x01\n```\n\ny");
  // CR line endings inside code still become LF.
  EXPECT_EQ(NormalizeExcept("x\n  a  \r\n\r\n\r\n  b\ny", {{2, 16}}, {}), "x\n  a  \n\n\n  b\ny");
  // Spaces before a range that starts mid-line are not a line end.
  EXPECT_EQ(NormalizeExcept("use  `x` here  \n", {{6, 7}}, {}), "use  `x` here\n");
  // The line break after a range ending mid-line is that line's, not a blank line.
  EXPECT_EQ(NormalizeExcept("    code\n\n\n\nend", {{0, 8}}, {}), "    code\n\nend");
  EXPECT_EQ(NormalizeExcept("no ranges  \n\n\n", {}, {}), Normalize("no ranges  \n\n\n", {}));
}

}  // namespace
}  // namespace tunepack::normalize
