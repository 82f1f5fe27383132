#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/param_name.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "tunepack/ingest/detect.h"
#include "tp_test_paths.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::ReadFile;
using ::tunepack::testing::StatusIs;

std::string Fixture(const std::string& name) {
  const std::filesystem::path path =
      std::filesystem::path(TP_SOURCE_DIR) / "tests/data/ingest" / name;
  EXPECT_TRUE(std::filesystem::exists(path)) << path;
  return ReadFile(path);
}

struct EncodingCase {
  const char* file;
  const char* expected_file;
  const char* encoding;
  const char* source;
};

class DecodeFixtureTest : public ::testing::TestWithParam<EncodingCase> {};

TEST_P(DecodeFixtureTest, RoundTripsToTheOriginalUtf8) {
  const EncodingCase& c = GetParam();
  Result<DecodedText> decoded = DecodeToUtf8(Fixture(c.file), InvalidUtf8Policy::kFail);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, Fixture(c.expected_file));
  EXPECT_EQ(decoded->encoding, c.encoding);
  EXPECT_EQ(decoded->encoding_source, c.source);
  EXPECT_EQ(decoded->invalid_sequences, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, DecodeFixtureTest,
    ::testing::Values(
        EncodingCase{"utf8_bom.txt", "expected_latin.txt", "UTF-8", "bom"},
        EncodingCase{"utf16le_bom.txt", "expected_latin.txt", "UTF-16LE", "bom"},
        EncodingCase{"utf16be_bom.txt", "expected_ja.txt", "UTF-16BE", "bom"},
        EncodingCase{"utf16le_nobom.txt", "expected_latin.txt", "UTF-16LE", "detected"},
        EncodingCase{"expected_ja.txt", "expected_ja.txt", "UTF-8", "utf8-valid"},
        EncodingCase{"cp1252.txt", "expected_latin.txt", "WINDOWS-1252", "detected"},
        EncodingCase{"shift_jis.txt", "expected_ja.txt", "SHIFT_JIS", "detected"},
        EncodingCase{"gb18030.txt", "expected_zh.txt", "GB18030", "detected"}),
    [](const ::testing::TestParamInfo<EncodingCase>& info) { return testing::ParamName(info.param.file); });

TEST(DecodeToUtf8Test, AsciiIsUtf8) {
  Result<DecodedText> decoded = DecodeToUtf8("plain ascii\n", InvalidUtf8Policy::kFail);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, "plain ascii\n");
  EXPECT_EQ(decoded->encoding, "UTF-8");
  EXPECT_EQ(decoded->encoding_source, "utf8-valid");
  EXPECT_THAT(DecodeToUtf8("", InvalidUtf8Policy::kFail), IsOk());
}

TEST(DecodeToUtf8Test, DeclaredCharsetWinsOverDetection) {
  // "Men\xFA" is valid Windows-1252 and ISO-8859-2 alike; the declaration decides.
  Result<DecodedText> decoded =
      DecodeToUtf8("Men\xFA \xE8", InvalidUtf8Policy::kFail, "iso-8859-2");
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->encoding, "ISO-8859-2");
  EXPECT_EQ(decoded->encoding_source, "declared");
  EXPECT_EQ(decoded->text, "Men\xC3\xBA \xC4\x8D");  // ú č
}

TEST(DecodeToUtf8Test, Latin1LabelMeansWindows1252) {
  // WHATWG: the iso-8859-1 label decodes 0x80 as the euro sign.
  Result<DecodedText> decoded = DecodeToUtf8("\x80 5", InvalidUtf8Policy::kFail, "ISO-8859-1");
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->encoding, "WINDOWS-1252");
  EXPECT_EQ(decoded->text, "\xE2\x82\xAC 5");
}

TEST(DecodeToUtf8Test, UnknownDeclaredCharsetIsIgnored) {
  Result<DecodedText> decoded =
      DecodeToUtf8("caf\xC3\xA9", InvalidUtf8Policy::kFail, "no-such-charset");
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, "caf\xC3\xA9");
  EXPECT_EQ(decoded->encoding_source, "utf8-valid");
}

TEST(DecodeToUtf8Test, DeclaredUtf16InAsciiMetaMeansUtf8) {
  Result<DecodedText> decoded = DecodeToUtf8("caf\xC3\xA9", InvalidUtf8Policy::kFail, "utf-16");
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->encoding, "UTF-8");
  EXPECT_EQ(decoded->encoding_source, "declared");
}

TEST(DecodeToUtf8Test, MostlyUtf8WithABadByteFollowsThePolicy) {
  const std::string bytes = "h\xC3\xA9llo\nw\xC3\xB6r\xFFld\n";
  Result<DecodedText> replaced = DecodeToUtf8(bytes, InvalidUtf8Policy::kReplace);
  ASSERT_THAT(replaced, IsOk());
  EXPECT_EQ(replaced->text, "h\xC3\xA9llo\nw\xC3\xB6r\xEF\xBF\xBDld\n");
  EXPECT_EQ(replaced->encoding, "UTF-8");
  EXPECT_EQ(replaced->invalid_sequences, 1u);
  EXPECT_EQ(replaced->first_invalid, 11u);

  Result<DecodedText> skipped = DecodeToUtf8(bytes, InvalidUtf8Policy::kSkip);
  ASSERT_THAT(skipped, IsOk());
  EXPECT_EQ(skipped->text, "h\xC3\xA9llo\nw\xC3\xB6rld\n");

  EXPECT_THAT(DecodeToUtf8(bytes, InvalidUtf8Policy::kFail),
              StatusIs(StatusCode::kDataLoss, HasSubstr("line 2, column 4 (byte 11)")));
}

TEST(DecodeToUtf8Test, InvalidSequenceAfterUtf8BomFailsWithPosition) {
  EXPECT_THAT(DecodeToUtf8("\xEF\xBB\xBFok\n\xC3", InvalidUtf8Policy::kFail),
              StatusIs(StatusCode::kDataLoss, HasSubstr("line 2, column 1 (byte 6)")));
}

TEST(DecodeToUtf8Test, InvalidShiftJisSequenceFollowsThePolicy) {
  // 0x82 is a Shift_JIS lead byte; a space cannot follow it.
  const std::string bytes = "ab\n\x82 x";
  Result<DecodedText> replaced = DecodeToUtf8(bytes, InvalidUtf8Policy::kReplace, "shift_jis");
  ASSERT_THAT(replaced, IsOk());
  EXPECT_EQ(replaced->invalid_sequences, 1u);
  EXPECT_EQ(replaced->first_invalid, 3u);
  EXPECT_THAT(replaced->text, HasSubstr("\xEF\xBF\xBD"));
  EXPECT_THAT(DecodeToUtf8(bytes, InvalidUtf8Policy::kFail, "shift_jis"),
              StatusIs(StatusCode::kDataLoss, HasSubstr("SHIFT_JIS byte sequence at line 2, column 1")));
}

TEST(DecodeToUtf8Test, AsciiUtf16WithoutBomIsNotTakenForUtf8) {
  // Pure ASCII in UTF-16 is valid UTF-8 byte for byte (with a NUL after every character):
  // UTF-16 JSONL without a BOM was read so, and every line was malformed.
  const std::string le("{\0\"\0a\0\"\0:\0\x31\0}\0\n\0", 16);
  auto decoded = DecodeToUtf8(le, InvalidUtf8Policy::kFail);
  ASSERT_TRUE(decoded.ok()) << decoded.error().ToString();
  EXPECT_EQ(decoded->text, "{\"a\":1}\n");
  EXPECT_EQ(decoded->encoding, "UTF-16LE");
  const std::string be("\0{\0\"\0a\0\"\0:\0\x31\0}\0\n", 16);
  decoded = DecodeToUtf8(be, InvalidUtf8Policy::kFail);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->text, "{\"a\":1}\n");
  EXPECT_EQ(decoded->encoding, "UTF-16BE");
}

TEST(DecodeToUtf8Test, LoneSurrogateInUtf16IsInvalid) {
  // "a", a lone high surrogate, "b" in UTF-16LE with a BOM.
  const std::string bytes("\xFF\xFE" "a\0" "\x00\xD8" "b\0", 8);
  Result<DecodedText> decoded = DecodeToUtf8(bytes, InvalidUtf8Policy::kReplace);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, "a\xEF\xBF\xBD" "b");
}

TEST(DecodeToUtf8Test, UndefinedWindows1252BytesBecomeC1Controls) {
  Result<DecodedText> decoded = DecodeToUtf8("a\x81z", InvalidUtf8Policy::kFail, "windows-1252");
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, "a\xC2\x81z");
  EXPECT_EQ(decoded->invalid_sequences, 0u);
}

TEST(DecodeToUtf8Test, ShortLatinTextFallsBackOrDetectsASingleByteCharset) {
  Result<DecodedText> decoded = DecodeToUtf8("caf\xE9", InvalidUtf8Policy::kFail);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->text, "caf\xC3\xA9");
}

TEST(FindDeclaredCharsetTest, FindsMetaAndXmlDeclarations) {
  EXPECT_EQ(FindDeclaredCharset("<html><head><meta charset=\"Shift_JIS\"></head>"), "shift_jis");
  EXPECT_EQ(FindDeclaredCharset("<META HTTP-EQUIV=\"Content-Type\" "
                                "CONTENT=\"text/html; charset=windows-1251\">"),
            "windows-1251");
  EXPECT_EQ(FindDeclaredCharset("<meta charset = 'utf-8' >"), "utf-8");
  EXPECT_EQ(FindDeclaredCharset("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><html/>"),
            "iso-8859-1");
  EXPECT_EQ(FindDeclaredCharset("<html><meta name=\"viewport\"><p>charset=x</p>"), "");
  EXPECT_EQ(FindDeclaredCharset("<meta charset"), "");
  // Declarations past the first 4 KiB are not looked for.
  EXPECT_EQ(FindDeclaredCharset(std::string(5000, ' ') + "<meta charset=\"koi8-r\">"), "");
}

}  // namespace
}  // namespace tunepack::ingest
