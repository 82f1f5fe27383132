#include "parquet/thrift_compact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "parquet/metadata.h"
#include "support/status_matchers.h"

namespace tunepack::parquet::internal {
namespace {

using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;

using ::testing::HasSubstr;

TEST(ThriftCompactTest, RoundTripsFieldsWithShortAndLongDeltas) {
  ThriftWriter w;
  w.BeginStruct();
  w.I32(1, -5);
  w.I64(2, 1ll << 40);
  w.Binary(20, "hello");  // delta 18: the long header form
  w.Bool(21, true);
  w.EndStruct();
  ThriftReader r(w.bytes());
  int32_t a = 0;
  int64_t b = 0;
  std::string c;
  bool d = false;
  ASSERT_THAT(r.ReadStruct([&](int16_t id, ThriftType type) -> Status {
    if (id == 1) { TP_ASSIGN_OR_RETURN(a, r.ReadI32(type)); return Status::Ok(); }
    if (id == 2) { TP_ASSIGN_OR_RETURN(b, r.ReadI64(type)); return Status::Ok(); }
    if (id == 20) { TP_ASSIGN_OR_RETURN(std::string_view s, r.ReadBinary(type)); c = s; return Status::Ok(); }
    if (id == 21) { TP_ASSIGN_OR_RETURN(d, r.ReadBool(type)); return Status::Ok(); }
    return r.Skip(type);
  }), IsOk());
  EXPECT_EQ(a, -5);
  EXPECT_EQ(b, 1ll << 40);
  EXPECT_EQ(c, "hello");
  EXPECT_TRUE(d);
  EXPECT_EQ(r.position(), w.bytes().size());
}

TEST(ThriftCompactTest, PageHeaderRoundTrips) {
  PageHeader h;
  h.type = PageType::kDataPage;
  h.uncompressed_page_size = 1234;
  h.compressed_page_size = 99;
  h.data_page = DataPageHeader{7, Encoding::kRleDictionary, Encoding::kRle, Encoding::kRle};
  ThriftWriter w;
  WritePageHeader(h, w);
  size_t consumed = 0;
  Result<PageHeader> back = ParsePageHeader(w.bytes() + "trailing", consumed);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(consumed, w.bytes().size());
  EXPECT_EQ(back->uncompressed_page_size, 1234);
  EXPECT_EQ(back->data_page->num_values, 7);
  EXPECT_EQ(back->data_page->encoding, Encoding::kRleDictionary);
}

TEST(ThriftCompactTest, TruncatedAndDeepInputAreErrors) {
  PageHeader h;
  h.data_page = DataPageHeader{};
  ThriftWriter w;
  WritePageHeader(h, w);
  for (size_t n = 0; n < w.bytes().size(); ++n) {
    size_t consumed = 0;
    EXPECT_FALSE(ParsePageHeader(w.bytes().substr(0, n), consumed).ok()) << n;
  }
  // 1000 nested struct fields: refused, not a stack overflow.
  std::string deep(1000, '\x1C');
  size_t consumed = 0;
  EXPECT_THAT(ParsePageHeader(deep, consumed).error().message(), HasSubstr("metadata"));
}

}  // namespace
}  // namespace tunepack::parquet::internal
