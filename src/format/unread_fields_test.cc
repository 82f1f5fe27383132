// Fields a record holds beyond its format's: carried, put in metadata, or refused by name.
// Records from LLaMA-Factory's demo datasets (dpo_en_demo, kto_en_demo, mllm_demo), cut short.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "format/format_test_util.h"
#include "support/status_matchers.h"
#include "tunepack/format/format.h"
#include "tunepack/format/unread_fields.h"

namespace tunepack::format {
namespace {

using ::testing::HasSubstr;
using testing::ReadRecord;
using testing::WriteExample;
using tunepack::testing::StatusIs;

const char kDpo[] =
    R"({"conversations":[{"from":"human","value":"Name a colour."}],"chosen":{"from":"gpt","value":"Blue."},"rejected":{"from":"gpt","value":"Seven."}})";
const char kKto[] =
    R"({"messages":[{"content":"Summarise.","role":"user"},{"content":"Ooh ooh ah ah!","role":"assistant"}],"label":false})";
const char kMllm[] =
    R"({"messages":[{"content":"<image>Who are they?","role":"user"},{"content":"Two players.","role":"assistant"}],"images":["mllm_demo_data/1.jpg"]})";

Status Place(Example& example, std::string_view target, bool into_metadata) {
  Result<const Format*> format = FindFormat(target);
  if (!format.has_value()) return format.error();
  return PlaceUnreadFields(example, **format, into_metadata);
}

TEST(UnreadFieldsTest, ReadersKeepTheFieldsTheirFormatDoesNotRead) {
  Result<Example> dpo = ReadRecord("sharegpt", kDpo);
  ASSERT_TRUE(dpo.has_value()) << dpo.error().message();
  ASSERT_EQ(dpo->unread_fields.entries().size(), 2u);
  EXPECT_EQ(dpo->unread_fields.entries()[0].key, "chosen");
  EXPECT_EQ(dpo->unread_fields.entries()[0].json, R"({"from":"gpt","value":"Blue."})");
  EXPECT_EQ(dpo->unread_fields.entries()[1].key, "rejected");
  Result<Example> kto = ReadRecord("openai", kKto);
  ASSERT_TRUE(kto.has_value());
  EXPECT_EQ(*kto->unread_fields.FindJson("label"), "false");
}

TEST(UnreadFieldsTest, APreferencePairIsRefusedNamingTheField) {
  Result<Example> dpo = ReadRecord("sharegpt", kDpo);
  ASSERT_TRUE(dpo.has_value());
  EXPECT_THAT(Place(*dpo, "openai", false),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("openai cannot hold the field \"chosen\" (the chosen answer of a "
                                 "preference pair (DPO, ORPO)); it would be lost: pass ‹with-metadata›")));
  Result<Example> kto = ReadRecord("openai", kKto);
  ASSERT_TRUE(kto.has_value());
  EXPECT_THAT(Place(*kto, "sharegpt", false),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("\"label\" (a KTO label")));
  EXPECT_THAT(Place(*kto, "text", true),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("text files hold text only")));
}

TEST(UnreadFieldsTest, WithMetadataTheFieldsAreCarriedThere) {
  Result<Example> dpo = ReadRecord("sharegpt", kDpo);
  ASSERT_TRUE(dpo.has_value());
  ASSERT_TRUE(Place(*dpo, "openai", true).ok());
  WriteOptions options;
  options.include_metadata = true;
  Result<std::string> out = WriteExample("openai", *dpo, options);
  ASSERT_TRUE(out.has_value()) << out.error().message();
  EXPECT_EQ(*out,
            R"({"messages":[{"role":"user","content":"Name a colour."}],"metadata":{"chosen":{"from":"gpt","value":"Blue."},"rejected":{"from":"gpt","value":"Seven."}}})"
            "\n");
}

TEST(UnreadFieldsTest, MediaListsTravelWithSharegptAndAlpaca) {
  Result<Example> mllm = ReadRecord("openai", kMllm);
  ASSERT_TRUE(mllm.has_value());
  // openai holds images as content parts; videos it cannot hold.
  ASSERT_TRUE(Place(*mllm, "openai", false).ok());
  Result<Example> video = ReadRecord(
      "openai", R"({"messages":[{"content":"<video>What happens?","role":"user"},{"content":"Rain.","role":"assistant"}],"videos":["v.mp4"]})");
  ASSERT_TRUE(video.has_value());
  EXPECT_THAT(Place(*video, "openai", false),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("\"videos\" (the videos its <video> tags")));
  ASSERT_TRUE(Place(*mllm, "sharegpt", false).ok());
  Result<std::string> out = WriteExample("sharegpt", *mllm);
  ASSERT_TRUE(out.has_value()) << out.error().message();
  EXPECT_EQ(*out,
            R"({"conversations":[{"from":"human","value":"<image>Who are they?"},{"from":"gpt","value":"Two players."}],"images":["mllm_demo_data/1.jpg"]})"
            "\n");
  // sharegpt -> sharegpt keeps the list next to its <image> tags.
  Result<Example> back = ReadRecord("sharegpt", *out);
  ASSERT_TRUE(back.has_value());
  Result<std::string> again = WriteExample("sharegpt", *back);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *out);
}

TEST(UnreadFieldsTest, MessageFieldsAreKeptUnderTheirPathAndNullsHoldNothing) {
  Result<Example> example = ReadRecord(
      "openai",
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","reasoning_content":"think","refusal":null}]})");
  ASSERT_TRUE(example.has_value()) << example.error().message();
  ASSERT_EQ(example->unread_fields.entries().size(), 1u);
  EXPECT_EQ(example->unread_fields.entries()[0].key, "messages[1].reasoning_content");
  EXPECT_THAT(Place(*example, "openai", false),
              StatusIs(StatusCode::kFailedPrecondition,
                       HasSubstr("\"messages[1].reasoning_content\" (the reasoning (thinking) of an assistant turn)")));
}

TEST(UnreadFieldsTest, KnownFieldsAreDescribed) {
  EXPECT_THAT(DescribeKnownField("rejected"), HasSubstr("preference pair"));
  EXPECT_THAT(DescribeKnownField("videos"), HasSubstr("<video>"));
  EXPECT_EQ(DescribeKnownField("my_own_column"), "");
}

}  // namespace
}  // namespace tunepack::format
