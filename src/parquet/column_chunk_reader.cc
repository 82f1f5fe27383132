#include "parquet/column_chunk_reader.h"

#include <algorithm>
#include <cstring>

#include "parquet/compression.h"
#include "parquet/rle.h"

namespace tunepack::parquet::internal {
namespace {

// More values than this in one page is corrupt (writers cut pages far smaller); the cap
// keeps a forged page header from asking for gigabytes of levels.
constexpr int64_t kMaxPageValues = 1 << 24;

// What one level pair (and a value's end offset) costs in memory, counted against the budget.
constexpr uint64_t kLevelBytes = 16;

Status Spend(uint64_t& budget, uint64_t bytes) {
  if (bytes > budget) return ResourceExhaustedError("row group larger than the reader's limit");
  budget -= bytes;
  return Status::Ok();
}

uint32_t LoadU32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Decodes v1 levels at data[pos...] (RLE with a 4-byte length, or legacy BIT_PACKED).
Status ReadV1Levels(std::string_view data, size_t& pos, Encoding encoding, uint32_t max_level, size_t count,
                    std::vector<uint32_t>& out) {
  const int width = BitWidth(max_level);
  if (encoding == Encoding::kBitPacked) {
    const size_t bytes = (count * static_cast<size_t>(width) + 7) / 8;
    if (bytes > data.size() - pos) return DataLossError("levels end early");
    TP_RETURN_IF_ERROR(DecodeBitPackedLegacy(data.substr(pos, bytes), width, count, out));
    pos += bytes;
    return Status::Ok();
  }
  if (encoding != Encoding::kRle) return UnimplementedError("level encoding " + std::to_string(static_cast<int>(encoding)));
  if (data.size() - pos < 4) return DataLossError("levels end early");
  const uint32_t length = LoadU32(data.data() + pos);
  pos += 4;
  if (length > data.size() - pos) return DataLossError("levels run past their page");
  TP_RETURN_IF_ERROR(DecodeRleHybrid(data.substr(pos, length), width, count, out));
  pos += length;
  return Status::Ok();
}

Status CheckLevels(const std::vector<uint32_t>& levels, size_t from, uint32_t max_level) {
  for (size_t i = from; i < levels.size(); ++i) {
    if (levels[i] > max_level) return DataLossError("a level exceeds the column's maximum " + std::to_string(max_level));
  }
  return Status::Ok();
}

size_t CountPresent(const std::vector<uint32_t>& def, size_t from, uint32_t max_def) {
  return static_cast<size_t>(std::count(def.begin() + static_cast<long>(from), def.end(), max_def));
}

}  // namespace

Status ReadColumnChunk(RandomAccessFile& file, const ColumnMetaData& meta, const ReadLeaf& leaf, uint64_t& budget,
                       ColumnValues& out) {
  if (meta.type != leaf.type.physical) return DataLossError("chunk type differs from the schema's");
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 && *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  const int64_t size = meta.total_compressed_size;
  if (start < 0 || size <= 0 || static_cast<uint64_t>(start) > file.size() ||
      static_cast<uint64_t>(size) > file.size() - static_cast<uint64_t>(start)) {
    return DataLossError("chunk lies outside the file");
  }
  if (static_cast<uint64_t>(size) > budget) return ResourceExhaustedError("row group larger than the reader's limit");
  std::string chunk;
  TP_RETURN_IF_ERROR(file.ReadAt(static_cast<uint64_t>(start), static_cast<size_t>(size), chunk));

  Fragments dictionary;
  bool have_dictionary = false;
  std::string page;
  size_t pos = 0;
  const int64_t wanted = meta.num_values;
  while (pos < chunk.size() && static_cast<int64_t>(out.entries) < wanted) {
    size_t header_size = 0;
    TP_ASSIGN_OR_RETURN(PageHeader header, ParsePageHeader(std::string_view(chunk).substr(pos), header_size));
    pos += header_size;
    if (header.compressed_page_size < 0 || header.uncompressed_page_size < 0 ||
        static_cast<size_t>(header.compressed_page_size) > chunk.size() - pos) {
      return DataLossError("page runs past its chunk");
    }
    const std::string_view body(chunk.data() + pos, static_cast<size_t>(header.compressed_page_size));
    pos += static_cast<size_t>(header.compressed_page_size);
    if (static_cast<uint64_t>(header.uncompressed_page_size) > budget) {
      return ResourceExhaustedError("row group larger than the reader's limit");
    }
    budget -= static_cast<uint64_t>(header.uncompressed_page_size);

    if (header.type == PageType::kDictionaryPage) {
      if (!header.dictionary_page) return DataLossError("dictionary page without its header");
      if (have_dictionary) return DataLossError("two dictionary pages in one chunk");
      if (header.dictionary_page->num_values < 0 || header.dictionary_page->num_values > kMaxPageValues) {
        return DataLossError("dictionary size out of range");
      }
      TP_RETURN_IF_ERROR(Decompress(meta.codec, body, static_cast<size_t>(header.uncompressed_page_size), page));
      TP_RETURN_IF_ERROR(DecodeValues(leaf.type, Encoding::kPlain, page,
                                      static_cast<size_t>(header.dictionary_page->num_values), nullptr, budget, dictionary));
      have_dictionary = true;
      continue;
    }
    if (header.type != PageType::kDataPage && header.type != PageType::kDataPageV2) continue;  // index pages

    const size_t levels_before = out.entries;
    Encoding encoding;
    std::string_view values;
    if (header.type == PageType::kDataPage) {
      if (!header.data_page) return DataLossError("data page without its header");
      const DataPageHeader& d = *header.data_page;
      if (d.num_values < 0 || d.num_values > kMaxPageValues) return DataLossError("page value count out of range");
      TP_RETURN_IF_ERROR(Decompress(meta.codec, body, static_cast<size_t>(header.uncompressed_page_size), page));
      size_t at = 0;
      const size_t n = static_cast<size_t>(d.num_values);
      TP_RETURN_IF_ERROR(Spend(budget, n * kLevelBytes));
      if (leaf.max_rep > 0) TP_RETURN_IF_ERROR(ReadV1Levels(page, at, d.repetition_level_encoding, leaf.max_rep, n, out.rep));
      if (leaf.max_def > 0) TP_RETURN_IF_ERROR(ReadV1Levels(page, at, d.definition_level_encoding, leaf.max_def, n, out.def));
      out.entries += n;
      encoding = d.encoding;
      values = std::string_view(page).substr(at);
    } else {
      if (!header.data_page_v2) return DataLossError("data page v2 without its header");
      const DataPageHeaderV2& d = *header.data_page_v2;
      if (d.num_values < 0 || d.num_values > kMaxPageValues) return DataLossError("page value count out of range");
      if (d.repetition_levels_byte_length < 0 || d.definition_levels_byte_length < 0 ||
          static_cast<uint64_t>(d.repetition_levels_byte_length) + static_cast<uint64_t>(d.definition_levels_byte_length) > body.size() ||
          static_cast<int64_t>(d.repetition_levels_byte_length) + d.definition_levels_byte_length > header.uncompressed_page_size) {
        return DataLossError("page v2 levels run past the page");
      }
      const size_t n = static_cast<size_t>(d.num_values);
      TP_RETURN_IF_ERROR(Spend(budget, n * kLevelBytes));
      const size_t rep_bytes = static_cast<size_t>(d.repetition_levels_byte_length);
      const size_t def_bytes = static_cast<size_t>(d.definition_levels_byte_length);
      if (leaf.max_rep > 0) TP_RETURN_IF_ERROR(DecodeRleHybrid(body.substr(0, rep_bytes), BitWidth(leaf.max_rep), n, out.rep));
      if (leaf.max_def > 0) TP_RETURN_IF_ERROR(DecodeRleHybrid(body.substr(rep_bytes, def_bytes), BitWidth(leaf.max_def), n, out.def));
      out.entries += n;
      const std::string_view rest = body.substr(rep_bytes + def_bytes);
      const size_t rest_size = static_cast<size_t>(header.uncompressed_page_size) - rep_bytes - def_bytes;
      if (d.is_compressed && meta.codec != Codec::kUncompressed) {
        TP_RETURN_IF_ERROR(Decompress(meta.codec, rest, rest_size, page));
      } else {
        page.assign(rest);
      }
      encoding = d.encoding;
      values = page;
    }
    if (leaf.max_rep > 0) TP_RETURN_IF_ERROR(CheckLevels(out.rep, levels_before, leaf.max_rep));
    if (leaf.max_def > 0) TP_RETURN_IF_ERROR(CheckLevels(out.def, levels_before, leaf.max_def));
    const size_t present = leaf.max_def > 0 ? CountPresent(out.def, levels_before, leaf.max_def) : out.entries - levels_before;
    TP_RETURN_IF_ERROR(DecodeValues(leaf.type, encoding, values, present, have_dictionary ? &dictionary : nullptr, budget, out.values));
  }
  if (static_cast<int64_t>(out.entries) != wanted) {
    return DataLossError("chunk holds " + std::to_string(out.entries) + " values, its metadata says " + std::to_string(wanted));
  }
  return Status::Ok();
}

}  // namespace tunepack::parquet::internal
