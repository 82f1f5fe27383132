// GET endpoints that describe the server: health, formats, tokenizers, options, roots,
// browse, the page at /.
#include "server/api_fixture.h"

namespace tunepack::testing {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using nlohmann::json;

class CatalogTest : public ApiTest {};

TEST_F(CatalogTest, HealthFormatsTokenizers) {
  ApiReply health = Get("/api/v1/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "ok");

  ApiReply formats = Get("/api/v1/formats");
  ASSERT_EQ(formats.status, 200);
  std::vector<std::string> names;
  for (const json& f : formats.body["formats"]) names.push_back(f["name"]);
  EXPECT_THAT(names, Contains("openai"));
  EXPECT_THAT(names, Contains("chat-template"));

  ApiReply tokenizers = Get("/api/v1/tokenizers");
  ASSERT_EQ(tokenizers.status, 200);
  std::vector<std::string> tokenizer_names;
  for (const json& t : tokenizers.body["tokenizers"]) tokenizer_names.push_back(t["name"]);
  EXPECT_THAT(tokenizer_names, Contains("cl100k_base"));
}

TEST_F(CatalogTest, OptionsAreTheExportSchemaWithoutServerOwnedOnes) {
  ApiReply options = Get("/api/v1/options");
  ASSERT_EQ(options.status, 200);
  const json& properties = options.body["properties"];
  EXPECT_TRUE(properties.contains("format"));
  EXPECT_TRUE(properties.contains("max_tokens"));
  EXPECT_TRUE(properties.contains("inputs"));
  EXPECT_FALSE(properties.contains("output"));
  EXPECT_FALSE(properties.contains("resume"));
  EXPECT_FALSE(properties.contains("overwrite"));
}

TEST_F(CatalogTest, RootsAndBrowse) {
  std::filesystem::create_directories(root_ / "folder");
  std::filesystem::create_symlink("/etc", root_ / "etc-link");
  ApiReply roots = Get("/api/v1/roots");
  ASSERT_EQ(roots.status, 200);
  EXPECT_EQ(roots.body["roots"], json::array({root_.string()}));
  ApiReply listing = Get("/api/v1/browse");
  ASSERT_EQ(listing.status, 200) << listing.text;
  std::vector<std::string> entries;
  for (const json& e : listing.body["entries"]) entries.push_back(e["name"].get<std::string>() + ":" + e["type"].get<std::string>());
  // The link out of the root is not listed.
  EXPECT_EQ(entries, (std::vector<std::string>{"folder:folder", "qa.jsonl:file"}));
  EXPECT_EQ(Get("/api/v1/browse?path=..").status, 403);
  EXPECT_EQ(Get("/api/v1/browse?path=etc-link").status, 403);
  EXPECT_EQ(Get("/api/v1/browse?path=missing").status, 404);
}

TEST_F(CatalogTest, ThePageIsServedWithAContentSecurityPolicy) {
  auto anonymous = server_->Client("");
  httplib::Result page = anonymous->Get("/?token=abc");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("default-src 'none'"));
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("script-src 'self'"));
  EXPECT_EQ(page->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(page->get_header_value("Access-Control-Allow-Origin"), "");
  httplib::Result missing = anonymous->Get("/no-such-asset.js");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST_F(CatalogTest, UnknownEndpointsAnswerJsonErrors) {
  ApiReply missing = Get("/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error"]["code"], "not_found");
  EXPECT_TRUE(missing.body["error"].contains("details"));
}

}  // namespace
}  // namespace tunepack::testing
