// Test tool: decodes lines of token ids with a tokenizer, for the decode parity test
// (tests/parity/tokenize/run_decode_parity.sh). Each input line is a JSON array of ids;
// each output line is the decoded text as a JSON string, or {"error": message}.
//
// Usage: tunepack_decode_ids TOKENIZER < IDS.jsonl > TEXTS.jsonl
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tunepack/tokenize/tokenizer.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: tunepack_decode_ids TOKENIZER < IDS.jsonl\n";
    return 2;
  }
  auto tokenizer = tunepack::tokenize::LoadTokenizer(argv[1]);
  if (!tokenizer.ok()) {
    std::cerr << "decode_ids: " << tokenizer.error().ToString() << "\n";
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    const nlohmann::json array = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!array.is_array()) {
      std::cerr << "decode_ids: not a JSON array: " << line.substr(0, 80) << "\n";
      return 1;
    }
    std::vector<tunepack::tokenize::TokenId> ids;
    for (const auto& id : array) ids.push_back(id.get<tunepack::tokenize::TokenId>());
    auto text = (*tokenizer)->Decode(ids);
    // Decode promises valid UTF-8, so dump() (which throws on invalid UTF-8) is the check.
    std::cout << (text.ok() ? nlohmann::json(*text) : nlohmann::json{{"error", text.error().message()}}).dump()
              << "\n";
  }
  return 0;
}
