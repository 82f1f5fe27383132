#include "tunepack/chunk/chunker.h"

#include <algorithm>
#include <array>
#include <map>

#include "chunk/boundaries.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/core/option_ref.h"

namespace tunepack::chunk {
namespace {

using internal::Boundary;
using internal::Structure;
using internal::CodeSplit;
using internal::TableSplit;

bool IsCharStart(std::string_view text, size_t pos) {
  return pos >= text.size() || (static_cast<unsigned char>(text[pos]) & 0xC0) != 0x80;
}

size_t SnapBack(std::string_view text, size_t pos) {
  while (pos > 0 && !IsCharStart(text, pos)) --pos;
  return pos;
}

size_t NextChar(std::string_view text, size_t pos) {
  ++pos;
  while (pos < text.size() && !IsCharStart(text, pos)) ++pos;
  return std::min(pos, text.size());
}

// Bytes of document tokenized at a time to build the token index.
constexpr size_t kWindowBytes = 256 * 1024;

// Returns where the tokenization window starting at `begin` ends: the text's end, else the
// last line break, else space, in the window's second half, else a character start.
size_t WindowEnd(std::string_view text, size_t begin) {
  if (text.size() - begin <= kWindowBytes) return text.size();
  const size_t limit = begin + kWindowBytes;
  const std::string_view second_half = text.substr(begin + kWindowBytes / 2, kWindowBytes / 2);
  for (char separator : {'\n', ' '}) {
    const size_t at = second_half.rfind(separator);
    if (at != std::string_view::npos) return begin + kWindowBytes / 2 + at + 1;
  }
  return SnapBack(text, limit);
}

// The document's tokens, as the byte offsets where each starts.
class TokenIndex {
 public:
  explicit TokenIndex(std::vector<size_t> begins) : begins_(std::move(begins)) {}
  size_t size() const { return begins_.size(); }
  size_t begin(size_t token) const { return begins_[token]; }
  // Returns the index of the token that contains byte `pos` (the last starting at or before).
  size_t Containing(size_t pos) const {
    auto it = std::upper_bound(begins_.begin(), begins_.end(), pos);
    return it == begins_.begin() ? 0 : static_cast<size_t>(it - begins_.begin()) - 1;
  }
  // Returns the index of the first token starting at or after `pos`.
  size_t StartingFrom(size_t pos) const {
    return static_cast<size_t>(std::lower_bound(begins_.begin(), begins_.end(), pos) -
                               begins_.begin());
  }

 private:
  std::vector<size_t> begins_;
};

std::string FormatPrefix(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& heading : path) {
    if (!out.empty()) out += " > ";
    out += heading;
  }
  if (!out.empty()) out += "\n\n";
  return out;
}

}  // namespace

Result<Chunker> Chunker::Create(std::shared_ptr<const tokenize::Tokenizer> tokenizer,
                                const ChunkOptions& options) {
  if (tokenizer == nullptr) return InvalidArgumentError("chunking needs a tokenizer");
  if (options.max_tokens == 0) return InvalidArgumentError(OptionRef("max-tokens") + " must be at least 1");
  if (options.overlap_fraction < 0 || options.overlap_fraction >= 1) {
    return InvalidArgumentError(OptionRef("overlap") + " as a fraction must be in [0, 1)");
  }
  size_t overlap = options.overlap_fraction > 0
                       ? static_cast<size_t>(options.overlap_fraction *
                                             static_cast<double>(options.max_tokens))
                       : options.overlap_tokens;
  if (overlap >= options.max_tokens) {
    return InvalidArgumentError(OptionRef("overlap") + " (" + std::to_string(overlap) + " tokens) must be below " +
                                OptionRef("max-tokens") + " (" +
                                std::to_string(options.max_tokens) + ")");
  }
  return Chunker(std::move(tokenizer), options, overlap);
}

Result<std::vector<Chunk>> Chunker::Split(const Document& document) const {
  const std::string_view text = document.text;
  std::vector<Chunk> chunks;
  if (text.empty()) return chunks;
  const size_t max_tokens = options_.max_tokens;
  const tokenize::EncodeOptions encode_options;  // special-token text is plain text

  auto count = [&](std::string_view s) -> Result<size_t> {
    return tokenizer_->Count(s, encode_options);
  };

  // Tokenize once, window by window. Token starts are snapped to character starts:
  // byte-level tokenizers may split a character, and a chunk must never cut one. The index
  // only places cuts (every chunk is counted exactly as written), so tokens that would
  // merge across a window's edge cost nothing but a recount; windows keep the tokenizer's
  // ids, offsets and merge scratch to one window instead of the whole document (a 21 MB
  // run of CJK without spaces is one pre-token).
  std::vector<tokenize::TokenId> ids;
  std::vector<tokenize::TokenSpan> spans;
  std::vector<size_t> begins;
  for (size_t window = 0; window < text.size();) {
    const size_t window_end = WindowEnd(text, window);
    ids.clear();
    spans.clear();
    TP_RETURN_IF_ERROR(tokenizer_->Encode(text.substr(window, window_end - window),
                                          encode_options, &ids, &spans));
    for (const tokenize::TokenSpan& span : spans) {
      size_t b = SnapBack(text, std::min<size_t>(window + span.begin, text.size()));
      if (begins.empty() || b > begins.back()) begins.push_back(b);
    }
    window = window_end;
  }
  if (begins.empty() || begins.front() != 0) begins.insert(begins.begin(), 0);
  const TokenIndex tokens(std::move(begins));
  auto tokens_in = [&](size_t begin, size_t end) {  // an over-estimate by at most one
    return end <= begin ? 0 : tokens.StartingFrom(end) - tokens.Containing(begin);
  };

  // Heading paths and their prefixes, by block.
  std::vector<Block> blocks = document.blocks;
  std::sort(blocks.begin(), blocks.end(),
            [](const Block& a, const Block& b) { return a.begin < b.begin; });
  auto path_at = [&](size_t pos) {
    std::vector<std::string> path;
    if (!document.title.empty()) path.push_back(document.title);
    if (blocks.empty()) return path;
    auto it = std::upper_bound(blocks.begin(), blocks.end(), pos,
                               [](size_t p, const Block& b) { return p < b.begin; });
    const Block& block = it == blocks.begin() ? *it : *(it - 1);
    const std::vector<std::string>& headings = block.heading_path;
    for (size_t i = 0; i < headings.size(); ++i) {
      if (i == 0 && !path.empty() && path[0] == headings[0]) continue;  // the title again
      path.push_back(headings[i]);
    }
    return path;
  };
  std::map<std::string, size_t> prefix_tokens_cache;
  auto prefix_tokens = [&](const std::string& prefix) -> Result<size_t> {
    if (prefix.empty()) return size_t{0};
    auto it = prefix_tokens_cache.find(prefix);
    if (it != prefix_tokens_cache.end()) return it->second;
    TP_ASSIGN_OR_RETURN(size_t n, count(prefix));
    prefix_tokens_cache.emplace(prefix, n);
    return n;
  };

  // A code block or table is split only when it cannot fit a chunk on its own, with its
  // heading prefix and an overlap in front of it.
  Status status;
  auto oversized = [&](const Block& block) {
    size_t context = overlap_;
    if (options_.heading_context) {
      auto n = prefix_tokens(FormatPrefix(path_at(block.begin)));
      if (!n.ok()) status = n.error();
      context += n.value_or(0);
    }
    return tokens_in(block.begin, block.end) + context > max_tokens;
  };
  const Structure structure = internal::FindBoundaries(text, blocks, oversized);
  TP_RETURN_IF_ERROR(status);
  const std::vector<Boundary>& bounds = structure.boundaries;

  // Returns where a chunk starting at `start` ends, given `limit`, the farthest position
  // its budget of `budget` tokens allows. Boundaries are taken in tiers, each the farthest
  // of its strength or stronger: the end of a section, then of a paragraph (block or list
  // item), then of a sentence (or line), then of a word. A section or paragraph end is
  // taken when the chunk is at least half full there, or when what follows it up to the
  // next boundary as strong fits a chunk whole (so cutting it now would gain nothing);
  // otherwise the chunk is filled up to a weaker boundary. A sentence end is always
  // preferred to a word's, and a word's to a cut inside a word at `limit`.
  auto choose_end = [&](size_t start, size_t limit, size_t budget) {
    if (limit >= text.size()) return text.size();
    auto first = std::upper_bound(bounds.begin(), bounds.end(), start,
                                  [](size_t p, const Boundary& b) { return p < b.pos; });
    constexpr int kTiers = 4;  // section, paragraph, sentence, word
    auto tier_of = [](internal::Level level) {
      return level == internal::kSection ? 0
             : level <= internal::kItem  ? 1
             : level == internal::kSentence ? 2
                                            : 3;
    };
    std::array<const Boundary*, kTiers> farthest{};  // per tier: farthest of it or stronger
    auto last = first;
    for (auto it = first; it != bounds.end() && it->pos <= limit; ++it) {
      for (int t = tier_of(it->level); t < kTiers; ++t) farthest[t] = &*it;
      last = it + 1;
    }
    const size_t half = tokens.Containing(start) + budget / 2;
    for (int t = 0; t < 2; ++t) {
      const Boundary* at = farthest[t];
      if (at == nullptr) continue;
      if (tokens.Containing(at->pos) >= half) return at->pos;
      // Does what follows, up to the next boundary of this tier, fit a chunk whole?
      const size_t room_end = tokens.Containing(at->pos) + budget;
      size_t next = text.size();
      bool beyond_room = false;
      for (auto it = last; it != bounds.end(); ++it) {
        if (tokens.Containing(it->pos) > room_end) {
          beyond_room = true;
          break;
        }
        if (tier_of(it->level) <= t) {
          next = it->pos;
          break;
        }
      }
      if (!beyond_room && tokens_in(at->pos, next) <= budget) return at->pos;
    }
    for (int t = 2; t < kTiers; ++t) {
      if (farthest[t] != nullptr) return farthest[t]->pos;
    }
    size_t end = SnapBack(text, limit);
    return end > start ? end : NextChar(text, start);
  };

  // The fenced code block whose lines (after its opening fence line, up to its end) hold
  // `pos`, if any.
  auto code_at = [&](size_t pos) -> const CodeSplit* {
    auto it = std::upper_bound(structure.code.begin(), structure.code.end(), pos,
                               [](size_t p, const CodeSplit& c) { return p < c.begin; });
    if (it == structure.code.begin()) return nullptr;
    const CodeSplit& code = *(it - 1);
    return pos >= code.code_begin && pos < code.end ? &code : nullptr;
  };
  // The split code block a position lies strictly inside, if any.
  auto split_code_at = [&](size_t pos) -> const CodeSplit* {
    const CodeSplit* code = code_at(pos);
    return code != nullptr && code->split && pos > code->code_begin && pos < code->code_end
               ? code
               : nullptr;
  };

  size_t start = 0;
  while (start < text.size()) {
    Chunk chunk;
    chunk.index = chunks.size();
    chunk.begin = start;
    chunk.heading_path = path_at(start);
    std::string prefix = options_.heading_context ? FormatPrefix(chunk.heading_path) : "";
    std::string header;
    if (options_.repeat_table_header) {
      for (const TableSplit& table : structure.tables) {
        if (start >= table.header_end && start < table.end) {
          header = std::string(text.substr(table.begin, table.header_end - table.begin));
        }
      }
    }
    // A piece of a split code block is reopened with its fence line, info string included.
    const CodeSplit* code_inside = split_code_at(start);
    if (code_inside != nullptr) {
      header = std::string(text.substr(code_inside->begin,
                                       code_inside->code_begin - code_inside->begin));
    }
    TP_ASSIGN_OR_RETURN(size_t context_tokens, prefix_tokens(prefix));
    if (!header.empty()) {
      TP_ASSIGN_OR_RETURN(size_t n, prefix_tokens(header));
      context_tokens += n;
    }
    if (code_inside != nullptr) {  // room for the closing fence it will likely need too
      TP_ASSIGN_OR_RETURN(size_t n, prefix_tokens("\n" + code_inside->fence));
      context_tokens += n;
    }
    // Context that leaves no room for text is dropped, header first, then the prefix.
    if (context_tokens >= max_tokens) {
      header.clear();
      TP_ASSIGN_OR_RETURN(context_tokens, prefix_tokens(prefix));
      if (context_tokens >= max_tokens) {
        prefix.clear();
        context_tokens = 0;
      }
    }

    // Overlap: the last `overlap_` tokens before `start`, within the previous body.
    size_t overlap_begin = start;
    size_t overlap_count = 0;
    if (!chunks.empty() && overlap_ > 0) {
      size_t first_new = tokens.StartingFrom(start);
      size_t floor = tokens.StartingFrom(chunks.back().begin);
      // Inside split code the overlap stays after the fence line the header repeats.
      if (code_inside != nullptr && !header.empty()) {
        floor = std::max(floor, tokens.StartingFrom(code_inside->code_begin));
      }
      size_t wanted = std::min(overlap_, max_tokens - 1 - std::min(context_tokens, max_tokens - 1));
      size_t from = first_new > floor + wanted ? first_new - wanted : floor;
      overlap_begin = std::min(tokens.begin(from), start);
      overlap_count = first_new - from;
      // An overlap that starts inside the code of an earlier block reopens it too, or its
      // closing fence would stand alone.
      if (header.empty()) {
        if (const CodeSplit* code = code_at(overlap_begin); code != nullptr && code->end <= start) {
          header = std::string(text.substr(code->begin, code->code_begin - code->begin));
          TP_ASSIGN_OR_RETURN(size_t n, prefix_tokens(header));
          context_tokens += n;
        }
      }
    }

    const size_t budget = max_tokens - std::min(max_tokens, context_tokens + overlap_count);
    const size_t first_token = tokens.Containing(start);
    size_t limit = first_token + budget < tokens.size() ? tokens.begin(first_token + budget)
                                                        : text.size();
    // --min-tokens: do not leave a trailing piece smaller than that; end earlier instead,
    // so the last chunk takes the rest with enough text of its own.
    if (options_.min_tokens > 0 && limit < text.size()) {
      size_t last = tokens.StartingFrom(text.size());
      if (last > options_.min_tokens) {
        size_t keep_from = tokens.begin(last - options_.min_tokens);
        size_t end = choose_end(start, std::max(limit, start), budget);
        if (end < text.size() && tokens_in(end, text.size()) < options_.min_tokens &&
            keep_from > start) {
          limit = std::min(limit, keep_from);
        }
      }
    }
    std::string trailer;
    while (true) {
      size_t end = choose_end(start, std::max(limit, start), budget);
      // A piece that stops inside split code closes it.
      trailer.clear();
      if (const CodeSplit* code = split_code_at(end)) {
        trailer = (text[end - 1] == '\n' ? "" : "\n") + code->fence;
      }
      chunk.text.clear();
      chunk.text.append(prefix).append(header).append(text.substr(overlap_begin, end - overlap_begin));
      chunk.text.append(trailer);
      TP_ASSIGN_OR_RETURN(size_t n, count(chunk.text));
      if (n <= max_tokens) {
        chunk.end = end;
        chunk.tokens = n;
        break;
      }
      // Over budget after all (tokens merge differently across the seams): move the limit
      // back by the excess and choose again. Each round ends strictly earlier.
      size_t excess = n - max_tokens;
      size_t end_token = tokens.Containing(end == 0 ? 0 : end - 1);
      size_t back = end_token > excess ? tokens.begin(end_token - excess + 1) : 0;
      if (back >= end) back = end - 1;
      if (back <= start && end_token > first_token) {
        // The excess outnumbers the chunk's positions: characters that take several tokens
        // each (CJK under byte-level BPE), where the index holds one position per
        // character. Shrink in proportion instead; falling back to one character here made
        // a chunk per character (1 MB of CJK: 330,000 chunks, 770 MB, 48 s).
        const size_t positions = end_token - first_token + 1;
        const size_t keep = positions * max_tokens / n;
        if (keep >= 1) back = std::min(tokens.begin(first_token + keep), end - 1);
      }
      if (back <= start) {
        if (end > NextChar(text, start)) {
          limit = start;  // choose_end falls back to a single character
          continue;
        }
        // One character does not fit beside the context: drop the context.
        if (!prefix.empty() || !header.empty() || overlap_begin < start) {
          prefix.clear();
          header.clear();
          overlap_begin = start;
          overlap_count = 0;
          limit = start;
          continue;
        }
        return InvalidArgumentError(OptionRef("max-tokens") + " " + std::to_string(max_tokens) +
                                    " cannot hold the character at byte " + std::to_string(start));
      }
      limit = back;
    }
    chunk.prefix_bytes = prefix.size();
    chunk.header_bytes = header.size();
    chunk.trailer_bytes = trailer.size();
    chunk.overlap_bytes = start - overlap_begin;
    chunk.overlap_tokens = overlap_count;
    start = chunk.end;
    chunks.push_back(std::move(chunk));
  }

  // Small pieces join the previous chunk when the result still fits.
  if (options_.min_tokens > 0 && chunks.size() > 1) {
    std::vector<Chunk> merged;
    for (Chunk& chunk : chunks) {
      if (!merged.empty() && tokens_in(chunk.begin, chunk.end) < options_.min_tokens) {
        // The previous chunk's closing fence and this one's reopened fence cancel out.
        Chunk& previous = merged.back();
        std::string joined = previous.text.substr(0, previous.text.size() - previous.trailer_bytes);
        joined.append(chunk.body());
        joined.append(std::string_view(chunk.text).substr(chunk.text.size() - chunk.trailer_bytes));
        TP_ASSIGN_OR_RETURN(size_t n, count(joined));
        if (n <= max_tokens) {
          previous.text = std::move(joined);
          previous.end = chunk.end;
          previous.tokens = n;
          previous.trailer_bytes = chunk.trailer_bytes;
          continue;
        }
      }
      merged.push_back(std::move(chunk));
    }
    chunks = std::move(merged);
    for (size_t i = 0; i < chunks.size(); ++i) chunks[i].index = i;
  }
  // Paged documents (PDF): the pages a chunk's body spans, from its blocks.
  for (Chunk& chunk : chunks) {
    for (const Block& block : blocks) {
      if (block.first_page == 0 || block.end <= chunk.begin || block.begin >= chunk.end) continue;
      if (chunk.first_page == 0 || block.first_page < chunk.first_page) {
        chunk.first_page = block.first_page;
      }
      chunk.last_page = std::max(chunk.last_page, block.last_page);
    }
  }
  return chunks;
}

void SetChunkMetadata(const Chunk& chunk, Metadata* metadata) {
  std::string json = "{\"index\":" + std::to_string(chunk.index) +
                     ",\"begin\":" + std::to_string(chunk.begin) +
                     ",\"end\":" + std::to_string(chunk.end) +
                     ",\"tokens\":" + std::to_string(chunk.tokens) + ",\"headings\":[";
  for (size_t i = 0; i < chunk.heading_path.size(); ++i) {
    if (i > 0) json += ',';
    AppendJsonString(json, chunk.heading_path[i]);
  }
  json += "]";
  if (chunk.first_page > 0) {
    json += ",\"pages\":[" + std::to_string(chunk.first_page) + "," +
            std::to_string(chunk.last_page) + "]";
  }
  json += "}";
  metadata->SetJson("chunk", std::move(json));
}

}  // namespace tunepack::chunk
