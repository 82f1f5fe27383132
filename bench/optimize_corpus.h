// Synthetic corpora for the optimisation benchmarks (chunk, quality): real words from the
// license texts every Debian system ships, arranged into Markdown documents with headings,
// paragraphs, list items, fenced code and pipe tables, deterministically.
#pragma once

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "dedup/near_dup_corpus.h"
#include "tunepack/core/document.h"

namespace tunepack::bench {

// Returns the megabytes to process: TP_BENCH_MB, or `fallback`.
inline size_t BenchBytes(size_t fallback_mb) {
  const char* mb = std::getenv("TP_BENCH_MB");
  return static_cast<size_t>(mb ? std::atol(mb) : static_cast<long>(fallback_mb)) << 20;
}

inline const std::vector<std::string>& LicenseWords() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    auto paragraphs = dedup::ReadParagraphs(dedup::ListFiles("/usr/share/common-licenses"), 1);
    if (paragraphs.ok()) {
      for (const std::string& p : *paragraphs) {
        size_t start = 0;
        while (start < p.size()) {
          size_t end = p.find(' ', start);
          if (end == std::string::npos) end = p.size();
          if (end > start) out.push_back(p.substr(start, end - start));
          start = end + 1;
        }
      }
    }
    if (out.empty()) out = {"lorem", "ipsum", "dolor", "sit", "amet."};
    return out;
  }();
  return words;
}

// Returns a Markdown document of about `bytes` bytes with its blocks and heading paths.
inline Document MarkdownCorpus(size_t bytes, uint64_t seed) {
  const std::vector<std::string>& words = LicenseWords();
  std::mt19937_64 rng(seed);
  Document doc;
  std::string& t = doc.text;
  std::vector<std::string> path;
  auto sentence = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) {
      if (i) s += ' ';
      s += words[rng() % words.size()];
    }
    return s + ".";
  };
  auto add = [&](BlockKind kind, int level, const std::string& body) {
    Block b;
    b.kind = kind;
    b.level = level;
    b.begin = t.size();
    t += body;
    b.end = t.size();
    b.heading_path = path;
    t += "\n\n";
    doc.blocks.push_back(std::move(b));
  };
  while (t.size() < bytes) {
    int level = 1 + static_cast<int>(rng() % 3);
    while (static_cast<int>(path.size()) >= level) path.pop_back();
    std::string heading = sentence(3);
    add(BlockKind::kHeading, level, std::string(level, '#') + " " + heading);
    path.push_back(heading);
    for (int p = 0; p < 4; ++p) {
      std::string para;
      for (int s = 0; s < 5; ++s) para += (s ? " " : "") + sentence(8 + rng() % 12);
      add(BlockKind::kParagraph, 0, para);
    }
    for (int i = 0; i < 3; ++i) add(BlockKind::kListItem, 0, "- " + sentence(10));
    std::string code = "```text\n";
    for (int i = 0; i < 12; ++i) code += sentence(6) + "\n";
    add(BlockKind::kCode, 0, code + "```");
    std::string table = "| a | b |\n|---|---|\n";
    for (int i = 0; i < 10; ++i) table += "| " + sentence(3) + " | " + sentence(4) + " |\n";
    table.pop_back();
    add(BlockKind::kTable, 0, table);
  }
  return doc;
}

}  // namespace tunepack::bench
