// Media references between formats: OpenAI image_url content parts and LLaMA-Factory's
// "<image>" placeholders with an "images" list are the same example, each way.
#include "tunepack/format/media.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "tunepack/format/unread_fields.h"
#include "support/status_matchers.h"

namespace tunepack::format {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using namespace ::tunepack::format::testing;  // NOLINT: test helpers

constexpr std::string_view kOpenAiWithImages =
    R"({"messages":[{"role":"user","content":[{"type":"text","text":"Compare "},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},{"type":"text","text":" and "},{"type":"image_url","image_url":{"url":"img/b.jpg"}}]},{"role":"assistant","content":"The first is brighter."}]})";
constexpr std::string_view kShareGptWithImages =
    R"({"conversations":[{"from":"human","value":"Compare <image> and <image>"},{"from":"gpt","value":"The first is brighter."}],"images":["https://example.com/a.png","img/b.jpg"]})";

TEST(MediaTest, ImagePartsBecomePlaceholdersAndAnImagesList) {
  Result<Example> example = ReadRecord("openai", kOpenAiWithImages);
  ASSERT_THAT(example, IsOk());
  EXPECT_EQ(example->messages[0].content, "Compare <image> and <image>");
  Result<std::vector<std::string>> images = MediaReferences(*example, MediaKinds()[0]);
  ASSERT_THAT(images, IsOk());
  EXPECT_THAT(*images, ElementsAre("https://example.com/a.png", "img/b.jpg"));
  EXPECT_THAT(CheckMediaPlaceholders(*example), IsOk());
}

TEST(MediaTest, OpenAiAndShareGptConvertIntoEachOtherExactly) {
  Result<std::string> sharegpt = Convert("openai", "sharegpt", kOpenAiWithImages);
  ASSERT_THAT(sharegpt, IsOk());
  EXPECT_EQ(*sharegpt, std::string(kShareGptWithImages) + "\n");
  Result<std::string> openai = Convert("sharegpt", "openai", kShareGptWithImages);
  ASSERT_THAT(openai, IsOk());
  EXPECT_EQ(*openai, std::string(kOpenAiWithImages) + "\n");
}

TEST(MediaTest, ImagePartsAtEitherEndRoundTrip) {
  constexpr std::string_view kRecord =
      R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"a.png"}},{"type":"image_url","image_url":{"url":"b.png"}},{"type":"text","text":"Which differs?"}]},{"role":"assistant","content":"b"}]})";
  Result<std::string> same = Convert("openai", "openai", kRecord);
  ASSERT_THAT(same, IsOk());
  EXPECT_EQ(*same, std::string(kRecord) + "\n");
}

TEST(MediaTest, AlpacaImagesBecomeOpenAiParts) {
  Result<std::string> openai = Convert(
      "alpaca", "openai", R"({"instruction":"<image>What is shown?","output":"A cat.","images":["cat.png"]})");
  ASSERT_THAT(openai, IsOk());
  EXPECT_EQ(*openai,
            R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"cat.png"}},{"type":"text","text":"What is shown?"}]},{"role":"assistant","content":"A cat."}]})"
            "\n");
}

TEST(MediaTest, PartsThatWouldNotComeBackAreRefused) {
  struct Case {
    std::string_view record;
    std::string_view why;
  };
  const Case cases[] = {
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},{"role":"assistant","content":"c"}]})",
       "follows another text part"},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":""},{"type":"image_url","image_url":{"url":"a.png"}}]},{"role":"assistant","content":"c"}]})",
       "empty text part"},
      {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"a.png","detail":"low"}}]},{"role":"assistant","content":"c"}]})",
       "messages[0].content[0].image_url.detail: is not kept"},
      {R"({"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]},{"role":"assistant","content":"c"}]})",
       "\"input_audio\" are not supported"},
      {R"({"messages":[{"role":"user","content":[{"type":"text","text":"see <image>"},{"type":"image_url","image_url":{"url":"a.png"}}]},{"role":"assistant","content":"c"}]})",
       "holds \"<image>\" as text"},
      {R"({"messages":[{"role":"system","content":"Answer about <image> tags"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"a.png"}}]},{"role":"assistant","content":"c"}]})",
       "a text holds \"<image>\""},
      {R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"a.png"}}]},{"role":"assistant","content":"c"}],"images":["b.png"]})",
       "must not also have an \"images\" list"},
      {R"({"messages":[{"role":"user","content":[]},{"role":"assistant","content":"c"}]})",
       "must not be an empty list"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ReadRecord("openai", c.record), StatusIs(StatusCode::kInvalidArgument, HasSubstr(c.why)))
        << c.record;
  }
}

TEST(MediaTest, PreferenceFormatsStillRefuseContentParts) {
  EXPECT_THAT(
      ReadRecord("trl-preference",
                 R"({"prompt":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"a.png"}}]}],"chosen":[{"role":"assistant","content":"x"}],"rejected":[{"role":"assistant","content":"y"}]})"),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("content must be one string")));
}

TEST(MediaTest, OpenAiRefusesToWriteVideosOrAMismatchedList) {
  Result<Example> video = ReadRecord(
      "sharegpt", R"({"conversations":[{"from":"human","value":"<video>What happens?"},{"from":"gpt","value":"Rain."}],"videos":["v.mp4"]})");
  ASSERT_THAT(video, IsOk());
  EXPECT_THAT(PlaceUnreadFields(*video, *BuiltinFormats().Find("openai"), false),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("\"videos\"")));

  Result<Example> mismatched = ReadRecord(
      "sharegpt", R"({"conversations":[{"from":"human","value":"<image><image>Same?"},{"from":"gpt","value":"Yes."}],"images":["a.png"]})");
  ASSERT_THAT(mismatched, IsOk());
  EXPECT_THAT(CheckMediaPlaceholders(*mismatched),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("images lists 1 but the text has 2 <image>")));
  EXPECT_THAT(WriteExample("openai", *mismatched), StatusIs(StatusCode::kFailedPrecondition, HasSubstr("images lists 1")));
}

TEST(MediaTest, ImagesListMustHoldStrings) {
  Result<Example> example = ReadRecord(
      "sharegpt", R"({"conversations":[{"from":"human","value":"<image>?"},{"from":"gpt","value":"!"}],"images":[{"path":"a.png"}]})");
  ASSERT_THAT(example, IsOk());
  EXPECT_THAT(MediaReferences(*example, MediaKinds()[0]),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("images[0]: must be a path or URL string, not an object")));
}

TEST(MediaTest, LocalPathsAreToldFromRemoteReferences) {
  EXPECT_EQ(LocalMediaPath("img/a.png"), "img/a.png");
  EXPECT_EQ(LocalMediaPath("/data/a.png"), "/data/a.png");
  EXPECT_EQ(LocalMediaPath("file:///data/a.png"), "/data/a.png");
  EXPECT_EQ(LocalMediaPath("C:/data/a.png"), "C:/data/a.png");
  EXPECT_EQ(LocalMediaPath("https://example.com/a.png"), std::nullopt);
  EXPECT_EQ(LocalMediaPath("s3://bucket/a.png"), std::nullopt);
  EXPECT_EQ(LocalMediaPath("data:image/png;base64,AAAA"), std::nullopt);
}

}  // namespace
}  // namespace tunepack::format
