#include "tokenize/claude/nfkc_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <utf8proc.h>

#include <chrono>
#include <cstdlib>
#include <string>

namespace tunepack::tokenize {
namespace {

// NFKC of the whole text by utf8proc, the reference the segment-wise result must equal.
std::string WholeNfkc(const std::string& text) {
  utf8proc_uint8_t* out = utf8proc_NFKC(reinterpret_cast<const utf8proc_uint8_t*>(text.c_str()));
  std::string result(reinterpret_cast<const char*>(out));
  std::free(out);
  return result;
}

TEST(NfkcTextTest, AsciiIsUnchanged) {
  NfkcText text;
  text.Assign("plain ASCII text");
  EXPECT_TRUE(text.unchanged());
  EXPECT_EQ(text.text(), "plain ASCII text");
  EXPECT_EQ(text.OriginalBegin(6), 6u);
  EXPECT_EQ(text.OriginalEnd(11), 11u);
}

TEST(NfkcTextTest, IsAsciiLooksAtEveryByte) {
  EXPECT_TRUE(NfkcText::IsAscii(""));
  const std::string ascii = "seventeen bytes!!";  // two 8-byte words and a tail
  EXPECT_TRUE(NfkcText::IsAscii(ascii));
  for (const size_t at : {0, 7, 8, 15, 16}) {
    std::string text = ascii;
    text[at] = '\xC3';
    EXPECT_FALSE(NfkcText::IsAscii(text)) << at;
  }
}

TEST(NfkcTextTest, EqualsWholeTextNormalisation) {
  const std::string cases[] = {
      "e\xCC\x81t\xC3\xA9",                       // e + U+0301, then precomposed é
      "\xEF\xAC\x81nd \xE2\x85\xA8 \xC2\xBD",     // ﬁnd Ⅸ ½
      "\xE1\x84\x80\xE1\x85\xA1\xE1\x86\xA8",     // Hangul L V T jamo -> one syllable
      "\xEA\xB0\x80\xE1\x86\xA8",                 // syllable GA + trailing jamo -> GAG
      "\xE3\x81\x8B\xEF\xBE\x9E",                 // か + halfwidth voiced mark -> が
      "a\xCC\xA3\xCC\x87 q\xCC\x87\xCC\xA3",      // marks reordered by combining class
      "\xE0\xAD\x87\xE0\xAC\xBE",                 // Oriya vowel signs compose (U+0B4B)
      "\xEF\xBC\xA8\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F",  // fullwidth Hello
      "\xCC\x81 leading mark",
      "x\xE2\x80\x8Dy \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB",   // ZWJ sequences
  };
  for (const std::string& input : cases) {
    NfkcText text;
    text.Assign(input);
    EXPECT_EQ(std::string(text.text()), WholeNfkc(input)) << input;
  }
}

std::string Utf8(utf8proc_int32_t cp) {
  utf8proc_uint8_t bytes[4];
  const utf8proc_ssize_t length = utf8proc_encode_char(cp, bytes);
  return std::string(reinterpret_cast<const char*>(bytes), static_cast<size_t>(length));
}

TEST(NfkcTextTest, EqualsWholeTextNormalisationAroundEveryCodePointNfkcTouches) {
  // Every code point that NFKC can change, reorder or compose (a decomposition, a non-zero
  // combining class, a place in a composition pair, Hangul jamo), put where a wrong segment
  // boundary would show: after a starter, before a combining mark, doubled, after Hangul
  // jamo and syllables, before a kana voicing mark.
  size_t checked = 0;
  NfkcText text;
  for (utf8proc_int32_t cp = 0xA0; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    // utf8proc 2.8's whole-text NFKC (the reference here) wrongly composes an LV syllable
    // with U+11A7, which is not a trailing consonant (T index 0), and drops it; NfkcText
    // keeps it, as Unicode, ICU and node do ("가\u11A7" stays two characters).
    if (cp == 0x11A7) continue;
    const utf8proc_property_t* property = utf8proc_get_property(cp);
    const bool hangul = (cp >= 0x1100 && cp < 0x1200) || (cp >= 0xAC00 && cp < 0xD7A4);
    if (property->combining_class == 0 && property->comb_index == 0xFFFF &&
        property->decomp_seqindex == 0xFFFF && !hangul) {
      continue;
    }
    const std::string c = Utf8(cp);
    for (const std::string& input :
         {"a" + c, c + "\xCC\x81", c + c, "\xE1\x84\x80" + c, "\xEA\xB0\x80" + c,
          c + "\xE3\x82\x99", "e" + c + "\xCC\xA3\xCC\x81"}) {
      text.Assign(input);
      EXPECT_EQ(std::string(text.text()), WholeNfkc(input)) << "U+" << std::hex << cp;
      ++checked;
    }
  }
  EXPECT_GT(checked, 50000u);
}

TEST(NfkcTextTest, MapsTokensBackToTheCharactersTheyCameFrom) {
  // "xﬁy": NFKC gives "xfiy"; the ligature (input bytes 1-4) became "fi" (output 1-3).
  NfkcText text;
  text.Assign("x\xEF\xAC\x81y");
  ASSERT_EQ(text.text(), "xfiy");
  EXPECT_EQ(text.OriginalBegin(0), 0u);
  EXPECT_EQ(text.OriginalEnd(1), 1u);
  // A token "fi" covers the ligature exactly.
  EXPECT_EQ(text.OriginalBegin(1), 1u);
  EXPECT_EQ(text.OriginalEnd(3), 4u);
  // A boundary inside the ligature's output widens to the whole ligature on both sides.
  EXPECT_EQ(text.OriginalEnd(2), 4u);
  EXPECT_EQ(text.OriginalBegin(2), 1u);
  EXPECT_EQ(text.OriginalBegin(3), 4u);
  EXPECT_EQ(text.OriginalEnd(4), 5u);
}

TEST(NfkcTextTest, MapsVerbatimTextAfterAChangeByteForByte) {
  // "½ Привет": only the first character changes (to "1⁄2", 5 bytes for 2).
  NfkcText text;
  const std::string input = "\xC2\xBD \xD0\x9F\xD1\x80\xD0\xB8";
  text.Assign(input);
  const std::string output(text.text());
  ASSERT_EQ(output, "1\xE2\x81\x84" "2 \xD0\x9F\xD1\x80\xD0\xB8");
  const uint32_t space = static_cast<uint32_t>(output.find(' '));
  EXPECT_EQ(text.OriginalBegin(space), 2u);
  EXPECT_EQ(text.OriginalBegin(space + 1), 3u);
  EXPECT_EQ(text.OriginalEnd(static_cast<uint32_t>(output.size())), input.size());
  EXPECT_EQ(text.OriginalEnd(space), 2u);
}

TEST(NfkcTextTest, KeepsBytesThatAreNotUtf8) {
  NfkcText text;
  text.Assign("a\xFF\xEF\xAC\x81");
  EXPECT_EQ(text.text(), "a\xFF" "fi");
  EXPECT_EQ(text.OriginalBegin(1), 1u);
  EXPECT_EQ(text.OriginalEnd(2), 2u);
}

TEST(NfkcTextTest, LongRunOfCombiningMarksStaysFast) {
  // One segment of 200 K marks after a letter: normalised once, not per mark.
  std::string input = "a";
  for (int index = 0; index < 200000; ++index) input += "\xCC\x81";
  const auto start = std::chrono::steady_clock::now();
  NfkcText text;
  text.Assign(input);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(std::string(text.text()), WholeNfkc(input));
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace tunepack::tokenize
