#include "parquet/compression.h"

#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

namespace tunepack::parquet::internal {
namespace {

// ZSTD level 3 is zstd's own default and DuckDB's; fast enough to keep writing at disk
// speed, and the bytes depend only on the level and the input.
constexpr int kZstdLevel = 3;

Status GzipCompress(std::string_view data, std::string& out) {
  z_stream stream{};
  // 15 + 16: a gzip wrapper, as parquet.thrift's GZIP asks (RFC 1952).
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return InternalError("GZIP: cannot start the compressor");
  }
  const size_t start = out.size();
  out.resize(start + deflateBound(&stream, data.size()) + 32);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data() + start);
  stream.avail_out = static_cast<uInt>(out.size() - start);
  const int rc = deflate(&stream, Z_FINISH);
  out.resize(start + stream.total_out);
  deflateEnd(&stream);
  return rc == Z_STREAM_END ? Status::Ok() : InternalError("GZIP: compression failed");
}

Status GzipDecompress(std::string_view data, size_t size, std::string& out) {
  z_stream stream{};
  // 15 + 32: accept a gzip or a zlib header (some writers use either).
  if (inflateInit2(&stream, 15 + 32) != Z_OK) return InternalError("GZIP: cannot start the decompressor");
  out.resize(size);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(size);
  int rc = inflate(&stream, Z_FINISH);
  const size_t produced = stream.total_out;
  inflateEnd(&stream);
  if (rc != Z_STREAM_END || produced != size) {
    return DataLossError("GZIP: page does not decompress to its declared " + std::to_string(size) + " bytes");
  }
  return Status::Ok();
}

}  // namespace

std::string CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "UNCOMPRESSED";
    case Codec::kSnappy: return "SNAPPY";
    case Codec::kGzip: return "GZIP";
    case Codec::kLzo: return "LZO";
    case Codec::kBrotli: return "BROTLI";
    case Codec::kLz4: return "LZ4";
    case Codec::kZstd: return "ZSTD";
    case Codec::kLz4Raw: return "LZ4_RAW";
  }
  return "codec " + std::to_string(static_cast<int>(codec));
}

Status Compress(Codec codec, std::string_view data, std::string& out) {
  switch (codec) {
    case Codec::kUncompressed:
      out.append(data);
      return Status::Ok();
    case Codec::kSnappy: {
      const size_t start = out.size();
      size_t length = snappy_max_compressed_length(data.size());
      out.resize(start + length);
      if (snappy_compress(data.data(), data.size(), out.data() + start, &length) != SNAPPY_OK) {
        return InternalError("SNAPPY: compression failed");
      }
      out.resize(start + length);
      return Status::Ok();
    }
    case Codec::kZstd: {
      const size_t start = out.size();
      out.resize(start + ZSTD_compressBound(data.size()));
      const size_t n = ZSTD_compress(out.data() + start, out.size() - start, data.data(), data.size(), kZstdLevel);
      if (ZSTD_isError(n)) return InternalError(std::string("ZSTD: ") + ZSTD_getErrorName(n));
      out.resize(start + n);
      return Status::Ok();
    }
    case Codec::kGzip:
      return GzipCompress(data, out);
    default:
      return UnimplementedError("cannot write " + CodecName(codec) + " pages");
  }
}

Status Decompress(Codec codec, std::string_view data, size_t size, std::string& out) {
  switch (codec) {
    case Codec::kUncompressed:
      if (data.size() != size) return DataLossError("uncompressed page size disagrees with its header");
      out.assign(data);
      return Status::Ok();
    case Codec::kSnappy: {
      size_t length = 0;
      if (snappy_uncompressed_length(data.data(), data.size(), &length) != SNAPPY_OK || length != size) {
        return DataLossError("SNAPPY: page does not decompress to its declared " + std::to_string(size) + " bytes");
      }
      out.resize(size);
      if (snappy_uncompress(data.data(), data.size(), out.data(), &length) != SNAPPY_OK || length != size) {
        return DataLossError("SNAPPY: corrupt page");
      }
      return Status::Ok();
    }
    case Codec::kZstd: {
      out.resize(size);
      const size_t n = ZSTD_decompress(out.data(), size, data.data(), data.size());
      if (ZSTD_isError(n)) return DataLossError(std::string("ZSTD: ") + ZSTD_getErrorName(n));
      if (n != size) return DataLossError("ZSTD: page does not decompress to its declared " + std::to_string(size) + " bytes");
      return Status::Ok();
    }
    case Codec::kGzip:
      return GzipDecompress(data, size, out);
    default:
      return UnimplementedError("pages compressed with " + CodecName(codec) + " are not supported (supported: UNCOMPRESSED, SNAPPY, ZSTD, GZIP)");
  }
}

}  // namespace tunepack::parquet::internal
