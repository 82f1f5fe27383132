// near_dup_eval: builds the near-duplicate test set (see near_dup_corpus.h) and prints the
// precision, recall and F1 of each verification mode, or writes the set as JSONL.
//
//   near_dup_eval [--dir /usr/share/common-licenses] [--seed 42] [--max-edit 0.08]
//                 [--threshold 0.8] [--hashes 128] [--jsonl out.jsonl]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "dedup/near_dup_corpus.h"
#include "tunepack/core/json_writer.h"
#include "tunepack/dedup/near_deduper.h"

using namespace tunepack::dedup;

int main(int argc, char** argv) {
  std::string dir = "/usr/share/common-licenses", jsonl;
  NearDupCorpusOptions corpus_options;
  int hashes = 128;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--dir") dir = value;
    else if (flag == "--seed") corpus_options.seed = std::strtoull(value.c_str(), nullptr, 10);
    else if (flag == "--max-edit") corpus_options.max_edit_fraction = std::atof(value.c_str());
    else if (flag == "--threshold") corpus_options.threshold = std::atof(value.c_str());
    else if (flag == "--hashes") hashes = std::atoi(value.c_str());
    else if (flag == "--jsonl") jsonl = value;
    else {
      std::fprintf(stderr, "near_dup_eval: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  auto paragraphs = ReadParagraphs(ListFiles(dir), 20);
  if (!paragraphs.ok()) {
    std::fprintf(stderr, "near_dup_eval: %s\n", paragraphs.error().ToString().c_str());
    return 2;
  }
  NearDupCorpus corpus = MakeNearDupCorpus(*paragraphs, corpus_options);
  size_t dups = 0, near = 0;
  for (size_t i = 0; i < corpus.docs.size(); ++i) {
    dups += corpus.duplicate[i];
    near += std::abs(corpus.best_earlier[i] - corpus_options.threshold) < 0.1;
  }
  std::printf("set: %zu docs, %zu true duplicates, %zu within 0.1 of the threshold %.2f "
              "(seed %llu, edits up to %.0f%% of words)\n",
              corpus.docs.size(), dups, near, corpus_options.threshold,
              static_cast<unsigned long long>(corpus_options.seed),
              corpus_options.max_edit_fraction * 100);
  if (!jsonl.empty()) {
    std::ofstream out(jsonl);
    for (size_t i = 0; i < corpus.docs.size(); ++i) {
      std::string line = "{\"text\":";
      tunepack::AppendJsonString(line, corpus.docs[i]);
      line += ",\"edit\":";
      tunepack::AppendJsonString(line, corpus.edits[i]);
      line += ",\"best_earlier_jaccard\":" + std::to_string(corpus.best_earlier[i]);
      line += std::string(",\"duplicate\":") + (corpus.duplicate[i] ? "true" : "false") + "}\n";
      out << line;
    }
  }
  for (Verification v : {Verification::kNone, Verification::kSignature, Verification::kExact}) {
    auto dedup = NearDeduper::Create({.threshold = corpus_options.threshold,
                                      .ngram = corpus_options.ngram,
                                      .num_hashes = hashes,
                                      .verification = v});
    if (!dedup.ok()) {
      std::fprintf(stderr, "near_dup_eval: %s\n", dedup.error().ToString().c_str());
      return 2;
    }
    std::vector<bool> predicted;
    for (size_t i = 0; i < corpus.docs.size(); ++i) {
      predicted.push_back(dedup->Insert(dedup->Sign(corpus.docs[i]), i).duplicate);
    }
    DedupScore s = ScoreDedup(corpus.duplicate, predicted);
    static const char* kNames[] = {"none", "signature", "exact"};
    std::printf("verification=%-9s %-40s P=%.4f R=%.4f F1=%.4f (tp=%zu fp=%zu fn=%zu)\n",
                kNames[static_cast<int>(v)], dedup->lsh().ToString().c_str(), s.precision,
                s.recall, s.f1, s.true_positives, s.false_positives, s.false_negatives);
  }
  return 0;
}
