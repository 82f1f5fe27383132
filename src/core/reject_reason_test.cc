#include "tunepack/core/reject_reason.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace tunepack {
namespace {

TEST(RejectReasonTest, NamesAreUniqueSnakeCaseAndParseBack) {
  std::set<std::string_view> seen;
  for (const RejectReasonInfo& info : AllRejectReasons()) {
    EXPECT_TRUE(seen.insert(info.name).second) << info.name;
    EXPECT_EQ(info.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"), std::string_view::npos) << info.name;
    EXPECT_FALSE(info.meaning.empty()) << info.name;
    EXPECT_EQ(RejectReasonName(info.reason), info.name);
    EXPECT_EQ(ParseRejectReason(info.name), info.reason);
  }
  EXPECT_EQ(ParseRejectReason("no_such_reason"), std::nullopt);
}

// Scripts match on these names in rejected.jsonl: they keep their spelling.
TEST(RejectReasonTest, LedgerNamesKeepTheirSpelling) {
  EXPECT_EQ(RejectReasonName(RejectReason::kMalformedJson), "malformed_json");
  EXPECT_EQ(RejectReasonName(RejectReason::kNearDuplicate), "near_duplicate");
  EXPECT_EQ(RejectReasonName(RejectReason::kInvalidTemplateOutput), "invalid_template_output");
  EXPECT_EQ(RejectReasonName(RejectReason::kInternalError), "internal_error");
}

}  // namespace
}  // namespace tunepack
