#include "server/sse.h"

#include <gtest/gtest.h>

namespace tunepack::server {
namespace {

TEST(SseTest, FramesAnEvent) {
  EXPECT_EQ(SseFrame(7, "progress", R"({"id":7})"), "id: 7\nevent: progress\ndata: {\"id\":7}\n\n");
}

TEST(SseTest, ParsesLastEventId) {
  EXPECT_EQ(ParseEventId("42").value_or(0), 42u);
  EXPECT_EQ(ParseEventId(" 42 ").value_or(0), 42u);
  EXPECT_FALSE(ParseEventId("").has_value());
  EXPECT_FALSE(ParseEventId("4x").has_value());
  EXPECT_FALSE(ParseEventId("-1").has_value());
}

}  // namespace
}  // namespace tunepack::server
