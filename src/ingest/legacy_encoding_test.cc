// Legacy encodings the detectors used to get wrong (issue 13): each short text decodes to
// its UTF-8 twin with no declared charset, as a bare .txt file would. The byte strings were
// made with Python's codecs (the same encoders bench/encoding/make_corpus.py uses).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "ingest/mojibake.h"
#include "support/status_matchers.h"
#include "tunepack/ingest/detect.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

struct LegacyCase {
  const char* label;
  std::string bytes;
  const char* expected;
  const char* encoding;
};

class LegacyEncodingTest : public ::testing::TestWithParam<LegacyCase> {};

TEST_P(LegacyEncodingTest, ShortTextDecodesToItsTwin) {
  const LegacyCase& c = GetParam();
  Result<DecodedText> decoded = DecodeToUtf8(c.bytes, InvalidUtf8Policy::kFail);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, c.expected);
  EXPECT_EQ(decoded->encoding, c.encoding);
  EXPECT_EQ(decoded->encoding_source, "detected");
}

INSTANTIATE_TEST_SUITE_P(
    Issue13, LegacyEncodingTest,
    ::testing::Values(
        // 7-bit, told by their escapes (they used to pass the UTF-8 check verbatim).
        LegacyCase{"iso2022_jp",
                   "\x1B$BF|K\\8l$N%F%-%9%H$rFI$_9~$_$^$9\x1B(B",
                   "日本語のテキストを読み込みます", "ISO-2022-JP"},
        LegacyCase{"iso2022_kr",
                   "\x1B$)C\x0E" "FD@O@;\x0F \x0E?-\x0F \x0E<v\x0F \x0E>x=@4O4Y\x0F \\n",
                   "파일을 열 수 없습니다 \\n", "ISO-2022-KR"},
        LegacyCase{"hz", "~{N^7(4r?*ND<~#:H(O^2;9;~}", "无法打开文件：权限不够", "HZ"},
        // Decoders ICU lacks (glibc iconv), ASCII kept as ASCII.
        LegacyCase{"johab",
                   "\xCC" "a\xB7\xA9\xB7i \xB5i \xAE\x81 \xB4\xF4\xAFs\x93\xA1\x94" "a C:\\tmp",
                   "파일을 열 수 없습니다 C:\\tmp", "JOHAB"},
        LegacyCase{"euc_jis_2004",
                   "\xBF\xB9\xFE\xE5\xB3\xB0\xA4\xCE\xBE\xAE\xC0\xE2\xA4\xF2\xC6\xC9\xA4\xE0",
                   "森鷗外の小説を読む", "EUC-JIS-2004"},
        LegacyCase{"shift_jis_2004",
                   "\x90X\xEF\xE3\x8AO\x82\xCC\x8F\xAC\x90\xE0\x82\xF0\x93\xC7\x82\xDE",
                   "森鷗外の小説を読む", "SHIFT_JIS-2004"},
        // Supersets and siblings of the detectors' answers.
        LegacyCase{"big5hkscs", "\xAE\xD1\xC5\xD2\xA4\xA4\xA8S\xA6\xB3\xB3]\xA9w\x8E\xC4\xB2\xD5",
                   "書籤中沒有設定羣組", "BIG5-HKSCS"},
        LegacyCase{"cp1254", "Dosya a\xE7\xFDlamad\xFD \x85 \x93izin\x94 yok",
                   "Dosya açılamadı … “izin” yok", "WINDOWS-1254"},
        // Code pages the detectors have no model for.
        LegacyCase{"cp737",
                   "\x83\x9C\xA4 \x9C\xE5\xA4\x98\xA0 \x9B\xAC\xA4\x98\xAB\xE6 \xAB\xA6 "
                   "\xE1\xA4\xA6\xA0\x9A\xA3\x98 \xAB\xA6\xAC \x98\xA8\xAE\x9C\xE5\xA6\xAC",
                   "Δεν είναι δυνατό το άνοιγμα του αρχείου", "IBM737"},
        LegacyCase{"koi8_u",
                   "\xEE\xC5 \xD7\xC4\xC1\xCC\xCF\xD3\xD1 \xD7\xA6\xC4\xCB\xD2\xC9\xD4\xC9 "
                   "\xC6\xC1\xCA\xCC: \xC4\xCF\xD3\xD4\xD5\xD0 \xDA\xC1\xC2\xCF\xD2\xCF\xCE\xC5\xCE\xCF",
                   "Не вдалося відкрити файл: доступ заборонено", "KOI8-U"}),
    [](const ::testing::TestParamInfo<LegacyCase>& info) { return std::string(info.param.label); });

TEST(LegacyEncodingTest, TildeBracesInAsciiAreNotHz) {
  // "~{" in a shell script is not a shift into GB 2312.
  const std::string script = "echo ${HOME}~{a,b}~} done\n";
  Result<DecodedText> decoded = DecodeToUtf8(script, InvalidUtf8Policy::kFail);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, script);
  EXPECT_EQ(decoded->encoding, "UTF-8");
}

TEST(LegacyEncodingTest, ColouredTerminalLogIsNotIso2022) {
  // tput sgr0 writes ESC ( B ESC [ m: an ASCII designation, not ISO-2022-JP text.
  const std::string log = "\x1B[31merror\x1B(B\x1B[m: C:\\tmp not found\n";
  Result<DecodedText> decoded = DecodeToUtf8(log, InvalidUtf8Policy::kFail);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, log);
  EXPECT_EQ(decoded->encoding, "UTF-8");
}

TEST(LegacyEncodingTest, DeclaredJohabDecodesThroughIconvAndReportsInvalidBytes) {
  // 0xFF is no Johab lead byte.
  const std::string bytes = "ok\n\xFF \xCC" "a";
  Result<DecodedText> replaced = DecodeToUtf8(bytes, InvalidUtf8Policy::kReplace, "johab");
  ASSERT_THAT(replaced, IsOk());
  EXPECT_EQ(replaced->encoding, "JOHAB");
  EXPECT_EQ(replaced->text, "ok\n\xEF\xBF\xBD 파");
  EXPECT_EQ(replaced->invalid_sequences, 1u);
  EXPECT_EQ(replaced->first_invalid, 3u);
  EXPECT_THAT(DecodeToUtf8(bytes, InvalidUtf8Policy::kFail, "johab"),
              StatusIs(StatusCode::kDataLoss,
                       HasSubstr("JOHAB byte sequence at line 2, column 1 (byte 3)")));
}

TEST(MojibakeScoreTest, CleanTextHasNoMarksAndMojibakeHas) {
  using internal::ScoreMojibake;
  EXPECT_EQ(ScoreMojibake("Dosya açılamadı … “izin” yok, l’été, «¡Hola!»").symptoms, 0);
  EXPECT_EQ(ScoreMojibake("日本語のテキスト、読み込み。파일을 열 수 없습니다").symptoms, 0);
  EXPECT_GT(ScoreMojibake("Ìa·©·i µi ® ´ô¯s“").Rate(), 0.2);      // Johab read as Windows-1252
  EXPECT_GT(ScoreMojibake("Не вдалося в╕дкрити").symptoms, 0);     // KOI8-U read as KOI8-R
  EXPECT_GT(ScoreMojibake("dowi\xC2\x9A" "zaniem").symptoms, 0);   // a C1 control
  EXPECT_GT(ScoreMojibake("宑规阿窍狼 汲沥 颇老").symptoms, 0);      // rare Han: Korean as GBK
}

}  // namespace
}  // namespace tunepack::ingest
