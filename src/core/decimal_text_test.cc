#include "tunepack/core/decimal_text.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tunepack {
namespace {

// Returns WriteDecimal's text for `value`, and fails the test when it wrote outside the
// room it promises (a canary byte past kWriteDecimalRoom) or returned a bad end.
std::string Written(uint32_t value) {
  char buffer[kWriteDecimalRoom + 1];
  std::memset(buffer, '#', sizeof(buffer));
  const char* end = WriteDecimal(value, buffer);
  EXPECT_EQ(buffer[kWriteDecimalRoom], '#') << value;
  EXPECT_GT(end, buffer) << value;
  EXPECT_LE(end, buffer + 10) << value;
  return std::string(buffer, static_cast<size_t>(end - buffer));
}

std::string Expected(uint32_t value) {
  char buffer[16];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

TEST(WriteDecimalTest, EverySmallValueMatchesToChars) {
  // Every value of up to seven digits: all token ids of real vocabularies are in here.
  for (uint32_t value = 0; value < 10000000; ++value) {
    char buffer[kWriteDecimalRoom];
    const char* end = WriteDecimal(value, buffer);
    char expected[16];
    const auto result = std::to_chars(expected, expected + sizeof(expected), value);
    ASSERT_EQ(std::string_view(buffer, end - buffer), std::string_view(expected, result.ptr - expected))
        << value;
  }
}

TEST(WriteDecimalTest, EveryLengthAndItsEdges) {
  for (uint64_t power = 1; power <= 1000000000; power *= 10) {
    for (int64_t delta = -3; delta <= 3; ++delta) {
      const int64_t value = static_cast<int64_t>(power) + delta;
      if (value < 0) continue;
      EXPECT_EQ(Written(static_cast<uint32_t>(value)), Expected(static_cast<uint32_t>(value)));
    }
  }
  EXPECT_EQ(Written(0), "0");
  EXPECT_EQ(Written(4294967295u), "4294967295");
  EXPECT_EQ(Written(4000000000u), "4000000000");
  EXPECT_EQ(Written(100000000u), "100000000");
  EXPECT_EQ(Written(99999999u), "99999999");
}

TEST(WriteDecimalTest, ValuesAcrossTheWholeRange) {
  // A prime stride: values of every digit length, spread over the whole 32-bit range.
  for (uint64_t value = 7; value <= UINT32_MAX; value += 999983) {
    ASSERT_EQ(Written(static_cast<uint32_t>(value)), Expected(static_cast<uint32_t>(value))) << value;
  }
}

TEST(WriteDecimalTest, WritesBackToBack) {
  // Each number's scratch bytes are overwritten by the next, as a writer of lists does.
  char buffer[64];
  char* at = buffer;
  for (const uint32_t value : {5u, 100256u, 0u, 4294967295u, 42u}) {
    at = WriteDecimal(value, at);
    *at++ = ',';
  }
  EXPECT_EQ(std::string_view(buffer, at - buffer), "5,100256,0,4294967295,42,");
}

// Writes each value through `table` and returns the text, checking the promised room.
std::string WrittenWithComma(DecimalCommaTable& table, uint32_t value) {
  char buffer[kWriteDecimalRoom + 1];
  std::memset(buffer, '#', sizeof(buffer));
  const char* end = table.WriteWithCommas(std::span<const uint32_t>(&value, 1), buffer);
  EXPECT_EQ(buffer[kWriteDecimalRoom], '#') << value;
  return std::string(buffer, static_cast<size_t>(end - buffer));
}

TEST(DecimalCommaTableTest, MatchesToCharsInsideAndOutsideTheTable) {
  DecimalCommaTable table;
  // Out of order, so that entries are made in the middle, then below and above them.
  for (const uint32_t value : {5000u, 0u, 9u, 10u, 1023u, 1024u, 1025u, 99999u, 100000u, 262143u,
                               DecimalCommaTable::kMaxTableEntries - 1, DecimalCommaTable::kMaxTableEntries,
                               9999999u, 10000000u, 4294967295u, 7u}) {
    EXPECT_EQ(WrittenWithComma(table, value), Expected(value) + ",");
  }
  // Every number of the table's range and past it, each entry made as it is first written.
  DecimalCommaTable fresh;
  for (uint32_t value = 0; value < DecimalCommaTable::kMaxTableEntries + 100; ++value) {
    char buffer[kWriteDecimalRoom];
    const char* end = fresh.WriteWithCommas(std::span<const uint32_t>(&value, 1), buffer);
    ASSERT_EQ(std::string(buffer, static_cast<size_t>(end - buffer)), Expected(value) + ",") << value;
  }
}

TEST(DecimalCommaTableTest, WritesAListOfNumbersInsideAndOutsideTheTable) {
  DecimalCommaTable table;
  const std::vector<uint32_t> values = {3, 70000, 12, 4294967295u, 1048576, 999, 0};
  std::vector<char> buffer(values.size() * kWriteDecimalRoom);
  const char* end = table.WriteWithCommas(values, buffer.data());
  EXPECT_EQ(std::string_view(buffer.data(), static_cast<size_t>(end - buffer.data())),
            "3,70000,12,4294967295,1048576,999,0,");
  const char* again = table.WriteWithCommas({}, buffer.data());
  EXPECT_EQ(again, buffer.data());
}

}  // namespace
}  // namespace tunepack
