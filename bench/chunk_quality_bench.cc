// Chunk quality on real Markdown (not a timing benchmark): reads each file given on the
// command line as a Markdown document, chunks it with cl100k_base, and counts the defects a
// reader of the chunks would notice:
//   heading_only    a chunk whose body is nothing but heading lines (or a bare "#")
//   unclosed_fence  a chunk whose text opens a code fence it does not close (or starts
//                   with a closing fence it did not open)
//   mid_sentence    a chunk ending inside a sentence of prose (not at a line end, not after
//                   . ! ? : ; or their CJK forms), code excluded
//   under_20        chunks of fewer than 20 tokens, a document's only chunk excluded
//
//   build/bench/chunk_quality_bench [--max-tokens N] [--min-tokens N] FILE.md...
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tunepack/chunk/chunker.h"
#include "tunepack/ingest/document_reader.h"
#include "tunepack/tokenize/tokenizer.h"

namespace {

using namespace tunepack;

// Returns the fence ("```", "~~~~"...) that `line` opens or closes, or empty.
std::string FenceOf(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return {};
  size_t j = i;
  while (j < line.size() && line[j] == line[i]) ++j;
  return j - i >= 3 ? std::string(line.substr(i, j - i)) : std::string();
}

// Returns true when `text` leaves a fence open at its end (a stray closing fence at the top
// of a chunk reads as an opening one, so it is caught too).
bool UnbalancedFences(std::string_view text) {
  std::string open;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    const std::string fence = FenceOf(line);
    if (!fence.empty()) {
      if (open.empty()) {
        open = fence;
      } else if (fence[0] == open[0] && fence.size() >= open.size() &&
                 line.find_first_not_of(" `~") == std::string_view::npos) {
        open.clear();
      }
    }
    pos = end + 1;
  }
  return !open.empty();
}

// Returns true when every non-blank line of `body` is an ATX heading.
bool HeadingOnly(std::string_view body) {
  bool any = false;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty()) {
      if (line[0] != '#') return false;
      any = true;
    }
    pos = end + 1;
  }
  return any;
}

bool InsideCode(const Document& doc, size_t pos) {
  for (const Block& block : doc.blocks) {
    if (block.kind == BlockKind::kCode && pos > block.begin && pos < block.end) return true;
  }
  return false;
}

bool EndsMidSentence(const Document& doc, size_t end) {
  if (end >= doc.text.size() || end == 0 || InsideCode(doc, end)) return false;
  size_t p = end;
  bool newline = false;
  while (p > 0 && (doc.text[p - 1] == ' ' || doc.text[p - 1] == '\n' || doc.text[p - 1] == '\t')) {
    newline |= doc.text[p - 1] == '\n';
    --p;
  }
  if (newline || p == 0) return false;
  const char c = doc.text[p - 1];
  if (std::string_view(".!?:;").find(c) != std::string_view::npos) return false;
  for (std::string_view stop : {"\u3002", "\uFF01", "\uFF1F"}) {
    if (p >= 3 && doc.text.compare(p - 3, 3, stop) == 0) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  chunk::ChunkOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--max-tokens" && i + 1 < argc) {
      options.max_tokens = std::strtoul(argv[++i], nullptr, 10);
    } else if (arg == "--min-tokens" && i + 1 < argc) {
      options.min_tokens = std::strtoul(argv[++i], nullptr, 10);
    } else {
      files.push_back(arg);
    }
  }
  auto tokenizer = tokenize::LoadTokenizer("cl100k_base");
  if (!tokenizer.ok()) {
    std::fprintf(stderr, "%s\n", tokenizer.error().ToString().c_str());
    return 1;
  }
  auto chunker = chunk::Chunker::Create(*tokenizer, options);
  if (!chunker.ok()) {
    std::fprintf(stderr, "%s\n", chunker.error().ToString().c_str());
    return 1;
  }
  const ingest::DocumentReader* reader = ingest::BuiltinDocumentReaders().Find("markdown");
  size_t docs = 0, chunks = 0, heading_only = 0, unclosed = 0, mid_sentence = 0, small = 0;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto doc = ingest::ReadDocument(*reader, buffer.str(), {path}, {});
    if (!doc.ok()) continue;
    auto result = chunker->Split(*doc);
    if (!result.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), result.error().ToString().c_str());
      continue;
    }
    ++docs;
    for (const chunk::Chunk& c : *result) {
      ++chunks;
      const bool h = HeadingOnly(c.body()), u = UnbalancedFences(c.text),
                 m = EndsMidSentence(*doc, c.end), s = result->size() > 1 && c.tokens < 20;
      heading_only += h;
      unclosed += u;
      mid_sentence += m;
      small += s;
      if (std::getenv("TP_SHOW") != nullptr && (h || u || m || s)) {
        std::printf("--- %s #%zu%s%s%s%s\n%s\n", path.c_str(), c.index, h ? " heading_only" : "",
                    u ? " unclosed_fence" : "", m ? " mid_sentence" : "", s ? " under_20" : "",
                    c.text.c_str());
      }
    }
  }
  std::printf("documents %zu chunks %zu heading_only %zu unclosed_fence %zu mid_sentence %zu "
              "under_20 %zu\n",
              docs, chunks, heading_only, unclosed, mid_sentence, small);
  return 0;
}
