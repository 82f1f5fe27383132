// Times tunepack's Tokenizer::Encode in-process, one document per call on one thread, for
// bench/tokenize/spm_claude_bench.py (which times the reference implementations around their
// own encode calls the same way). Not a Google Benchmark: the driver needs the median wall
// time of whole passes over a corpus, beside the peers, in one JSON line.
//
// Usage: spm_claude_encode_bench SPEC CORPUS.jsonl RUNS
// Prints {"seconds": <median of RUNS passes>, "load_seconds": ..., "tokens": ..., "bytes": ...}.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tunepack/tokenize/tokenizer.h"

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  if (argc != 4) {
    std::fprintf(stderr, "usage: spm_claude_encode_bench SPEC CORPUS.jsonl RUNS\n");
    return 2;
  }
  std::vector<std::string> docs;
  size_t bytes = 0;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    docs.push_back(nlohmann::json::parse(line).at("text").get<std::string>());
    bytes += docs.back().size();
  }
  const auto load_start = Clock::now();
  auto tokenizer = tunepack::tokenize::LoadTokenizer(argv[1]);
  const double load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();
  if (!tokenizer.ok()) {
    std::fprintf(stderr, "%s\n", tokenizer.error().message().c_str());
    return 1;
  }
  const int runs = std::max(1, std::stoi(argv[3]));
  std::vector<tunepack::tokenize::TokenId> ids;
  size_t tokens = 0;
  std::vector<double> times;
  for (int run = -1; run < runs; ++run) {  // run -1 warms up
    tokens = 0;
    const auto start = Clock::now();
    for (const std::string& doc : docs) {
      ids.clear();
      if (!(*tokenizer)->Encode(doc, {}, &ids).ok()) return 1;
      tokens += ids.size();
    }
    if (run >= 0) times.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  std::printf("{\"seconds\": %.6f, \"load_seconds\": %.6f, \"tokens\": %zu, \"bytes\": %zu}\n",
              times[times.size() / 2], load_seconds, tokens, bytes);
  return 0;
}
