// The OpenAPI document is valid OpenAPI 3.1 according to a standard validator (npm,
// @seriousme/openapi-schema-validator, pinned in tests/peers), and it describes the routes
// the server has.
#include "server/api_fixture.h"
#include "tp_test_paths.h"

namespace tunepack::testing {
namespace {

using nlohmann::json;

class OpenApiTest : public ApiTest {};

TEST_F(OpenApiTest, DescribesEveryRoute) {
  ApiReply doc = Get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.body["openapi"], "3.1.0");
  const json& paths = doc.body["paths"];
  for (const char* path : {"/api/v1/formats", "/api/v1/tokenizers", "/api/v1/options", "/api/v1/uploads",
                           "/api/v1/count", "/api/v1/templates/check", "/api/v1/preview", "/api/v1/exports",
                           "/api/v1/exports/{id}", "/api/v1/exports/{id}/events", "/api/v1/exports/{id}/cancel",
                           "/api/v1/exports/{id}/resume", "/api/v1/exports/{id}/files/{name}"}) {
    EXPECT_TRUE(paths.contains(path)) << path;
  }
  // The request schema is the options schema.
  const json& request = doc.body["components"]["schemas"]["ExportRequest"];
  EXPECT_TRUE(request["properties"].contains("max_tokens"));
  EXPECT_EQ(request["properties"]["format"], Get("/api/v1/options").body["properties"]["format"]);
}

TEST_F(OpenApiTest, IsValidForAStandardValidator) {
  // TP_NODE_PEERS points at another node_modules holding the peer (a checkout whose
  // tests/peers/node_modules predates it).
  const char* override_dir = std::getenv("TP_NODE_PEERS");
  const std::filesystem::path peers = override_dir != nullptr ? std::filesystem::path(override_dir)
                                                              : std::filesystem::path(TP_SOURCE_DIR) / "tests/peers/node_modules";
  const std::filesystem::path validator = peers / "@seriousme/openapi-schema-validator";
  if (!std::filesystem::exists(validator)) {
    GTEST_SKIP() << "npm peer @seriousme/openapi-schema-validator not installed (scripts/test-peers)";
  }
  ApiReply doc = Get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  WriteFile(tmp_ / "openapi.json", doc.text);
  const CommandOutput result = RunShell("node '" TP_SOURCE_DIR "/tests/server/validate_openapi.mjs' '" +
                                        validator.string() + "' '" + (tmp_ / "openapi.json").string() + "' 2>&1");
  EXPECT_EQ(result.exit_code, 0) << result.out;
}

}  // namespace
}  // namespace tunepack::testing
