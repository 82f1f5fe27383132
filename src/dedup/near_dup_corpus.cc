#include "dedup/near_dup_corpus.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>

#include "tunepack/dedup/minhash.h"
#include "tunepack/io/line_reader.h"

namespace tunepack::dedup {
namespace {

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word) words.push_back(word);
  return words;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Draws from [0, n) with mt19937_64 directly: std distributions differ between standard
// libraries, and the test set must be the same everywhere.
size_t Below(std::mt19937_64& rng, size_t n) { return n == 0 ? 0 : rng() % n; }
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

std::string Edit(const std::string& base, const std::vector<std::string>& vocabulary,
                 double max_fraction, std::mt19937_64& rng, std::string* description) {
  std::vector<std::string> words = SplitWords(base);
  const size_t kinds = 6;
  size_t kind = Below(rng, kinds);
  size_t count = 1 + static_cast<size_t>(Unit(rng) * max_fraction * words.size());
  auto random_word = [&] { return vocabulary[Below(rng, vocabulary.size())]; };
  switch (kind) {
    case 0:
      *description = "insert " + std::to_string(count);
      for (size_t i = 0; i < count; ++i)
        words.insert(words.begin() + Below(rng, words.size() + 1), random_word());
      break;
    case 1:
      *description = "delete " + std::to_string(count);
      for (size_t i = 0; i < count && words.size() > 1; ++i)
        words.erase(words.begin() + Below(rng, words.size()));
      break;
    case 2:
      *description = "replace " + std::to_string(count);
      for (size_t i = 0; i < count; ++i) words[Below(rng, words.size())] = random_word();
      break;
    case 3:
      *description = "swap " + std::to_string(count);
      for (size_t i = 0; i < count && words.size() > 1; ++i) {
        size_t at = Below(rng, words.size() - 1);
        std::swap(words[at], words[at + 1]);
      }
      break;
    case 4: {
      // Reordering: move a run of words (a sentence-sized piece) elsewhere.
      size_t len = std::min(words.size() / 2, 4 + count * 3);
      size_t from = Below(rng, words.size() - len + 1);
      std::vector<std::string> piece(words.begin() + from, words.begin() + from + len);
      words.erase(words.begin() + from, words.begin() + from + len);
      size_t to = Below(rng, words.size() + 1);
      words.insert(words.begin() + to, piece.begin(), piece.end());
      *description = "move " + std::to_string(len);
      break;
    }
    default: {
      *description = "mixed " + std::to_string(count);
      for (size_t i = 0; i < count; ++i) {
        size_t op = Below(rng, 3);
        if (op == 0) {
          words.insert(words.begin() + Below(rng, words.size() + 1), random_word());
        } else if (op == 1 && words.size() > 1) {
          words.erase(words.begin() + Below(rng, words.size()));
        } else {
          words[Below(rng, words.size())] = random_word();
        }
      }
      break;
    }
  }
  return JoinWords(words);
}

}  // namespace

std::vector<std::string> ListFiles(const std::string& dir) {
  std::set<std::string> seen;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::filesystem::path canonical = std::filesystem::canonical(entry.path(), ec);
    if (ec || !std::filesystem::is_regular_file(canonical)) continue;
    if (seen.insert(canonical.string()).second) files.push_back(canonical.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::vector<std::string>> ReadParagraphs(const std::vector<std::string>& paths,
                                                int min_words) {
  std::vector<std::string> paragraphs;
  for (const std::string& path : paths) {
    TP_ASSIGN_OR_RETURN(std::unique_ptr<io::LineReader> lines, io::LineReader::Open(path));
    std::string current;
    int words = 0;
    auto finish = [&] {
      if (words >= min_words) paragraphs.push_back(current);
      current.clear();
      words = 0;
    };
    std::string_view line;
    for (;;) {
      TP_ASSIGN_OR_RETURN(const bool more, lines->Next(line));
      if (!more) break;
      std::vector<std::string> line_words = SplitWords(std::string(line));
      if (line_words.empty()) {
        finish();
        continue;
      }
      for (const std::string& w : line_words) {
        if (!current.empty()) current += ' ';
        current += w;
        ++words;
      }
    }
    finish();
  }
  return paragraphs;
}

NearDupCorpus MakeNearDupCorpus(const std::vector<std::string>& paragraphs,
                                const NearDupCorpusOptions& options) {
  std::mt19937_64 rng(options.seed);
  std::vector<std::string> bases;
  std::string current;
  for (const std::string& paragraph : paragraphs) {
    if (!current.empty()) current += ' ';
    current += paragraph;
    if (SplitWords(current).size() >= static_cast<size_t>(options.base_min_words)) {
      bases.push_back(std::move(current));
      current.clear();
    }
  }
  if (options.max_bases > 0 && bases.size() > options.max_bases) bases.resize(options.max_bases);

  std::vector<std::string> vocabulary;
  for (const std::string& base : bases) {
    for (std::string& w : SplitWords(base)) vocabulary.push_back(std::move(w));
  }
  if (vocabulary.empty()) vocabulary.push_back("word");

  std::vector<std::pair<std::string, std::string>> items;  // (text, description)
  for (const std::string& base : bases) {
    items.emplace_back(base, "base");
    double expected = options.variants_per_base;
    while (expected > 0 && Unit(rng) < expected) {
      std::string description;
      items.emplace_back(Edit(base, vocabulary, options.max_edit_fraction, rng, &description),
                         description);
      expected -= 1.0;
    }
  }
  // Fisher-Yates with our own draws, for the same order on every platform.
  for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[Below(rng, i)]);

  NearDupCorpus corpus;
  std::vector<std::vector<uint64_t>> sets;
  for (auto& [text, description] : items) {
    sets.push_back(Shingles(text, options.ngram));
    corpus.docs.push_back(std::move(text));
    corpus.edits.push_back(std::move(description));
  }
  // Exact Jaccard against every earlier doc that shares at least one shingle.
  std::unordered_map<uint64_t, std::vector<uint32_t>> postings;
  std::unordered_map<uint32_t, uint32_t> shared;
  for (uint32_t doc = 0; doc < sets.size(); ++doc) {
    shared.clear();
    for (uint64_t shingle : sets[doc]) {
      auto it = postings.find(shingle);
      if (it == postings.end()) continue;
      for (uint32_t earlier : it->second) ++shared[earlier];
    }
    double best = 0;
    for (auto [earlier, common] : shared) {
      double j = static_cast<double>(common) /
                 static_cast<double>(sets[doc].size() + sets[earlier].size() - common);
      best = std::max(best, j);
    }
    corpus.best_earlier.push_back(best);
    corpus.duplicate.push_back(best >= options.threshold);
    for (uint64_t shingle : sets[doc]) postings[shingle].push_back(doc);
  }
  return corpus;
}

DedupScore ScoreDedup(const std::vector<bool>& truth, const std::vector<bool>& predicted) {
  DedupScore score;
  for (size_t i = 0; i < truth.size() && i < predicted.size(); ++i) {
    if (truth[i] && predicted[i]) ++score.true_positives;
    else if (!truth[i] && predicted[i]) ++score.false_positives;
    else if (truth[i] && !predicted[i]) ++score.false_negatives;
    else ++score.true_negatives;
  }
  double tp = static_cast<double>(score.true_positives);
  score.precision = tp + score.false_positives > 0 ? tp / (tp + score.false_positives) : 1.0;
  score.recall = tp + score.false_negatives > 0 ? tp / (tp + score.false_negatives) : 1.0;
  score.f1 = score.precision + score.recall > 0
                 ? 2 * score.precision * score.recall / (score.precision + score.recall)
                 : 0.0;
  return score;
}

}  // namespace tunepack::dedup
