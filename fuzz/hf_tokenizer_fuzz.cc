// Fuzzes the tokenizer.json loader (a model folder is untrusted input) and the tokenizer it
// builds: any bytes must load or fail cleanly; a tokenizer that loads must encode a fixed
// multilingual text to ids inside its vocabulary, with offsets in order and inside the
// text, the same way twice, and its count must equal the number of ids.
#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenize/hf/hf_tokenizer.h"
#include "encoding_checks.h"

namespace {

using tunepack::tokenize::EncodeOptions;
using tunepack::tokenize::TokenId;
using tunepack::tokenize::TokenSpan;

constexpr std::string_view kText =
    "Hello, world! It's 2026: ünïcödé, 東京, данные, 12345 \t\n  <|end_of_text|> x";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const simdjson::padded_string json(reinterpret_cast<const char*>(data), size);
  auto loaded = tunepack::tokenize::hf::HfTokenizer::FromJson("fuzz.json", json);
  if (!loaded.has_value()) return 0;
  const auto& tokenizer = **loaded;
  for (const bool allow_special : {false, true}) {
    EncodeOptions options;
    options.allow_special = allow_special;
    std::vector<TokenId> ids, again;
    std::vector<TokenSpan> offsets;
    if (!tokenizer.Encode(kText, options, &ids, &offsets).ok()) continue;
    Check(tokenizer.Encode(kText, options, &again).ok() && again == ids);
    CheckEncoding(tokenizer, kText, ids, offsets);
    auto count = tokenizer.Count(kText, options);
    Check(count.has_value() && *count == ids.size());
    (void)tokenizer.Decode(ids);
  }
  return 0;
}
