// gmock matchers for Status and Result: EXPECT_THAT(s, IsOk()),
// EXPECT_THAT(r, StatusIs(StatusCode::kNotFound, HasSubstr("x.jsonl"))).
#pragma once

#include <gmock/gmock.h>

#include "tunepack/core/result.h"
#include "tunepack/core/status.h"

namespace tunepack::testing {

inline const Status& GetStatus(const Status& s) { return s; }
template <typename T>
Status GetStatus(const Result<T>& r) { return r.error(); }

MATCHER(IsOk, "is OK") {
  Status s = GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s.ToString();
  return s.ok();
}

MATCHER_P2(StatusIs, code, message_matcher, "has the status code and a matching message") {
  Status s = GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, s.message(), result_listener);
}

}  // namespace tunepack::testing
