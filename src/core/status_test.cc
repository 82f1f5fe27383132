#include "tunepack/core/result.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "support/status_matchers.h"

namespace tunepack {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::StatusIs;

Result<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgumentError("not positive: " + std::to_string(v));
  return v;
}

Result<int> Doubled(int v) {
  TP_ASSIGN_OR_RETURN(int parsed, ParsePositive(v));
  return parsed * 2;
}

Status CheckBoth(int a, int b) {
  TP_RETURN_IF_ERROR(ParsePositive(a));
  TP_RETURN_IF_ERROR(ParsePositive(b));
  return Status::Ok();
}

TEST(StatusTest, OkByDefaultAndPrintsCodeName) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(Status().ToString(), "ok");
  EXPECT_EQ(NotFoundError("x").ToString(), "not_found: x");
  EXPECT_EQ(DataLossError("y").code(), StatusCode::kDataLoss);
}

TEST(StatusTest, WithContextPrefixesTheMessage) {
  EXPECT_EQ(InvalidArgumentError("bad").WithContext("a.jsonl:3").message(), "a.jsonl:3: bad");
  EXPECT_TRUE(Status::Ok().WithContext("ignored").ok());
}

TEST(ResultTest, HoldsValueOrError) {
  EXPECT_THAT(ParsePositive(3), IsOk());
  EXPECT_EQ(*ParsePositive(3), 3);
  EXPECT_THAT(ParsePositive(-1), StatusIs(StatusCode::kInvalidArgument, HasSubstr("-1")));
  EXPECT_EQ(ParsePositive(-1).value_or(7), 7);
}

TEST(ResultTest, MacrosPropagateTheFirstError) {
  EXPECT_EQ(*Doubled(4), 8);
  EXPECT_THAT(Doubled(0), StatusIs(StatusCode::kInvalidArgument, HasSubstr("0")));
  EXPECT_THAT(CheckBoth(1, 2), IsOk());
  EXPECT_THAT(CheckBoth(1, -2), StatusIs(StatusCode::kInvalidArgument, HasSubstr("-2")));
}

TEST(ResultTest, AndThenChainsAndMoveOnlyValuesWork) {
  auto chained = ParsePositive(5).and_then([](int v) -> Result<int> { return v + 1; });
  EXPECT_EQ(*chained, 6);
  Result<std::unique_ptr<int>> owned = std::make_unique<int>(9);
  std::unique_ptr<int> taken = std::move(owned).value();
  EXPECT_EQ(*taken, 9);
}

TEST(ResultTest, OkStatusBecomesInternalError) {
  Result<int> r{Status::Ok()};
  EXPECT_THAT(r, StatusIs(StatusCode::kInternal, HasSubstr("OK status")));
}

TEST(StatusTest, ARejectReasonSurvivesContextAndIsNotInTheMessage) {
  const Status named =
      FailedPreconditionError("the pages are images").WithRejectReason(RejectReason::kNoTextLayer);
  const Status wrapped = named.WithContext("scan.pdf");
  EXPECT_EQ(wrapped.reject_reason(), RejectReason::kNoTextLayer);
  EXPECT_EQ(wrapped.message(), "scan.pdf: the pages are images");
  EXPECT_EQ(FailedPreconditionError("x").reject_reason(), std::nullopt);
  EXPECT_EQ(Status::Ok().WithRejectReason(RejectReason::kNoTextLayer).reject_reason(), std::nullopt);
  EXPECT_FALSE(named == FailedPreconditionError("the pages are images"));
}

}  // namespace

}  // namespace tunepack
