// Throughput of deduplication: word hashing, MinHash signatures, and the whole near-dedup
// step (signature + LSH insert, per verification mode), in MB of input text per second on
// one core.
//
// The input is a synthetic corpus built from real words: the paragraphs of
// /usr/share/common-licenses are cut into a pool of distinct ~4 KB documents, and each
// further pass over the pool glues the first half of one document to the second half of
// another (a fresh permutation per pass), so a stream of any size is made of distinct
// documents (Jaccard about 0.5 with their parents, below the 0.8 threshold) without
// spending benchmark time on text generation.
//
//   TP_BENCH_MB=1024 build/bench/dedup_bench --benchmark_filter=NearDedup
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "dedup/near_dup_corpus.h"
#include "tunepack/dedup/exact_deduper.h"
#include "tunepack/dedup/near_deduper.h"

namespace tunepack::dedup {
namespace {

constexpr size_t kDocBytes = 4096;

size_t StreamBytes() {
  const char* mb = std::getenv("TP_BENCH_MB");
  return static_cast<size_t>(mb ? std::atol(mb) : 64) << 20;
}

// A pool of 4 KB documents: the license words in a random order, 16 MB in total.
const std::vector<std::string>& Pool() {
  static const std::vector<std::string> pool = [] {
    std::vector<std::string> words;
    auto paragraphs = ReadParagraphs(ListFiles("/usr/share/common-licenses"), 1);
    if (paragraphs.ok()) {
      for (const std::string& p : *paragraphs) {
        size_t start = 0;
        while (start < p.size()) {
          size_t end = p.find(' ', start);
          if (end == std::string::npos) end = p.size();
          words.push_back(p.substr(start, end - start));
          start = end + 1;
        }
      }
    }
    if (words.empty()) words = {"lorem", "ipsum", "dolor", "sit", "amet"};
    std::mt19937_64 rng(1);
    std::vector<std::string> docs;
    for (size_t total = 0; total < (16u << 20); total += kDocBytes) {
      std::string doc;
      while (doc.size() < kDocBytes) {
        doc += words[rng() % words.size()];
        doc += ' ';
      }
      docs.push_back(std::move(doc));
    }
    return docs;
  }();
  return pool;
}

// Calls `f(doc)` for StreamBytes() of distinct documents; returns the bytes passed.
template <typename F>
size_t ForEachDoc(F&& f) {
  const std::vector<std::string>& pool = Pool();
  const size_t target = StreamBytes();
  size_t bytes = 0;
  std::string doc;
  std::mt19937_64 rng(7);
  std::vector<size_t> perm(pool.size());
  for (size_t pass = 0; bytes < target; ++pass) {
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    for (size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng() % i]);
    for (size_t i = 0; i < pool.size() && bytes < target; ++i) {
      if (pass == 0) {
        f(pool[i]);
        bytes += pool[i].size();
        continue;
      }
      const std::string& a = pool[i];
      const std::string& b = pool[perm[i]];
      doc.assign(a, 0, a.size() / 2);
      doc.append(b, b.size() / 2, std::string::npos);
      doc += std::to_string(pass);
      f(doc);
      bytes += doc.size();
    }
  }
  return bytes;
}

void BM_HashWords(benchmark::State& state) {
  std::vector<uint64_t> words;
  size_t bytes = 0;
  for (auto _ : state) {
    bytes += ForEachDoc([&](const std::string& doc) {
      words.clear();
      HashWords(doc, &words);
      benchmark::DoNotOptimize(words.data());
    });
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_HashWords)->Unit(benchmark::kMillisecond)->Iterations(1);

// MinHash signatures alone (words, shingles, k hashes): datatrove's stage 1.
void BM_MinHashSignature(benchmark::State& state) {
  auto dedup = NearDeduper::Create({.num_hashes = static_cast<int>(state.range(0)),
                                    .verification = Verification::kNone});
  size_t bytes = 0, docs = 0;
  for (auto _ : state) {
    bytes += ForEachDoc([&](const std::string& doc) {
      Signature s = dedup->Sign(doc);
      benchmark::DoNotOptimize(s.minhashes.data());
      ++docs;
    });
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(docs), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MinHashSignature)->Arg(112)->Arg(128)->Arg(256)->Unit(benchmark::kMillisecond)->Iterations(1);

// The whole near-dedup step for one record stream: signature, band lookups and inserts,
// verification of candidates; memory of the index reported as bytes per document.
void BM_NearDedup(benchmark::State& state) {
  Verification verification = static_cast<Verification>(state.range(0));
  size_t bytes = 0, docs = 0, dups = 0, memory = 0;
  for (auto _ : state) {
    auto dedup = NearDeduper::Create({.verification = verification});
    uint64_t id = 0;
    bytes += ForEachDoc([&](const std::string& doc) {
      dups += dedup->Insert(dedup->Sign(doc), id++).duplicate;
    });
    docs += id;
    memory = dedup->MemoryBytes();
    state.SetLabel(dedup->lsh().ToString());
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["docs"] = static_cast<double>(docs);
  state.counters["dups"] = static_cast<double>(dups);
  state.counters["index_bytes_per_doc"] = static_cast<double>(memory) / static_cast<double>(docs);
}
BENCHMARK(BM_NearDedup)
    ->ArgName("verification")
    ->Arg(static_cast<int>(Verification::kNone))
    ->Arg(static_cast<int>(Verification::kSignature))
    ->Arg(static_cast<int>(Verification::kExact))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_ExactDedup(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    ExactDeduper dedup({.fold_case = true, .strip_punctuation = true});
    uint64_t id = 0;
    bytes += ForEachDoc([&](const std::string& doc) { dedup.Insert(dedup.Key(doc), id++); });
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ExactDedup)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace tunepack::dedup

BENCHMARK_MAIN();
