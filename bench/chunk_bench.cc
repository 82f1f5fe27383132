// Chunking throughput with cl100k_base (MB of document text per second, one core), and
// its scaling with document size: the per-MB time should not grow with the document.
//
//   TP_BENCH_MB=1024 build/bench/chunk_bench
#include <benchmark/benchmark.h>

#include "optimize_corpus.h"
#include <random>

#include "tunepack/chunk/chunker.h"
#include "tunepack/chunk/packer.h"
#include "tunepack/tokenize/tokenizer.h"

namespace tunepack::bench {
namespace {

std::shared_ptr<const tokenize::Tokenizer> Cl100k() {
  static auto tokenizer = tokenize::LoadTokenizer("cl100k_base");
  return tokenizer.ok() ? *tokenizer : nullptr;
}

// Chunks documents of state.range(0) KB until BenchBytes(64) are done.
void BM_Chunk(benchmark::State& state) {
  auto tokenizer = Cl100k();
  if (!tokenizer) return state.SkipWithError("cl100k_base unavailable");
  const size_t doc_bytes = static_cast<size_t>(state.range(0)) << 10;
  auto chunker = chunk::Chunker::Create(
      tokenizer, {.max_tokens = 512, .overlap_tokens = 64, .heading_context = true});
  // A handful of distinct documents, cycled.
  std::vector<Document> docs;
  for (uint64_t seed = 0; seed < 4; ++seed) docs.push_back(MarkdownCorpus(doc_bytes, seed));
  size_t bytes = 0, chunks = 0;
  const size_t target = BenchBytes(64);
  for (auto _ : state) {
    for (size_t i = 0; bytes < target; ++i) {
      const Document& doc = docs[i % docs.size()];
      auto result = chunker->Split(doc);
      if (!result.ok()) return state.SkipWithError(result.error().ToString().c_str());
      chunks += result->size();
      bytes += doc.text.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["chunks"] = static_cast<double>(chunks);
}
BENCHMARK(BM_Chunk)->Arg(16)->Arg(256)->Arg(4096)->Unit(benchmark::kMillisecond)->Iterations(1);

// Tokenization alone over the same text, to show what the chunker adds on top of it.
void BM_TokenizeOnly(benchmark::State& state) {
  auto tokenizer = Cl100k();
  if (!tokenizer) return state.SkipWithError("cl100k_base unavailable");
  Document doc = MarkdownCorpus(256 << 10, 0);
  size_t bytes = 0;
  const size_t target = BenchBytes(64);
  std::vector<tokenize::TokenId> ids;
  std::vector<tokenize::TokenSpan> spans;
  for (auto _ : state) {
    while (bytes < target) {
      ids.clear();
      spans.clear();
      (void)tokenizer->Encode(doc.text, {}, &ids, &spans);
      bytes += doc.text.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_TokenizeOnly)->Unit(benchmark::kMillisecond)->Iterations(1);

// First-fit-decreasing packing of state.range(0) examples with chat-like lengths
// (log-normal, median ~245 tokens) into 4096-token sequences; reports the efficiency.
void BM_PackFirstFitDecreasing(benchmark::State& state) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(5.5, 0.8);
  std::vector<size_t> lengths;
  for (int64_t i = 0; i < state.range(0); ++i) lengths.push_back(1 + static_cast<size_t>(dist(rng)));
  double efficiency = 0;
  for (auto _ : state) {
    std::vector<chunk::PackBin> bins = chunk::PackFirstFitDecreasing(lengths, 4096, nullptr);
    efficiency = chunk::PackingEfficiency(bins, 4096);
    benchmark::DoNotOptimize(bins.data());
  }
  state.counters["efficiency"] = efficiency;
  state.counters["examples/s"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PackFirstFitDecreasing)->Arg(10000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tunepack::bench

BENCHMARK_MAIN();
