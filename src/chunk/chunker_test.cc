#include "tunepack/chunk/chunker.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/status_matchers.h"
#include "tunepack/core/utf8.h"

namespace tunepack::chunk {
namespace {

using ::testing::HasSubstr;
using ::tunepack::testing::IsOk;
using ::tunepack::testing::StatusIs;
using tokenize::EncodeOptions;
using tokenize::TokenId;
using tokenize::TokenSpan;

// Test tokenizers. Both count how many bytes they were asked to encode, so tests can check
// that the chunker does not tokenize the same text over and over.
class CountingTokenizer : public tokenize::Tokenizer {
 public:
  mutable std::atomic<size_t> bytes_seen{0};
  Result<std::string> Decode(std::span<const TokenId>) const override {
    return UnimplementedError("test tokenizer");
  }
  size_t vocab_size() const override { return 256; }
  std::vector<std::pair<std::string, TokenId>> special_tokens() const override { return {}; }
};

// One token per byte: counts add up across any cut, so overlap and budgets are exact.
class ByteTokenizer : public CountingTokenizer {
 public:
  std::string_view name() const override { return "test-bytes"; }
  Status Encode(std::string_view text, const EncodeOptions&, std::vector<TokenId>* ids,
                std::vector<TokenSpan>* offsets) const override {
    bytes_seen += text.size();
    for (size_t i = 0; i < text.size(); ++i) {
      ids->push_back(static_cast<unsigned char>(text[i]));
      if (offsets) offsets->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
    }
    return Status::Ok();
  }
};

// GPT-like: a letter/digit run with one leading space is a token, so is any other byte, and
// runs longer than 4 bytes split every 4. Cutting text between a space and a word changes
// the count, which is what makes budgets hard for splitters that estimate.
class WordishTokenizer : public CountingTokenizer {
 public:
  std::string_view name() const override { return "test-wordish"; }
  Status Encode(std::string_view text, const EncodeOptions&, std::vector<TokenId>* ids,
                std::vector<TokenSpan>* offsets) const override {
    bytes_seen += text.size();
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); };
    size_t i = 0;
    while (i < text.size()) {
      size_t j = i;
      if (text[j] == ' ' && j + 1 < text.size() && word(text[j + 1])) ++j;
      if (word(text[j])) {
        while (j < text.size() && word(text[j]) && j - i < 4) ++j;
      } else {
        ++j;
      }
      ids->push_back(static_cast<TokenId>(j - i));
      if (offsets) offsets->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j)});
      i = j;
    }
    return Status::Ok();
  }
};

// Builds a Document from Markdown the way ingest does (headings, fenced code, pipe tables,
// list items, paragraphs), enough for these tests.
Document MarkdownDocument(const std::string& text, const std::string& title = "") {
  Document doc;
  doc.title = title;
  doc.text = text;
  std::vector<std::string> path;
  std::vector<int> levels;
  size_t pos = 0;
  auto line_end = [&](size_t p) {
    size_t nl = text.find('\n', p);
    return nl == std::string::npos ? text.size() : nl;
  };
  while (pos < text.size()) {
    size_t end = line_end(pos);
    std::string_view line(text.data() + pos, end - pos);
    if (line.empty()) {
      pos = end + 1;
      continue;
    }
    Block block;
    block.begin = pos;
    if (line[0] == '#') {
      int level = 0;
      while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
      while (!levels.empty() && levels.back() >= level) levels.pop_back(), path.pop_back();
      block.kind = BlockKind::kHeading;
      block.level = level;
      block.heading_path = path;
      block.end = end;
      path.emplace_back(line.substr(level + 1));
      levels.push_back(level);
    } else if (line.starts_with("```")) {
      block.kind = BlockKind::kCode;
      size_t p = end + 1;
      while (p < text.size() && !std::string_view(text).substr(p).starts_with("```")) p = line_end(p) + 1;
      block.end = std::min(text.size(), line_end(p));
      block.heading_path = path;
    } else {
      char first = line[0];
      block.kind = first == '|' ? BlockKind::kTable
                   : (first == '-' && line.size() > 1 && line[1] == ' ') ? BlockKind::kListItem
                                                                          : BlockKind::kParagraph;
      block.end = end;
      size_t p = end + 1;
      while (block.kind != BlockKind::kListItem && p < text.size() && text[p] != '\n' &&
             (block.kind == BlockKind::kTable) == (text[p] == '|') && text[p] != '#' &&
             !std::string_view(text).substr(p).starts_with("```") &&
             !std::string_view(text).substr(p).starts_with("- ")) {
        block.end = line_end(p);
        p = block.end + 1;
      }
      block.heading_path = path;
    }
    doc.blocks.push_back(block);
    pos = block.end + 1;
  }
  return doc;
}

std::string Sentences(int n, int seed) {
  static const char* kWords[] = {"the", "quick", "archive", "stores", "every", "record", "and",
                                 "its", "origin", "so", "nothing", "is", "lost", "when", "a",
                                 "run", "restarts", "after", "failure", "today"};
  std::string out;
  unsigned state = static_cast<unsigned>(seed) * 2654435761u + 1;
  for (int s = 0; s < n; ++s) {
    int len = 5 + static_cast<int>(state % 9);
    for (int w = 0; w < len; ++w) {
      state = state * 1103515245u + 12345u;
      std::string word = kWords[(state >> 8) % 20];
      if (w == 0) word[0] = static_cast<char>(std::toupper(word[0]));
      out += word;
      out += w + 1 == len ? ". " : " ";
    }
  }
  out.pop_back();
  return out;
}

std::string RichMarkdown() {
  std::string md = "# Guide\n\n" + Sentences(4, 1) + "\n\n## Install\n\n" + Sentences(3, 2) +
                   "\n\n- " + Sentences(1, 3) + "\n- " + Sentences(2, 4) + "\n- " +
                   Sentences(1, 5) + "\n\n```python\n";
  for (int i = 0; i < 30; ++i) md += "value_" + std::to_string(i) + " = compute(" + std::to_string(i) + ")\n";
  md += "```\n\n### Options\n\n| name | default | meaning |\n|---|---|---|\n";
  for (int i = 0; i < 25; ++i) md += "| opt" + std::to_string(i) + " | " + std::to_string(i) + " | " + Sentences(1, i) + " |\n";
  md += "\n#### Deep detail\n\n" + Sentences(12, 9) + "\n\n" + Sentences(8, 10) +
        "\n\nUnseparated: " + std::string(300, 'x') + "\n\n日本語の文です。次の文です。最後の文です。\n";
  return md;
}

// Checks every guarantee of chunker.h for one document and option set.
void CheckGuarantees(const tokenize::Tokenizer& tokenizer, const Document& doc,
                     const std::vector<Chunk>& chunks, const ChunkOptions& options,
                     size_t overlap) {
  ASSERT_FALSE(chunks.empty());
  std::string rebuilt;
  for (size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    SCOPED_TRACE("chunk " + std::to_string(i) + ": [" + c.text + "]");
    auto n = tokenizer.Count(c.text, {});
    ASSERT_THAT(n, IsOk());
    EXPECT_LE(*n, options.max_tokens);
    EXPECT_EQ(*n, c.tokens);
    EXPECT_EQ(c.index, i);
    EXPECT_EQ(c.begin, i == 0 ? 0 : chunks[i - 1].end);
    EXPECT_LT(c.begin, c.end);
    ASSERT_LE(c.overlap_bytes, c.begin);
    EXPECT_EQ(c.text.substr(c.prefix_bytes + c.header_bytes, c.overlap_bytes),
              doc.text.substr(c.begin - c.overlap_bytes, c.overlap_bytes));
    EXPECT_EQ(c.body(), doc.text.substr(c.begin, c.end - c.begin));
    // Overlap is present at every boundary once the budget has room for it (a 12-token
    // budget with a heading prefix may hold only the prefix and one token).
    if (i > 0 && overlap > 0 && options.max_tokens >= 40) {
      // Exactly what was asked whenever the previous body holds that many tokens.
      // Exactly what was asked whenever the previous body holds that many tokens and the
      // budget has room beside the context. (Where tokens split a character, the chunker
      // counts whole characters, so compare with the smaller of the two counts.)
      std::string_view previous = chunks[i - 1].body();
      size_t previous_tokens = std::min<size_t>(
          *tokenizer.Count(previous, {}),
          std::count_if(previous.begin(), previous.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
      size_t context = *tokenizer.Count(c.text.substr(0, c.prefix_bytes + c.header_bytes), {});
      size_t expected = std::min(overlap, options.max_tokens - 1 - std::min(context, options.max_tokens - 1));
      if (previous_tokens > overlap + 1) {
        EXPECT_EQ(c.overlap_tokens, expected);
      }
      EXPECT_GT(c.overlap_tokens, 0u);
    }
    EXPECT_LE(c.overlap_tokens, overlap);
    rebuilt += c.body();
  }
  EXPECT_EQ(rebuilt, doc.text);
}

struct Case {
  const char* name;
  std::shared_ptr<CountingTokenizer> tokenizer;
};

std::vector<Document> TestDocuments() {
  std::vector<Document> docs;
  docs.push_back(MarkdownDocument(RichMarkdown(), "Manual"));
  Document plain;
  plain.text = Sentences(40, 3) + "\n\n" + Sentences(30, 4) + "\n" + std::string(500, 'y');
  docs.push_back(plain);
  std::ifstream gpl("/usr/share/common-licenses/GPL-3");
  if (gpl) {
    std::stringstream ss;
    ss << gpl.rdbuf();
    Document license;
    license.text = ss.str().substr(0, 20000);
    docs.push_back(license);
  }
  return docs;
}

TEST(ChunkerTest, GuaranteesHoldAcrossOptionsAndTokenizers) {
  std::vector<std::shared_ptr<CountingTokenizer>> tokenizers = {
      std::make_shared<ByteTokenizer>(), std::make_shared<WordishTokenizer>()};
  for (auto& tokenizer : tokenizers) {
    for (const Document& doc : TestDocuments()) {
      for (size_t max_tokens : {12, 40, 128}) {
        for (size_t overlap : {0, 5}) {
          for (bool heading_context : {false, true}) {
            ChunkOptions options{.max_tokens = max_tokens, .overlap_tokens = overlap,
                                 .heading_context = heading_context};
            SCOPED_TRACE(std::string(tokenizer->name()) + " max=" + std::to_string(max_tokens) +
                         " overlap=" + std::to_string(overlap) +
                         " headings=" + std::to_string(heading_context));
            auto chunker = Chunker::Create(tokenizer, options);
            ASSERT_THAT(chunker, IsOk());
            auto chunks = chunker->Split(doc);
            ASSERT_THAT(chunks, IsOk());
            CheckGuarantees(*tokenizer, doc, *chunks, options, overlap);
          }
        }
      }
    }
  }
}

#ifdef TP_HAVE_TOKENIZE
// The same guarantees under a real BPE tokenizer, whose counts change at every cut.
TEST(ChunkerTest, GuaranteesHoldWithCl100k) {
  auto loaded = tokenize::LoadTokenizer("cl100k_base");
  ASSERT_THAT(loaded, IsOk());
  std::shared_ptr<const tokenize::Tokenizer> tokenizer = *loaded;
  for (const Document& doc : TestDocuments()) {
    for (size_t max_tokens : {16, 64, 256}) {
      for (size_t overlap : {0, 8}) {
        for (bool heading_context : {false, true}) {
          ChunkOptions options{.max_tokens = max_tokens, .overlap_tokens = overlap,
                               .min_tokens = 4, .heading_context = heading_context};
          SCOPED_TRACE("cl100k max=" + std::to_string(max_tokens) + " overlap=" +
                       std::to_string(overlap) + " headings=" + std::to_string(heading_context));
          auto chunker = Chunker::Create(tokenizer, options);
          ASSERT_THAT(chunker, IsOk());
          auto chunks = chunker->Split(doc);
          ASSERT_THAT(chunks, IsOk());
          CheckGuarantees(*tokenizer, doc, *chunks, options, overlap);
        }
      }
    }
  }
}
#endif

#ifdef TP_HAVE_TOKENIZE
// Issue 9: random CJK text without punctuation took about 1.3 KB per character (3 MB:
// 34 s, 1.34 GB): every character of it became a chunk of its own, because characters
// that take several tokens each made the budget's back-off fall to one character.
TEST(ChunkerTest, CjkWithoutBoundariesStaysLinearAndSmall) {
  auto loaded = tokenize::LoadTokenizer("cl100k_base");
  ASSERT_THAT(loaded, IsOk());
  Document doc;
  unsigned state = 7;
  while (doc.text.size() < (1u << 20)) {  // 1 MB of CJK ideographs, no punctuation
    state = state * 1103515245u + 12345u;
    AppendUtf8(0x4E00 + (state >> 8) % 0x5200, doc.text);
  }
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  const auto started = std::chrono::steady_clock::now();
  auto chunker = Chunker::Create(*loaded, {.max_tokens = 512});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rusage after{};
  getrusage(RUSAGE_SELF, &after);
  // A 512-token chunk holds about 200 of these characters; none but the last is tiny.
  for (size_t i = 0; i + 1 < chunks->size(); ++i) {
    ASSERT_GE((*chunks)[i].end - (*chunks)[i].begin, 64u * 3) << "chunk " << i;
    ASSERT_LE((*chunks)[i].tokens, 512u);
  }
  EXPECT_LT(chunks->size(), 6000u);
  // Generous bounds for a loaded 2-core machine (measured: 1.4 s and 33 MB for the whole test process).
  EXPECT_LT(seconds, 30.0);
  EXPECT_LT(after.ru_maxrss, 400L * 1024);  // KiB: the whole test process
  std::string rebuilt;
  for (const Chunk& c : *chunks) rebuilt += c.body();
  EXPECT_EQ(rebuilt, doc.text);
}
#endif

TEST(ChunkerTest, RejectsBadOptions) {
  auto tok = std::make_shared<ByteTokenizer>();
  EXPECT_THAT(Chunker::Create(tok, {.max_tokens = 0}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("‹max-tokens›")));
  EXPECT_THAT(Chunker::Create(tok, {.max_tokens = 10, .overlap_tokens = 10}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("‹overlap›")));
  EXPECT_THAT(Chunker::Create(nullptr, {}), StatusIs(StatusCode::kInvalidArgument, HasSubstr("tokenizer")));
  auto fraction = Chunker::Create(tok, {.max_tokens = 100, .overlap_fraction = 0.15});
  ASSERT_THAT(fraction, IsOk());
  EXPECT_EQ(fraction->overlap(), 15u);
}

// LangChain #8142/#30200: overlap silently did nothing when chunks ended at separators.
TEST(ChunkerTest, OverlapAppliesAtEveryBoundaryKind) {
  auto tok = std::make_shared<ByteTokenizer>();
  std::string text;
  for (int i = 0; i < 20; ++i) text += "Paragraph number " + std::to_string(i) + " ends here.\n\n";
  Document doc;
  doc.text = text;
  auto chunker = Chunker::Create(tok, {.max_tokens = 60, .overlap_tokens = 8});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  ASSERT_GT(chunks->size(), 5u);
  for (size_t i = 1; i < chunks->size(); ++i) {
    const Chunk& c = (*chunks)[i];
    EXPECT_EQ(c.overlap_tokens, 8u);
    EXPECT_EQ(c.overlap_bytes, 8u);  // one byte per token here
    EXPECT_TRUE(c.text.starts_with(doc.text.substr(c.begin - 8, 8)));
    // The chunk itself starts at a paragraph: the structure is still respected.
    EXPECT_EQ(doc.text.substr(c.begin, 9), "Paragraph");
  }
}

// LangChain #872 and LlamaIndex #22858: no separator at all, and counts that change when
// text is cut. Every chunk is counted as written, so none can be over.
TEST(ChunkerTest, NoSeparatorStillWithinBudget) {
  auto tok = std::make_shared<WordishTokenizer>();
  Document doc;
  doc.text = std::string(2000, 'a') + " " + std::string(999, 'b');
  auto chunker = Chunker::Create(tok, {.max_tokens = 25, .overlap_tokens = 3});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  CheckGuarantees(*tok, doc, *chunks, chunker->options(), 3);
}

// benbrandt/text-splitter #798: the opening fence alone in its own chunk.
TEST(ChunkerTest, CodeFenceNeverAloneAndSmallCodeNeverSplit) {
  auto tok = std::make_shared<WordishTokenizer>();
  Document doc = MarkdownDocument(RichMarkdown());
  const Block* code = nullptr;
  for (const Block& b : doc.blocks) if (b.kind == BlockKind::kCode) code = &b;
  ASSERT_NE(code, nullptr);
  for (size_t max_tokens : {40, 400}) {
    auto chunker = Chunker::Create(tok, {.max_tokens = max_tokens});
    ASSERT_THAT(chunker, IsOk());
    auto chunks = chunker->Split(doc);
    ASSERT_THAT(chunks, IsOk());
    size_t code_tokens = *tok->Count(doc.text.substr(code->begin, code->end - code->begin), {});
    for (const Chunk& c : *chunks) {
      std::string_view body = c.body();
      std::string_view trimmed = body.substr(0, body.find_last_not_of(" \n") + 1);
      EXPECT_NE(trimmed, "```python") << "fence alone";
      EXPECT_NE(trimmed, "```") << "closing fence alone";
      if (code_tokens <= max_tokens) {
        // A code block that fits is inside one chunk, whole.
        bool starts_inside = c.begin > code->begin && c.begin < code->end;
        EXPECT_FALSE(starts_inside) << "small code block split at " << c.begin;
      }
    }
  }
}

// unstructured #3778, docling #2975: table rows split from their header row.
TEST(ChunkerTest, SplitTablesRepeatTheirHeader) {
  auto tok = std::make_shared<WordishTokenizer>();
  Document doc = MarkdownDocument(RichMarkdown());
  const Block* table = nullptr;
  for (const Block& b : doc.blocks) if (b.kind == BlockKind::kTable) table = &b;
  ASSERT_NE(table, nullptr);
  const std::string header = "| name | default | meaning |\n|---|---|---|\n";
  auto chunker = Chunker::Create(tok, {.max_tokens = 60, .overlap_tokens = 4});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  size_t continuations = 0;
  for (const Chunk& c : *chunks) {
    if (c.begin > table->begin && c.begin < table->end) {
      ++continuations;
      EXPECT_EQ(c.text.substr(c.prefix_bytes, c.header_bytes), header);
      EXPECT_GE(c.begin, table->begin + header.size()) << "header split from its rows";
    }
    if (c.begin == table->begin) {
      EXPECT_GT(c.end, table->begin + header.size());
    }
  }
  EXPECT_GE(continuations, 2u);
  CheckGuarantees(*tok, doc, *chunks, chunker->options(), 4);
}

// WeKnora #1674, docling #2055: heading context lost for deep sub-headings.
TEST(ChunkerTest, DeepHeadingPathInEveryChunk) {
  auto tok = std::make_shared<WordishTokenizer>();
  Document doc = MarkdownDocument(RichMarkdown(), "Manual");
  auto chunker = Chunker::Create(tok, {.max_tokens = 50, .heading_context = true});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  size_t deep = doc.text.find("#### Deep detail");
  size_t seen = 0;
  for (const Chunk& c : *chunks) {
    if (c.begin <= deep + 20) continue;
    ++seen;
    EXPECT_EQ(c.heading_path,
              (std::vector<std::string>{"Manual", "Guide", "Install", "Options", "Deep detail"}));
    EXPECT_EQ(c.text.substr(0, c.prefix_bytes),
              "Manual > Guide > Install > Options > Deep detail\n\n");
  }
  EXPECT_GE(seen, 3u);
}

TEST(ChunkerTest, HeadingStaysWithItsText) {
  auto tok = std::make_shared<WordishTokenizer>();
  Document doc = MarkdownDocument("Intro line.\n\n# Title\n\n" + Sentences(60, 2));
  auto chunker = Chunker::Create(tok, {.max_tokens = 30});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  for (const Chunk& c : *chunks) {
    std::string_view body = c.body();
    if (body.find("# Title") != std::string_view::npos) {
      EXPECT_GT(body.size(), std::string_view("# Title\n\n").size() + 5) << "heading alone";
    }
  }
  // A one-line intro is not a chunk of its own (3 tokens): the section after it is cut
  // anyway, so the first chunk is filled, heading and all.
  EXPECT_TRUE((*chunks)[0].body().starts_with("Intro line.\n\n# Title\n\n"));
  EXPECT_GT((*chunks)[0].tokens, 15u);
}

TEST(ChunkerTest, SectionBoundaryTakenWhenTheChunkIsHalfFull) {
  auto tok = std::make_shared<WordishTokenizer>();
  std::string intro = "It";
  for (int i = 0; i < 18; ++i) intro += " is";
  intro += ".\n\n";
  Document doc = MarkdownDocument(intro + "# Title\n\n" + Sentences(60, 2));
  ASSERT_GE(*tok->Count(intro, {}), 15u);
  ASSERT_LE(*tok->Count(intro, {}), 28u);
  auto chunker = Chunker::Create(tok, {.max_tokens = 30});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  EXPECT_EQ((*chunks)[0].body(), intro);
  EXPECT_TRUE((*chunks)[1].body().starts_with("# Title\n\n"));
}

// Issue 8: a chunk that was only "# ", its heading's text starting the next chunk, when
// nothing after the heading could be cut.
TEST(ChunkerTest, HeadingIsNeverCut) {
  auto tok = std::make_shared<WordishTokenizer>();
  const std::string heading = "# Installation guide for everyone who reads";
  Document doc = MarkdownDocument("Intro.\n\n" + heading + "\n\n" + std::string(400, 'z') + "\n");
  for (size_t max_tokens : {20, 30, 64}) {
    auto chunker = Chunker::Create(tok, {.max_tokens = max_tokens});
    ASSERT_THAT(chunker, IsOk());
    auto chunks = chunker->Split(doc);
    ASSERT_THAT(chunks, IsOk());
    for (const Chunk& c : *chunks) {
      const std::string_view body = c.body();
      const size_t at = body.find('#');
      if (at == std::string_view::npos) continue;
      // The heading is whole, and content follows it in the same chunk.
      EXPECT_TRUE(body.substr(at).starts_with(heading)) << max_tokens << ": [" << body << "]";
      EXPECT_GT(body.size(), at + heading.size() + 2) << "heading alone: [" << body << "]";
    }
    CheckGuarantees(*tok, doc, *chunks, chunker->options(), 0);
  }
}

// Issue 8: oversized code blocks were split without closing and reopening the fence.
TEST(ChunkerTest, SplitCodeIsRefencedWithItsInfoString) {
  auto tok = std::make_shared<WordishTokenizer>();
  std::string md = "# Code\n\nIntro.\n\n```python\n";
  for (int i = 0; i < 60; ++i) md += "value_" + std::to_string(i) + " = compute(" + std::to_string(i) + ")\n";
  md += "```\n\nAfter the code.\n";
  Document doc = MarkdownDocument(md);
  for (size_t overlap : {0, 6}) {
    auto chunker = Chunker::Create(tok, {.max_tokens = 60, .overlap_tokens = overlap});
    ASSERT_THAT(chunker, IsOk());
    auto chunks = chunker->Split(doc);
    ASSERT_THAT(chunks, IsOk());
    ASSERT_GE(chunks->size(), 4u);
    const size_t code_begin = md.find("value_0");
    const size_t code_end = md.find("```\n\nAfter");
    size_t continued = 0;
    for (const Chunk& c : *chunks) {
      SCOPED_TRACE("[" + c.text + "] at " + std::to_string(c.begin) + "-" + std::to_string(c.end) +
                   " code " + std::to_string(code_begin) + "-" + std::to_string(code_end));
      size_t fences = 0;
      for (size_t pos = 0; (pos = c.text.find("```", pos)) != std::string::npos; pos += 3) ++fences;
      EXPECT_EQ(fences % 2, 0u) << "unbalanced fences";
      if (c.begin > code_begin && c.begin < code_end) {
        ++continued;
        EXPECT_EQ(c.text.substr(c.prefix_bytes, c.header_bytes), "```python\n");
      }
      if (c.end > code_begin && c.end < code_end) {
        EXPECT_TRUE(c.text.ends_with("\n```")) << "open fence at the end";
        EXPECT_EQ(c.trailer_bytes, 3u);
      }
    }
    EXPECT_GE(continued, 2u);
    CheckGuarantees(*tok, doc, *chunks, chunker->options(), overlap);
  }
}

TEST(ChunkerTest, PrefersSentenceOverWordBoundaries) {
  auto tok = std::make_shared<ByteTokenizer>();
  Document doc;
  doc.text = "One short sentence. Another sentence follows here and goes on for a while";
  auto chunker = Chunker::Create(tok, {.max_tokens = 40});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  EXPECT_EQ((*chunks)[0].body(), "One short sentence. ");
}

TEST(ChunkerTest, MinTokensLeavesNoSmallTrailingPiece) {
  auto tok = std::make_shared<ByteTokenizer>();
  Document doc;
  doc.text = std::string(20, 'a') + " " + std::string(17, 'a') + " tail";
  auto plain = Chunker::Create(tok, {.max_tokens = 40});
  auto merging = Chunker::Create(tok, {.max_tokens = 40, .min_tokens = 10});
  ASSERT_THAT(plain, IsOk());
  ASSERT_THAT(merging, IsOk());
  auto a = plain->Split(doc);
  auto b = merging->Split(doc);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(a->back().body(), "tail");
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].body(), std::string(20, 'a') + " ");  // the word boundary, not "tail"
  EXPECT_GE(b->back().body().size(), 10u);
  CheckGuarantees(*tok, doc, *b, merging->options(), 0);
}

TEST(ChunkerTest, TokenizesEachTextAboutOnce) {
  auto tok = std::make_shared<WordishTokenizer>();
  Document doc = MarkdownDocument(RichMarkdown() + RichMarkdown() + RichMarkdown());
  auto chunker = Chunker::Create(tok, {.max_tokens = 64, .overlap_tokens = 8});
  ASSERT_THAT(chunker, IsOk());
  tok->bytes_seen = 0;
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  size_t written = 0;
  for (const Chunk& c : *chunks) written += c.text.size();
  // Once for the document, once per chunk as written, plus a few recounts.
  EXPECT_LE(tok->bytes_seen.load(), doc.text.size() + 2 * written);
}

TEST(ChunkerTest, MetadataNamesPosition) {
  Chunk c;
  c.index = 2;
  c.begin = 10;
  c.end = 20;
  c.tokens = 5;
  c.heading_path = {"A", "B \"q\""};
  Metadata m;
  SetChunkMetadata(c, &m);
  ASSERT_NE(m.FindJson("chunk"), nullptr);
  EXPECT_EQ(*m.FindJson("chunk"),
            R"({"index":2,"begin":10,"end":20,"tokens":5,"headings":["A","B \"q\""]})");
}

TEST(ChunkerTest, MetadataNamesPagesOfPagedDocuments) {
  Chunk c;
  c.index = 0;
  c.end = 4;
  c.first_page = 3;
  c.last_page = 4;
  Metadata m;
  SetChunkMetadata(c, &m);
  EXPECT_EQ(*m.FindJson("chunk"),
            R"({"index":0,"begin":0,"end":4,"tokens":0,"headings":[],"pages":[3,4]})");
}

TEST(ChunkerTest, ChunksCarryThePagesOfTheirBlocks) {
  auto chunker = Chunker::Create(std::make_shared<ByteTokenizer>(), {.max_tokens = 12});
  ASSERT_THAT(chunker, IsOk());
  Document doc;
  doc.text = "page one.\n\npage two.\n\npage 2-3.";
  doc.blocks = {{BlockKind::kParagraph, 0, 0, 9, {}, {}, 1, 1},
                {BlockKind::kParagraph, 0, 11, 20, {}, {}, 2, 2},
                {BlockKind::kParagraph, 0, 22, 31, {}, {}, 2, 3}};
  auto chunks = chunker->Split(doc);
  ASSERT_THAT(chunks, IsOk());
  ASSERT_EQ(chunks->size(), 3u);
  EXPECT_EQ((*chunks)[0].first_page, 1u);
  EXPECT_EQ((*chunks)[2].first_page, 2u);
  EXPECT_EQ((*chunks)[2].last_page, 3u);
}

TEST(ChunkerTest, EmptyDocumentHasNoChunks) {
  auto chunker = Chunker::Create(std::make_shared<ByteTokenizer>(), {});
  ASSERT_THAT(chunker, IsOk());
  auto chunks = chunker->Split(Document{});
  ASSERT_THAT(chunks, IsOk());
  EXPECT_TRUE(chunks->empty());
}

}  // namespace
}  // namespace tunepack::chunk
