// Quality scoring and PII redaction throughput (MB of text per second, one core).
//
//   TP_BENCH_MB=1024 build/bench/quality_bench
//   TP_BENCH_CORPUS=corpus.jsonl build/bench/quality_bench --benchmark_filter=File
//
// BM_GopherScores cycles a 16 MB pool of synthetic Markdown records (license words in random
// order: a small vocabulary). BM_GopherScoresFile scores each document of a JSONL corpus of
// real text ({"text": ...} per line, e.g. bench/tokenize/make_corpus.py's, several languages)
// once, in one pass: nothing in it repeats unless the documents repeat it.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

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

// The "text" of every line of the JSONL file TP_BENCH_CORPUS (empty when unset).
std::vector<std::string> CorpusDocuments() {
  std::vector<std::string> documents;
  const char* path = std::getenv("TP_BENCH_CORPUS");
  if (path == nullptr) return documents;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    documents.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
  }
  return documents;
}

void BM_GopherScoresFile(benchmark::State& state) {
  const std::vector<std::string> documents = CorpusDocuments();
  if (documents.empty()) {
    state.SkipWithError("set TP_BENCH_CORPUS to a JSONL file of {\"text\": ...} lines");
    return;
  }
  std::vector<quality::QualityRule> rules = quality::DefaultGopherRules();
  size_t bytes = 0, dropped = 0;
  for (auto _ : state) {
    for (const std::string& document : documents) {
      quality::GopherScores s = quality::ScoreGopher(document);
      dropped += quality::FirstFailedRule(rules, s) != nullptr;
      bytes += document.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["documents"] = static_cast<double>(documents.size());
  state.counters["dropped"] = static_cast<double>(dropped);
}
BENCHMARK(BM_GopherScoresFile)->Unit(benchmark::kMillisecond)->Iterations(1);

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
