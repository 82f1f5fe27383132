#include "tokenize/tiktoken/tiktoken_format.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

#include "tokenize/base64.h"

namespace tunepack::tokenize {
namespace {

constexpr std::string_view kBlobMagic = "TPBPE001";

Status LineError(size_t line, std::string_view what) {
  return InvalidArgumentError("rank line " + std::to_string(line) + ": " + std::string(what));
}

Result<uint32_t> ParseRank(std::string_view field, size_t line) {
  uint32_t value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size() || value == UINT32_MAX) {
    return LineError(line, "bad rank '" + std::string(field) + "'");
  }
  return value;
}

// RankEntry: one parsed rank, kept until all are read so that the table is sized by the
// ranks that exist, never by the largest number a file writes.
struct RankEntry {
  uint32_t rank;
  size_t line;
  std::string bytes;
};

Status Collect(std::vector<RankEntry>& entries, uint32_t rank, std::string bytes, size_t line) {
  if (bytes.empty()) return LineError(line, "empty token");
  entries.push_back({rank, line, std::move(bytes)});
  return Status::Ok();
}

// Returns the tokens indexed by rank, or an error when ranks repeat or leave more than
// kMaxUnusedRanks unused below the highest (each unused rank still costs a slot).
Result<std::vector<std::string>> PlaceRanks(std::vector<RankEntry> entries) {
  if (entries.empty()) return InvalidArgumentError("no ranks");
  const auto highest = std::max_element(entries.begin(), entries.end(),
                                        [](const RankEntry& a, const RankEntry& b) { return a.rank < b.rank; });
  const size_t slots = size_t{highest->rank} + 1;
  if (slots > entries.size() + kMaxUnusedRanks) {
    return LineError(highest->line,
                     "rank " + std::to_string(highest->rank) + " is far beyond the " +
                         std::to_string(entries.size()) + " ranks the file holds (more than " +
                         std::to_string(kMaxUnusedRanks) + " unused): not a rank file");
  }
  std::vector<std::string> tokens(slots);
  for (RankEntry& entry : entries) {
    if (!tokens[entry.rank].empty()) {
      return LineError(entry.line, "rank " + std::to_string(entry.rank) + " repeated");
    }
    tokens[entry.rank] = std::move(entry.bytes);
  }
  return tokens;
}

void AppendU32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

void AppendPadded(std::string& out, std::string_view bytes) {
  AppendU32(out, static_cast<uint32_t>(bytes.size()));
  out.append(bytes);
  while (out.size() % 4 != 0) out.push_back('\0');
}

// BlobReader: bounds-checked reads from a blob.
class BlobReader {
 public:
  explicit BlobReader(std::string_view blob) : blob_(blob) {}

  bool U32(uint32_t* value) {
    if (pos_ + 4 > blob_.size()) return false;
    std::memcpy(value, blob_.data() + pos_, 4);  // the build machine and targets are little-endian
    pos_ += 4;
    return true;
  }
  bool Padded(std::string_view* bytes) {
    uint32_t size = 0;
    if (!U32(&size) || pos_ + size > blob_.size()) return false;
    *bytes = blob_.substr(pos_, size);
    pos_ += (size + 3) / 4 * 4;
    return pos_ <= blob_.size();
  }
  bool Skip(size_t bytes) {
    if (pos_ + bytes > blob_.size()) return false;
    pos_ += bytes;
    return true;
  }
  size_t pos() const { return pos_; }

 private:
  std::string_view blob_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<std::string>> ParseTiktokenRanks(std::string_view text) {
  std::vector<RankEntry> entries;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::vector<std::string_view> fields;
    for (size_t start = 0; start <= line.size();) {
      const size_t space = std::min(line.find(' ', start), line.size());
      if (space > start) fields.push_back(line.substr(start, space - start));
      start = space + 1;
    }
    if (fields.size() >= 2 && fields[0] == "!") {
      TP_ASSIGN_OR_RETURN(uint32_t rank, ParseRank(fields[1], line_number));
      for (size_t i = 2; i < fields.size(); ++i, ++rank) {
        if (rank == UINT32_MAX) return LineError(line_number, "ranks run past 2^32 - 1");
        auto bytes = Base64Decode(fields[i]);
        if (!bytes.ok()) return LineError(line_number, bytes.error().message());
        TP_RETURN_IF_ERROR(Collect(entries, rank, std::move(*bytes), line_number));
      }
      continue;
    }
    if (fields.size() != 2) return LineError(line_number, "expected '<base64> <rank>'");
    TP_ASSIGN_OR_RETURN(const uint32_t rank, ParseRank(fields[1], line_number));
    auto bytes = Base64Decode(fields[0]);
    if (!bytes.ok()) return LineError(line_number, bytes.error().message());
    TP_RETURN_IF_ERROR(Collect(entries, rank, std::move(*bytes), line_number));
  }
  return PlaceRanks(std::move(entries));
}

Result<TiktokenFile> ParseTiktokenJson(std::string_view name, std::string_view json) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return InvalidArgumentError("not a JSON object");
  const auto pattern = doc.find("pat_str");
  const auto ranks = doc.find("bpe_ranks");
  if (pattern == doc.end() || !pattern->is_string() || ranks == doc.end() || !ranks->is_string()) {
    return InvalidArgumentError("a tiktoken JSON file needs the strings pat_str and bpe_ranks");
  }
  TiktokenFile file;
  file.definition.name = std::string(name);
  file.definition.pattern = pattern->get<std::string>();
  if (const auto specials = doc.find("special_tokens"); specials != doc.end()) {
    if (!specials->is_object()) return InvalidArgumentError("special_tokens is not an object");
    for (const auto& [text, id] : specials->items()) {
      if (!id.is_number_unsigned()) return InvalidArgumentError("special token id is not a number");
      file.definition.special_tokens.emplace_back(text, id.get<TokenId>());
    }
    std::sort(file.definition.special_tokens.begin(), file.definition.special_tokens.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
  }
  if (const auto n_vocab = doc.find("explicit_n_vocab"); n_vocab != doc.end()) {
    if (!n_vocab->is_number_unsigned()) return InvalidArgumentError("bad explicit_n_vocab");
    file.definition.explicit_n_vocab = n_vocab->get<uint32_t>();
  }
  TP_ASSIGN_OR_RETURN(file.tokens, ParseTiktokenRanks(ranks->get_ref<const std::string&>()));
  return file;
}

std::string SerializeTiktokenBlob(const TiktokenDefinition& definition,
                                  const std::vector<std::string>& tokens,
                                  const BacktrackTables& backtrack,
                                  const RankTable* index) {
  std::string out(kBlobMagic);
  AppendPadded(out, definition.pattern);
  AppendU32(out, definition.explicit_n_vocab.value_or(0));
  AppendU32(out, static_cast<uint32_t>(definition.special_tokens.size()));
  for (const auto& [text, id] : definition.special_tokens) {
    AppendU32(out, id);
    AppendPadded(out, text);
  }
  AppendU32(out, static_cast<uint32_t>(tokens.size()));
  uint32_t offset = 0;
  AppendU32(out, offset);
  for (const std::string& token : tokens) {
    offset += static_cast<uint32_t>(token.size());
    AppendU32(out, offset);
  }
  for (const std::string& token : tokens) out += token;
  if (backtrack.splits.empty()) return out;
  out.resize((out.size() + 7) / 8 * 8, '\0');
  AppendU32(out, static_cast<uint32_t>(backtrack.splits.size()));
  AppendU32(out, backtrack.max_length);
  out.append(reinterpret_cast<const char*>(backtrack.splits.data()), backtrack.splits.size_bytes());
  AppendU32(out, static_cast<uint32_t>(backtrack.long_prefixes.size()));
  AppendU32(out, 0);
  out.append(reinterpret_cast<const char*>(backtrack.long_prefixes.data()), backtrack.long_prefixes.size_bytes());
  if (index == nullptr) return out;
  std::string index_bytes;
  index->AppendIndex(index_bytes);
  AppendU32(out, static_cast<uint32_t>(index_bytes.size()));
  AppendU32(out, 0);
  out += index_bytes;
  return out;
}

Result<std::shared_ptr<const Tokenizer>> LoadTiktokenBlob(std::string_view name,
                                                          std::string_view blob) {
  const Status corrupt = DataLossError(std::string(name) + ": corrupt embedded rank data");
  if (blob.substr(0, kBlobMagic.size()) != kBlobMagic) return corrupt;
  BlobReader reader(blob);
  TiktokenDefinition definition;
  definition.name = std::string(name);
  std::string_view pattern;
  uint32_t n_vocab = 0;
  uint32_t special_count = 0;
  if (!reader.Skip(kBlobMagic.size()) || !reader.Padded(&pattern) || !reader.U32(&n_vocab) ||
      !reader.U32(&special_count)) {
    return corrupt;
  }
  definition.pattern = std::string(pattern);
  if (n_vocab != 0) definition.explicit_n_vocab = n_vocab;
  for (uint32_t i = 0; i < special_count; ++i) {
    uint32_t id = 0;
    std::string_view text;
    if (!reader.U32(&id) || !reader.Padded(&text)) return corrupt;
    definition.special_tokens.emplace_back(std::string(text), id);
  }
  uint32_t count = 0;
  if (!reader.U32(&count)) return corrupt;
  const size_t offsets_at = reader.pos();
  if (!reader.Skip((size_t{count} + 1) * 4) ||
      reinterpret_cast<uintptr_t>(blob.data() + offsets_at) % alignof(uint32_t) != 0) {
    return corrupt;
  }
  const std::span<const uint32_t> offsets(
      reinterpret_cast<const uint32_t*>(blob.data() + offsets_at), size_t{count} + 1);
  const size_t bytes_at = reader.pos();
  if (!reader.Skip(offsets.back())) return corrupt;
  const std::string_view bytes = blob.substr(bytes_at, offsets.back());
  // The backtracking tables, when the blob has them, start at the next multiple of 8 (the
  // blob itself is 16-aligned).
  BacktrackTables backtrack;
  reader.Skip((8 - (reader.pos() % 8)) % 8);
  uint32_t split_count = 0;
  if (reader.U32(&split_count)) {
    static_assert(sizeof(TokenSplit) == 8 && sizeof(LongPrefix) == 24);
    uint32_t long_count = 0;
    uint32_t zero = 0;
    if (split_count != count || !reader.U32(&backtrack.max_length)) return corrupt;
    const size_t splits_at = reader.pos();
    if (!reader.Skip(size_t{split_count} * sizeof(TokenSplit)) || !reader.U32(&long_count) || !reader.U32(&zero)) return corrupt;
    const size_t long_at = reader.pos();
    if (!reader.Skip(size_t{long_count} * sizeof(LongPrefix)) ||
        reinterpret_cast<uintptr_t>(blob.data() + long_at) % alignof(LongPrefix) != 0) {
      return corrupt;
    }
    backtrack.splits = {reinterpret_cast<const TokenSplit*>(blob.data() + splits_at), split_count};
    backtrack.long_prefixes = {reinterpret_cast<const LongPrefix*>(blob.data() + long_at), long_count};
  }
  // The built index, when the blob has one: pointing at it spares hashing every token.
  uint32_t index_size = 0;
  if (!backtrack.splits.empty() && reader.U32(&index_size)) {
    uint32_t zero = 0;
    const size_t index_at = reader.pos() + 4;
    if (!reader.U32(&zero) || !reader.Skip(index_size)) return corrupt;
    auto ranks = RankTable::BuildOverIndex(offsets, bytes, blob.substr(index_at, index_size));
    if (!ranks.ok()) return corrupt;
    return TiktokenTokenizer::Create(std::move(definition), std::move(*ranks), backtrack);
  }
  auto ranks = RankTable::BuildOver(offsets, bytes);
  if (!ranks.ok()) return corrupt;
  return TiktokenTokenizer::Create(std::move(definition), std::move(*ranks), backtrack);
}

}  // namespace tunepack::tokenize
