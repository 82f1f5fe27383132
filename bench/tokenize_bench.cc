// tokenize_bench: single-thread throughput of one tunepack tokenizer on a corpus of
// documents, one document per Encode call, as bench/tokenize/run.py drives it beside the
// peers. Prints one JSON object per measurement on stdout.
//
// Usage:
//   tokenize_bench SPEC CORPUS.jsonl [RUNS]   documents ({"text": ...} lines): MB/s, tokens/s
//   tokenize_bench SPEC --adversarial [MB]     1 MB runs of 'a', spaces, digits, newlines: ms/MB
//   tokenize_bench SPEC --load [RUNS]          load time in ms
//   tokenize_bench SPEC --threads N CORPUS.jsonl [RUNS]   wall MB/s on 1..N threads
//   tokenize_bench SPEC --single-pass CORPUS.jsonl [encode|count]
//       one pass over text this process has not seen (bench/tokenize/single_pass.py runs it
//       in a fresh process per run): load time, then encode (or count) CPU and wall time
//
// Every mode but --single-pass repeats passes over the same corpus, so from the second
// pass on the per-thread pre-token cache already holds the corpus's words: those are
// warm-cache figures, not what a user's single pass gets.
#include <algorithm>
#include <barrier>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tunepack/tokenize/tokenizer.h"

namespace {

using Clock = std::chrono::steady_clock;
using tunepack::tokenize::EncodeOptions;
using tunepack::tokenize::Tokenizer;
using tunepack::tokenize::TokenId;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of this thread: the machine is shared, and wall time counts the waits.
double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::vector<std::string> ReadDocuments(const char* corpus_path, size_t* bytes) {
  std::ifstream in(corpus_path);
  std::vector<std::string> documents;
  *bytes = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    documents.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
    *bytes += documents.back().size();
  }
  return documents;
}

// Wall-clock throughput with 1..max_threads threads sharing one tokenizer, document i on
// thread i % threads. The threads live through all passes, as an export's workers do, so
// after the first (warm-up) pass their per-thread pre-token caches are warm.
int Scaling(const Tokenizer& tokenizer, const char* corpus_path, int max_threads, int runs) {
  size_t bytes = 0;
  const std::vector<std::string> documents = ReadDocuments(corpus_path, &bytes);
  double one_thread = 0;
  for (int threads = 1; threads <= max_threads; ++threads) {
    // Each pass starts and ends at the barrier, which this thread joins to time it.
    std::barrier sync(threads + 1);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        std::vector<TokenId> ids;
        for (int pass = 0; pass <= runs; ++pass) {
          sync.arrive_and_wait();
          for (size_t i = static_cast<size_t>(t); i < documents.size(); i += threads) {
            ids.clear();
            (void)tokenizer.Encode(documents[i], EncodeOptions{}, &ids);
          }
          sync.arrive_and_wait();
        }
      });
    }
    std::vector<double> times;
    for (int pass = 0; pass <= runs; ++pass) {
      sync.arrive_and_wait();
      const auto start = Clock::now();
      sync.arrive_and_wait();
      if (pass > 0) times.push_back(Seconds(start));  // pass 0 warms the caches
    }
    for (std::thread& worker : workers) worker.join();
    const double mb_per_s = bytes / Median(times) / 1e6;
    if (threads == 1) one_thread = mb_per_s;
    std::printf("{\"threads\": %d, \"wall_mb_per_s\": %.3f, \"speed_up\": %.2f}\n", threads,
                mb_per_s, mb_per_s / one_thread);
  }
  return 0;
}

int Documents(const Tokenizer& tokenizer, const char* corpus_path, int runs) {
  size_t bytes = 0;
  const std::vector<std::string> documents = ReadDocuments(corpus_path, &bytes);
  std::vector<TokenId> ids;
  size_t tokens = 0;
  // Warm-up: three documents, as the peers get.
  for (size_t i = 0; i < std::min<size_t>(3, documents.size()); ++i) {
    ids.clear();
    (void)tokenizer.Encode(documents[i], EncodeOptions{}, &ids);
  }
  std::vector<double> times, cpu_times;
  for (int run = 0; run < runs; ++run) {
    tokens = 0;
    const auto start = Clock::now();
    const double cpu_start = ThreadCpuSeconds();
    for (const std::string& document : documents) {
      ids.clear();
      if (!tokenizer.Encode(document, EncodeOptions{}, &ids).ok()) return 1;
      tokens += ids.size();
    }
    cpu_times.push_back(ThreadCpuSeconds() - cpu_start);
    times.push_back(Seconds(start));
  }
  const double seconds = Median(times);
  const double cpu_seconds = Median(cpu_times);
  std::printf("{\"documents\": %zu, \"bytes\": %zu, \"tokens\": %zu, \"wall_seconds\": %.6f, "
              "\"cpu_seconds\": %.6f, \"mb_per_s\": %.3f, \"mtok_per_s\": %.4f, "
              "\"wall_mb_per_s\": %.3f}\n",
              documents.size(), bytes, tokens, seconds, cpu_seconds, bytes / cpu_seconds / 1e6,
              tokens / cpu_seconds / 1e6, bytes / seconds / 1e6);
  return 0;
}

// WarmUpText: about 2 KB of pseudo-words from a fixed generator, in no corpus: it touches
// the code paths (and, for the peers, compiles them) without putting any real word of the
// corpus into a cache. The peers warm up on the same text (bench/tokenize/peer_common.js).
std::string WarmUpText() {
  std::string text;
  uint32_t state = 20261206;
  for (int word = 0; word < 300; ++word) {
    state = state * 1664525u + 1013904223u;
    const int length = 2 + static_cast<int>((state >> 24) % 7);
    for (int i = 0; i < length; ++i) {
      state = state * 1664525u + 1013904223u;
      text.push_back(static_cast<char>('a' + (state >> 24) % 26));
    }
    text.push_back(word % 17 == 16 ? '\n' : ' ');
  }
  return text;
}

// One pass, as a user's run makes it: the tokenizer loads (timed), encodes the warm-up
// text, then each document once. `count` selects Count over Encode.
int SinglePass(const char* spec, const char* corpus_path, bool count) {
  size_t bytes = 0;
  const std::vector<std::string> documents = ReadDocuments(corpus_path, &bytes);
  const auto load_start = Clock::now();
  const double load_cpu_start = ThreadCpuSeconds();
  auto tokenizer = tunepack::tokenize::LoadTokenizer(spec);
  if (!tokenizer.ok()) {
    std::cerr << tokenizer.error().ToString() << "\n";
    return 1;
  }
  const double load_cpu = ThreadCpuSeconds() - load_cpu_start;
  const double load_wall = Seconds(load_start);
  std::vector<TokenId> ids;
  if (!(*tokenizer)->Encode(WarmUpText(), EncodeOptions{}, &ids).ok()) return 1;
  size_t tokens = 0;
  const auto start = Clock::now();
  const double cpu_start = ThreadCpuSeconds();
  for (const std::string& document : documents) {
    if (count) {
      auto n = (*tokenizer)->Count(document, EncodeOptions{});
      if (!n.ok()) return 1;
      tokens += *n;
    } else {
      ids.clear();
      if (!(*tokenizer)->Encode(document, EncodeOptions{}, &ids).ok()) return 1;
      tokens += ids.size();
    }
  }
  const double cpu_seconds = ThreadCpuSeconds() - cpu_start;
  const double seconds = Seconds(start);
  std::printf("{\"documents\": %zu, \"bytes\": %zu, \"tokens\": %zu, \"load_cpu_seconds\": %.6f, "
              "\"load_wall_seconds\": %.6f, \"cpu_seconds\": %.6f, \"wall_seconds\": %.6f}\n",
              documents.size(), bytes, tokens, load_cpu, load_wall, cpu_seconds, seconds);
  return 0;
}

int Adversarial(const Tokenizer& tokenizer, double megabytes) {
  const size_t size = static_cast<size_t>(megabytes * 1e6);
  const std::pair<const char*, std::string> cases[] = {
      {"run_a", std::string(size, 'a')},
      {"run_spaces", std::string(size, ' ')},
      {"run_digits", std::string(size, '7')},
      {"run_newlines", std::string(size, '\n')},
  };
  for (const auto& [name, text] : cases) {
    std::vector<TokenId> ids;
    const auto start = Clock::now();
    const double cpu_start = ThreadCpuSeconds();
    if (!tokenizer.Encode(text, EncodeOptions{}, &ids).ok()) return 1;
    const double cpu_seconds = ThreadCpuSeconds() - cpu_start;
    const double seconds = Seconds(start);
    std::printf("{\"case\": \"%s\", \"bytes\": %zu, \"tokens\": %zu, \"ms_per_mb\": %.1f, "
                "\"wall_ms_per_mb\": %.1f}\n",
                name, text.size(), ids.size(), cpu_seconds * 1e3 / (text.size() / 1e6),
                seconds * 1e3 / (text.size() / 1e6));
  }
  return 0;
}

}  // namespace

int Usage() {
  std::fprintf(stderr, "usage: tokenize_bench SPEC CORPUS.jsonl [RUNS] | SPEC --single-pass CORPUS.jsonl [encode|count] | "
               "SPEC --adversarial [MB] | SPEC --load [RUNS] | SPEC --threads N CORPUS.jsonl [RUNS]\n");
  return 2;
}

// A count of runs from the command line: at least 1, or nothing when `arg` is not one.
std::optional<int> RunsArg(int argc, char** argv, int index, int fallback) {
  if (argc <= index) return fallback;
  const int runs = std::atoi(argv[index]);
  return runs >= 1 ? std::optional<int>(runs) : std::nullopt;
}

int main(int argc, char** argv) {
  if (argc < 3) return Usage();
  const std::string mode = argv[2];
  if (mode == "--single-pass" && argc > 3) {
    return SinglePass(argv[1], argv[3], argc > 4 && std::string(argv[4]) == "count");
  }
  if (mode == "--load") {
    const std::optional<int> runs = RunsArg(argc, argv, 3, 5);
    if (!runs) return Usage();
    std::vector<double> times, cpu_times;
    for (int run = 0; run < *runs; ++run) {
      const auto start = Clock::now();
      const double cpu_start = ThreadCpuSeconds();
      auto tokenizer = tunepack::tokenize::LoadTokenizer(argv[1]);
      if (!tokenizer.ok()) {
        std::cerr << tokenizer.error().ToString() << "\n";
        return 1;
      }
      cpu_times.push_back(ThreadCpuSeconds() - cpu_start);
      times.push_back(Seconds(start));
    }
    std::printf("{\"load_ms\": %.1f, \"load_cpu_ms\": %.1f}\n", Median(times) * 1e3,
                Median(cpu_times) * 1e3);
    return 0;
  }
  auto tokenizer = tunepack::tokenize::LoadTokenizer(argv[1]);
  if (!tokenizer.ok()) {
    std::cerr << tokenizer.error().ToString() << "\n";
    return 1;
  }
  if (mode == "--adversarial") return Adversarial(**tokenizer, argc > 3 ? std::atof(argv[3]) : 1.0);
  if (mode == "--threads" && argc > 4) {
    const std::optional<int> runs = RunsArg(argc, argv, 5, 3);
    if (!runs || std::atoi(argv[3]) < 1) return Usage();
    return Scaling(**tokenizer, argv[4], std::atoi(argv[3]), *runs);
  }
  const std::optional<int> runs = RunsArg(argc, argv, 3, 3);
  if (mode.starts_with("--") || !runs) return Usage();
  return Documents(**tokenizer, argv[2], *runs);
}
