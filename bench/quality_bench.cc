// Quality scoring and PII redaction throughput (MB of text per second, one core).
//
//   TP_BENCH_MB=1024 build/bench/quality_bench
#include <benchmark/benchmark.h>

#include "optimize_corpus.h"
#include "tunepack/quality/gopher.h"
#include "tunepack/quality/pii.h"

namespace tunepack::bench {
namespace {

// Records of about 4 KB (the size of a typical web document or long chat answer).
std::vector<std::string> Records() {
  std::vector<std::string> records;
  Document doc = MarkdownCorpus(16 << 20, 3);
  for (size_t pos = 0; pos < doc.text.size(); pos += 4096) records.push_back(doc.text.substr(pos, 4096));
  // Sprinkle findings so the redaction path is exercised, not only the scan.
  for (size_t i = 0; i < records.size(); i += 3) {
    records[i] += " write to jane.doe@example.com or call +1 (555) 123-4567 from 8.8.4.4";
  }
  return records;
}

void BM_GopherScores(benchmark::State& state) {
  std::vector<std::string> records = Records();
  std::vector<quality::QualityRule> rules = quality::DefaultGopherRules();
  size_t bytes = 0, dropped = 0;
  const size_t target = BenchBytes(64);
  for (auto _ : state) {
    for (size_t i = 0; bytes < target; ++i) {
      const std::string& r = records[i % records.size()];
      quality::GopherScores s = quality::ScoreGopher(r);
      dropped += quality::FirstFailedRule(rules, s) != nullptr;
      bytes += r.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["dropped"] = static_cast<double>(dropped);
}
BENCHMARK(BM_GopherScores)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_PiiRedaction(benchmark::State& state) {
  std::vector<std::string> records = Records();
  quality::PiiOptions options;
  size_t bytes = 0, found = 0;
  std::string out;
  const size_t target = BenchBytes(64);
  for (auto _ : state) {
    for (size_t i = 0; bytes < target; ++i) {
      const std::string& r = records[i % records.size()];
      found += quality::RedactPii(r, options, &out).total();
      bytes += r.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["found"] = static_cast<double>(found);
}
BENCHMARK(BM_PiiRedaction)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace tunepack::bench

BENCHMARK_MAIN();
