// docs/export.md lists every ledger reason with its meaning, exactly as the table in
// src/core/reject_reason.cc gives them (tools/update-ledger-docs writes the table): a
// reason added there and not documented fails here.
#include <string>

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "tunepack/core/reject_reason.h"
#include "tp_test_paths.h"

namespace tunepack::testing {
namespace {

TEST(LedgerReasonsDocTest, ExportPageListsEveryReasonWithItsMeaning) {
  std::string expected = "| reason | meaning |\n|---|---|\n";
  for (const RejectReasonInfo& info : AllRejectReasons()) {
    expected += "| `" + std::string(info.name) + "` | " + std::string(info.meaning) + " |\n";
  }
  const std::string page = ReadFile(std::string(TP_SOURCE_DIR) + "/docs/export.md");
  const std::string begin = "-->\n";
  const size_t start = page.find("<!-- ledger reasons:");
  const size_t end = page.find("<!-- ledger reasons: end -->");
  ASSERT_NE(start, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const size_t body = page.find(begin, start) + begin.size();
  EXPECT_EQ(page.substr(body, end - body), expected);
}

}  // namespace
}  // namespace tunepack::testing
