#include "tunepack/ingest/compression.h"

#include <bzlib.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <string>

#include "support/status_matchers.h"

namespace tunepack::ingest {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::StatusIs;

// Compressors, so that the tests need no tools beyond the libraries the decoders use.
std::string Gzip(std::string_view text) {
  z_stream z{};
  deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}
// With a content checksum, as the zstd command writes by default (without one, damage
// that still decodes cannot be told from data).
std::string Zstd(std::string_view text) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  ZSTD_CCtx* context = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1);
  out.resize(ZSTD_compress2(context, out.data(), out.size(), text.data(), text.size()));
  ZSTD_freeCCtx(context);
  return out;
}
std::string Bzip2(std::string_view text) {
  unsigned size = static_cast<unsigned>(text.size() * 1.02 + 600);
  std::string out(size, '\0');
  BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char*>(text.data()),
                           static_cast<unsigned>(text.size()), 9, 0, 0);
  out.resize(size);
  return out;
}
std::string Xz(std::string_view text) {
  std::string out(lzma_stream_buffer_bound(text.size()), '\0');
  size_t pos = 0;
  lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(text.data()),
                          text.size(), reinterpret_cast<uint8_t*>(out.data()), &pos, out.size());
  out.resize(pos);
  return out;
}

// Returns everything the decompressor yields for `bytes`, read in small pieces so that
// every internal boundary is crossed, or the first error.
Result<std::string> Decompress(std::string_view bytes, uint64_t cap = UINT64_MAX,
                               std::optional<RejectReason>* reason = nullptr) {
  const Compression* compression = DetectCompression(bytes);
  if (compression == nullptr) return InvalidArgumentError("not compressed");
  TP_ASSIGN_OR_RETURN(auto source,
                      DecompressingSource::Open(*compression, StringByteSource(bytes), cap));
  std::string out;
  char buffer[7];
  while (true) {
    Result<size_t> got = source->Read(buffer, sizeof(buffer));
    if (reason) *reason = source->reason();
    if (!got.has_value()) return got.error();
    if (*got == 0) return out;
    out.append(buffer, *got);
  }
}

std::string Sample() {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "{\"text\": \"line " + std::to_string(i) + "\"}\n";
  return text;
}

using Compressor = std::string (*)(std::string_view);

class CompressionTest : public ::testing::TestWithParam<std::pair<const char*, Compressor>> {};

TEST_P(CompressionTest, RoundTripsAndNamesTheFormat) {
  const std::string compressed = GetParam().second(Sample());
  const Compression* compression = DetectCompression(compressed);
  ASSERT_NE(compression, nullptr);
  EXPECT_EQ(compression->name, GetParam().first);
  EXPECT_EQ(Decompress(compressed).value(), Sample());
}

TEST_P(CompressionTest, ReadsConcatenatedStreams) {
  const std::string compressed = GetParam().second("first\n") + GetParam().second("second\n");
  EXPECT_EQ(Decompress(compressed).value(), "first\nsecond\n");
}

TEST_P(CompressionTest, TruncatedDataIsCorruptNotAShortFile) {
  const std::string compressed = GetParam().second(Sample());
  std::optional<RejectReason> reason;
  Result<std::string> out = Decompress(compressed.substr(0, compressed.size() / 2), UINT64_MAX, &reason);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code(), StatusCode::kDataLoss) << out.error().message();
  EXPECT_EQ(reason, RejectReason::kCorruptCompressed);
}

TEST_P(CompressionTest, DamagedDataIsCorrupt) {
  std::string compressed = GetParam().second(Sample());
  for (size_t i = compressed.size() / 3; i < compressed.size() / 3 + 40; ++i) compressed[i] ^= 0x5A;
  std::optional<RejectReason> reason;
  Result<std::string> out = Decompress(compressed, UINT64_MAX, &reason);
  // Either the damage is caught, or (a corrupted length/CRC can only be caught at the end)
  // the stream still fails; it never comes out as the original text.
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(reason, RejectReason::kCorruptCompressed) << out.error().message();
}

TEST_P(CompressionTest, StopsABombAtTheCap) {
  const std::string zeros(8 << 20, '\0');
  const std::string compressed = GetParam().second(zeros);
  ASSERT_LT(compressed.size(), 64u << 10);
  std::optional<RejectReason> reason;
  Result<std::string> out = Decompress(compressed, 1 << 20, &reason);
  EXPECT_THAT(out, StatusIs(StatusCode::kResourceExhausted, HasSubstr("more than 1048576 bytes")));
  EXPECT_EQ(reason, RejectReason::kDecompressedTooLarge);
}

INSTANTIATE_TEST_SUITE_P(Formats, CompressionTest,
                         ::testing::Values(std::make_pair("gzip", &Gzip), std::make_pair("zstd", &Zstd),
                                           std::make_pair("bzip2", &Bzip2), std::make_pair("xz", &Xz)),
                         [](const auto& info) { return std::string(info.param.first); });

TEST(CompressionTest, InnerNameDropsOnlyTheCompressionExtension) {
  const Compression& gzip = *DetectCompression(Gzip("x"));
  EXPECT_EQ(InnerName("docs/README.gz", gzip), "docs/README");
  EXPECT_EQ(InnerName("data.JSONL.GZ", gzip), "data.JSONL");
  EXPECT_EQ(InnerName("notes.txt", gzip), "notes.txt");  // gzip inside, named otherwise
  EXPECT_EQ(InnerName("dir/.gz", gzip), "dir/.gz");
}

TEST(CompressionTest, PlainTextIsNotCompressed) {
  EXPECT_EQ(DetectCompression("hello"), nullptr);
  EXPECT_EQ(DetectCompression("BZ"), nullptr);
}

}  // namespace
}  // namespace tunepack::ingest
